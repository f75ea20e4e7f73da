"""The peer users would pick: the same article page served by a minimal Wagtail site, measured as load_bench does.

Run: make bench-wagtail   (or: .venv/bin/python bench/wagtail_bench.py [--duration 15] [--connections 32])

The Wagtail project lives in bench/wagtail_peer/ with its own requirements file and its own virtualenv
(bench/wagtail_peer/.venv, made here when missing): it is never a dependency of the portal. This script
builds a scratch PostgreSQL database, publishes the articles, serves them with gunicorn (the worker count
of load_bench) and drives them with wrk at load_bench's connections, threads and durations: a trivial view
(the framework's ceiling), the article uncached and the article behind Django's cache middleware (Redis).
It writes the "wagtail" section of bench/RESULTS.md beside the portal's latest rows from the "load" section,
and stops everything it started.
"""

import argparse
import datetime
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from _setup import PG_ADMIN_URL, RESULTS, ROOT, machine_description, scratch_database, write_results_section
from load_bench import WORKERS, parse_wrk

PEER = ROOT / "bench" / "wagtail_peer"
VENV = PEER / ".venv"
PEER_PY = VENV / "bin" / "python"
DATABASE = os.environ.get("BENCH_WAGTAIL_DB", "cytokine_bench_wagtail")
REDIS_URL = os.environ.get("BENCH_WAGTAIL_REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
WARM_UP_SECONDS = 3  # as load_bench


def ensure_venv():
    """Create the peer's virtualenv, or refresh it when its requirements changed."""
    stamp = VENV / ".installed"
    requirements = PEER / "requirements.txt"
    # The stamp holds the requirements it was installed from (a checkout changes mtimes, not contents).
    if stamp.exists() and stamp.read_text() == requirements.read_text():
        return
    print("installing the Wagtail peer's requirements into its own virtualenv ...")
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(PEER_PY), "-m", "pip", "install", "--quiet", "-r", str(requirements)], check=True)
    stamp.write_text(requirements.read_text())


def drop_database(name):
    import psycopg2

    connection = psycopg2.connect(PG_ADMIN_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def free_port():
    wanted = os.environ.get("BENCH_WAGTAIL_PORT")
    if wanted:
        return int(wanted)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peer_env(database_url, page_cache):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "peer.settings", "DEBUG": "0", "SECRET_KEY": SECRET_KEY,
                "PEER_DATABASE_URL": database_url, "PEER_REDIS_URL": REDIS_URL, "PEER_CACHE_PREFIX": CACHE_PREFIX,
                "PEER_PAGE_CACHE": "1" if page_cache else "0"})  # fmt: skip
    return env


SECRET_KEY = secrets.token_urlsafe(50)
# A fresh key prefix per run instead of flushing a Redis database another bench may be using.
CACHE_PREFIX = f"wagtail-bench-{secrets.token_hex(4)}"


class Server:
    """gunicorn serving the peer with load_bench's worker count and the portal's gunicorn settings."""

    def __init__(self, database_url, port, *, page_cache):
        self.env = peer_env(database_url, page_cache)
        self.port = port
        self.process = None

    def __enter__(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(VENV / "bin" / "gunicorn"), "peer.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(WORKERS), "--worker-class", "sync", "--preload", "--keep-alive", "5", "--timeout", "30",
             "--max-requests", "5000", "--max-requests-jitter", "500", "--log-level", "warning"],
            cwd=PEER, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz/live", timeout=2).status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        self.log.seek(0)
        raise RuntimeError("gunicorn did not become ready:\n" + self.log.read().decode()[-3000:])

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


LUA_ROTATE = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wrk(base, paths, *, duration, connections, threads=2):
    """wrk as load_bench runs it: 2 threads, paths rotated by the same Lua script."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA_ROTATE % ", ".join(f'"{p}"' for p in paths))
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, base]
        return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    finally:
        os.unlink(script.name)


def prime(base, paths):
    def fetch(path):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.status, len(response.read()), response.headers.get("Cache-Control", "")

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(fetch, paths))


def our_rows():
    """The portal's latest rows from the "load" section, when that section exists."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    section = text.split("<!-- load: start -->", 1)[-1].split("<!-- load: end -->", 1)[0] if text else ""
    measured = re.search(r"^Measured (.+?) with", section, re.MULTILINE)
    rows = {}
    for name in ("trivial Django view (framework ceiling)", "article detail, uncached", "article detail, cached"):
        match = re.search(rf"^\| {re.escape(name)}[^|]*\| ([\d,]+) \| ([\d.]+) \| ([\d.]+) \|", section, re.MULTILINE)
        if match:
            rows[name] = {"rps": float(match.group(1).replace(",", "")), "p50": float(match.group(2)),
                          "p99": float(match.group(3))}  # fmt: skip
    return (measured.group(1) if measured else None), rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement (load_bench's default)")
    parser.add_argument("--connections", type=int, default=32, help="load_bench's default")
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--words", type=int, default=800, help="words in each article's body")
    parser.add_argument("--refs", type=int, default=10, help="references per article")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    started = time.time()
    load_at_start = os.getloadavg()[0]
    ensure_venv()
    database_url = scratch_database(DATABASE)
    env = peer_env(database_url, page_cache=False)
    t = time.time()
    subprocess.run([str(PEER_PY), "manage.py", "migrate", "--no-input", "-v0"], cwd=PEER, env=env, check=True)
    subprocess.run([str(PEER_PY), "manage.py", "build_bench_pages", "--count", str(args.articles), "--words",
                    str(args.words), "--refs", str(args.refs)], cwd=PEER, env=env, check=True)  # fmt: skip
    import psycopg2

    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as load_bench does after its bulk load
    connection.close()
    print(f"Wagtail peer: {args.articles} articles built in {time.time() - t:.1f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    article_paths = [f"/articles/article-{n}/" for n in range(args.articles)]
    rows, page_bytes = [], None

    def measure(name, paths, note=""):
        nonlocal page_bytes
        fetched = prime(base, paths)  # every page once, so the cached row measures hits
        bad = [status for status, _, _ in fetched if status != 200]
        if bad:
            raise RuntimeError(f"{name}: {len(bad)} pages did not answer 200")
        if "article" in name:
            page_bytes = fetched[0][1]
        wrk(base, paths, duration=min(WARM_UP_SECONDS, args.duration), connections=args.connections)
        result = wrk(base, paths, duration=args.duration, connections=args.connections)
        rows.append({"name": name, "note": note, **result})
        print(f"{name:<40} {result['rps']:>9,.0f} req/s  p50 {result['p50']:>7.1f} ms  p99 {result['p99']:>7.1f} ms"
              f"  errors {result['errors']}")  # fmt: skip

    try:
        with Server(database_url, port, page_cache=False):
            measure("Wagtail: trivial Django view (framework ceiling)", ["/healthz/live"])
            measure("Wagtail: article detail, uncached", article_paths, "no page cache")
        with Server(database_url, port, page_cache=True):
            # The ceiling again on this server, minutes later: a shared machine's load drifts between rows.
            measure("Wagtail: trivial Django view (framework ceiling)", ["/healthz/live"], "cached server")
            measure("Wagtail: article detail, cached", article_paths, "Django cache middleware, Redis")
    finally:
        drop_database(DATABASE)  # leave nothing behind on the shared PostgreSQL
    write_results(rows, args, time.time() - started, load_at_start, page_bytes)


def write_results(rows, args, seconds, load_at_start, page_bytes):
    # Each row against the trivial view of its own server (the uncached one, then the cached one).
    ceilings = [row["rps"] for row in rows if row["name"].endswith("(framework ceiling)")]
    ceiling_of = {id(row): ceilings[0] if i < 2 else ceilings[-1] for i, row in enumerate(rows)}
    measured, ours = our_rows()
    our_trivial = ours.get("trivial Django view (framework ceiling)", {}).get("rps")
    lines = [
        "## The peer: the same article page from a minimal Wagtail site (`make bench-wagtail`)",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%d %B %Y %H:%M} UTC with bench/wagtail_bench.py, "
        f"{seconds / 60:.0f} minutes; load average {load_at_start:.1f} at the start.",
        "",
        f"- Machine: {machine_description()}. A shared machine: compare ratios, not absolute numbers.",
        "- Peer: Wagtail 8.0.1 on Django 5.2 (bench/wagtail_peer/, its own requirements and virtualenv), DEBUG off,",
        f"  cached template loader, persistent database connections, gunicorn with {WORKERS} sync workers and the",
        "  portal's gunicorn settings, PostgreSQL on the same machine.",
        f"- Data: {args.articles} published ArticlePages (a revision each, as editors publish), a StreamField body",
        f"  of 8 headed rich-text sections, about {args.words} words, and {args.refs} orderable references each;",
        f"  the article page is {page_bytes or 0:,} bytes of HTML (title, review dates, body, numbered references,",
        "  header and footer).",
        f"- Load: wrk, 2 threads, {args.connections} connections, {args.duration} s per row after every page was",
        f"  fetched once and a {WARM_UP_SECONDS} s warm-up, rotating over all {args.articles} articles: load_bench's",
        "  tool and parameters.",
        "- Cached: Django's whole-site cache middleware (UpdateCacheMiddleware / FetchFromCacheMiddleware) in Redis,",
        "  600 s, the usual way to cache a Wagtail site without a CDN. The trivial view (never_cache, so never a",
        "  cache hit) is measured on both servers and each row is compared with its own server's.",
        "- Errors are wrk's: its 2 s timeout (load_bench's parameters) counts slow responses as errors.",
        "",
        "| page | requests/s | p50 ms | p99 ms | errors | vs its own trivial view |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        note = f" ({row['note']})" if row["note"] else ""
        lines.append(f"| {row['name']}{note} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                     f"{row['errors']} | {row['rps'] / ceiling_of[id(row)]:.0%} |")  # fmt: skip
    if ours and our_trivial:
        lines += [
            "",
            f"The portal's rows from the \"load\" section (measured {measured}, a different run and load):",
            "",
            "| page | requests/s | p50 ms | p99 ms | vs its own trivial view |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, row in ours.items():
            lines.append(f"| Portal: {name} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                         f"{row['rps'] / our_trivial:.0%} |")  # fmt: skip
    else:
        lines += ["", "No \"load\" section in bench/RESULTS.md yet: run `make bench` for the portal's rows."]
    write_results_section("wagtail", "\n".join(lines))
    print("\n".join(lines[-12:]))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
