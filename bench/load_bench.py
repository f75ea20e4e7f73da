"""Load benchmark: the portal under gunicorn on PostgreSQL, driven by wrk from a second process.

Run: make bench   (or: .venv/bin/python bench/load_bench.py [--duration 15] [--connections 32])

It builds a realistic data set (1,000 articles citing 10,000 references, 100 agents) in a scratch
database, serves it the production way (DEBUG off, collected static files, Redis cache, gunicorn),
and measures each page type beside two baselines from the same server in the same run: a trivial
Django view (the framework's ceiling) and a static file (the physical ceiling). A second data set of
100,000 articles measures the review dashboard. Results are printed and written to bench/RESULTS.md.
"""

import argparse
import datetime
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, django_on, machine_description, scratch_database, write_results_section

PORT = int(os.environ.get("BENCH_PORT", "8765"))
DB_NAME = os.environ.get("BENCH_DB", "cytokine_bench")  # scratch databases: this name and name + "_dashboard"
BASE = f"http://127.0.0.1:{PORT}"
SECRET_KEY = secrets.token_urlsafe(50)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 2) * 2 + 1)))
TARGETS = {"cached_ratio": 0.90, "uncached_ratio": 0.35, "agent_ratio": 0.35, "search_ratio": 0.30,
           "dashboard_p50_ms": 60}  # fmt: skip


# --- data ---------------------------------------------------------------------------------------


def build_site(articles=1_000, references=10_000, agents=100, refs_per_article=10):
    from django.utils import timezone

    from cytokines.models import (
        Agent,
        Article,
        ArticleReference,
        CancerType,
        Contributor,
        Reference,
        RegulatoryApproval,
        add_months,
    )

    today = timezone.localdate()
    rng = random.Random(7)
    cancers = CancerType.objects.bulk_create(
        CancerType(name=f"Cancer type {n}", slug=f"cancer-type-{n}", summary="About this cancer.") for n in range(20)
    )
    reviewer = Contributor.objects.create(name="Dr Bench", slug="dr-bench", credentials="MD", role="medical_reviewer")
    refs = Reference.objects.bulk_create(
        (
            Reference(authors="Author A, Author B, Author C", title=f"Trial of cytokine therapy number {n}",
                      container="J Clin Oncol", year=1990 + n % 35, volume=str(n % 40), issue=str(n % 12),
                      pages=f"{n}-{n + 9}", doi=f"10.5555/bench.{n}", pmid=str(20_000_000 + n))
            for n in range(references)
        ),
        batch_size=2000,
    )  # fmt: skip

    def reviewed(days_ago, months):
        last = today - datetime.timedelta(days=days_ago)
        return {"status": "published", "last_reviewed": last, "last_revised": last,
                "next_review_due": add_months(last, months), "published_at": timezone.now()}  # fmt: skip

    agent_rows = Agent.objects.bulk_create(
        Agent(name=f"Interleukin-{n + 100}", slug=f"interleukin-{n + 100}", agent_class="interleukin",
              nonproprietary_name=f"benchleukin {n}", brand_names=f"Benchkine{n}", summary="A benchmark agent.",
              mechanism="Signals to T cells. " * 10, routes=["iv", "sc"],
              **reviewed(rng.randint(1, 300), 12))
        for n in range(agents)
    )  # fmt: skip
    RegulatoryApproval.objects.bulk_create(
        RegulatoryApproval(agent=a, regulator="fda", status="approved", year_approved=2000) for a in agent_rows
    )
    body = "\n\n".join(
        ["## Section\n\nCytokines are messengers of the immune system [1]. Treatment is given in hospital [2]."] * 8
        + ["| Medicine | Use |\n|---|---|\n| IL-2 | kidney cancer |\n| IFN-alfa | melanoma |"]
    )
    article_rows = Article.objects.bulk_create(
        Article(title=f"Understanding cytokine treatment, part {n}", slug=f"article-{n}", summary="A summary.",
                body=body, kind="treatment", is_featured=n < 6, **reviewed(rng.randint(1, 1200), 36))
        for n in range(articles)
    )  # fmt: skip
    ArticleReference.objects.bulk_create(
        (
            ArticleReference(article=a, reference=refs[(i * refs_per_article + p) % len(refs)], position=p + 1)
            for i, a in enumerate(article_rows)
            for p in range(refs_per_article)
        ),
        batch_size=5000,
    )
    Article.agents.through.objects.bulk_create(
        Article.agents.through(article=a, agent=agent_rows[i % len(agent_rows)]) for i, a in enumerate(article_rows)
    )
    Article.reviewers.through.objects.bulk_create(
        Article.reviewers.through(article=a, contributor=reviewer) for a in article_rows
    )
    Article.cancer_types.through.objects.bulk_create(
        Article.cancer_types.through(article=a, cancertype=cancers[i % len(cancers)])
        for i, a in enumerate(article_rows)
    )
    from cytokines.review import publishing

    publishing.first_revisions(Article, Agent)  # readers see only live revisions, made as the workflow makes them
    return [a.slug for a in article_rows], [a.slug for a in agent_rows]


def build_big_dashboard_set(count=100_000):
    from django.utils import timezone

    from cytokines.models import Article, add_months

    today = timezone.localdate()
    rng = random.Random(11)
    statuses = ["published"] * 8 + ["draft", "medical_review", "editorial_review"]
    batch = []
    for n in range(count):
        status = statuses[n % len(statuses)]
        last = today - datetime.timedelta(days=rng.randint(1, 1300)) if status == "published" else None
        batch.append(Article(
            title=f"Dashboard article {n}", slug=f"dash-{n}", summary="s", body="b", status=status,
            last_reviewed=last, last_revised=last, next_review_due=add_months(last, 36) if last else None,
            review_needed=(n % 97 == 0 and status == "published"),
        ))  # fmt: skip
        if len(batch) == 10_000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)


def analyze():
    """Vacuum and refresh statistics, as autovacuum does soon after a bulk load in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def staff_session_cookie():
    """A logged-in Editor's session, so wrk can load the admin dashboard."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.create_user("bench-editor", password=secrets.token_urlsafe(16), is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- server and load ----------------------------------------------------------------------------


class Server:
    def __init__(self, database_url, **env):
        self.env = {**os.environ, "DEBUG": "0", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url,
                    "REDIS_URL": REDIS_URL, "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
                    "LOG_LEVEL": "WARNING", "GUNICORN_ACCESS_LOG": "/dev/null",
                    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "WEB_CONCURRENCY": str(WORKERS),
                    "DJANGO_SETTINGS_MODULE": "portal.settings", **env}  # fmt: skip
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.process = None

    def __enter__(self):
        subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, capture_output=True)
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [gunicorn, "portal.wsgi", "-c", "portal/gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{BASE}/healthz/ready", timeout=2).status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.log.seek(0)
        raise RuntimeError("gunicorn did not become ready:\n" + self.log.read().decode()[-3000:])

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


LUA_ROTATE = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
headers = {}
%s
"""


def wrk(paths, *, duration, connections, cookie=None, threads=2):
    """Run wrk against ``paths`` (rotated); return requests/s, p50 ms, p99 ms, errors."""
    lua_paths = ", ".join(f'"{p}"' for p in paths)
    cookie_line = f'headers["Cookie"] = "{cookie}"' if cookie else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA_ROTATE % (lua_paths, cookie_line))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, BASE]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    return parse_wrk(output)


def _ms(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)\b", text)
    if not match:
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def _percentile(output, percent):
    match = re.search(rf"^\s+{percent}%\s+(\S+)", output, re.MULTILINE)
    return _ms(match.group(1)) if match else float("nan")


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p99 = _percentile(output, 50), _percentile(output, 99)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def prime(paths, cookie=None):
    from concurrent.futures import ThreadPoolExecutor

    headers = {"Cookie": cookie} if cookie else {}

    def fetch(path):
        with urllib.request.urlopen(urllib.request.Request(BASE + path, headers=headers), timeout=30) as response:
            response.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fetch, paths))


SEARCHES = ("interleukin", "benchkine5", "fever", "cytokine+treatment")


def new_searches(per_search):
    """Up to ``per_search`` spellings of each long search of ``SEARCHES`` differing only in case: the same
    results, each a new search to the processes that keep recent ones."""
    spellings = set()
    for search in (s for s in SEARCHES if len(s) > 8):  # "fever" has only 32 spellings: they would be kept
        letters = [i for i, c in enumerate(search) if c.isalpha()]
        for n in range(min(per_search, 2 ** len(letters))):
            chars = list(search)
            for bit, i in enumerate(letters):
                if n >> bit & 1:
                    chars[i] = chars[i].upper()
            spellings.add("".join(chars))
    return sorted(spellings)


def static_path():
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    import json

    return "/static/" + json.loads(manifest.read_text())["paths"]["css/site.css"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--dashboard-articles", type=int, default=100_000)
    parser.add_argument(
        "--dashboard-connections", type=int, default=4, help="staff use the dashboard a few at a time, not 32 at once"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    started = time.time()
    print(f"machine: {machine_description()}; gunicorn workers: {WORKERS}; wrk: 2 threads, "
          f"{args.connections} connections, {args.duration} s per row\n")  # fmt: skip
    main_db = scratch_database(DB_NAME)
    django_on(main_db, DEBUG="0", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", REDIS_URL=REDIS_URL)
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", "--no-input", verbosity=0)
    t = time.time()
    article_slugs, agent_slugs = build_site()
    analyze()
    cookie = staff_session_cookie()
    print(f"data set: 1,000 articles, 10,000 references, 100 agents built in {time.time() - t:.1f} s")

    article_paths = [f"/articles/{s}/" for s in article_slugs]
    rows = []

    def measure(name, paths, server_note="", cookie=None, key=None, connections=None):
        connections = connections or args.connections
        prime(paths, cookie)  # every page once, so "cached" rows measure hits, not first renders
        wrk(paths, duration=min(3, args.duration), connections=connections, cookie=cookie)  # warm-up
        result = wrk(paths, duration=args.duration, connections=connections, cookie=cookie)
        rows.append({"name": name, "note": server_note, "key": key or name, **result})
        print(f"{name:<40} {result['rps']:>9,.0f} req/s  p50 {result['p50']:>7.1f} ms  p99 {result['p99']:>7.1f} ms"
              f"  errors {result['errors']}")  # fmt: skip

    with Server(main_db):
        measure("static file (physical ceiling)", [static_path()])
        # The baseline: a view with no database and no template, through every middleware (as the issue's
        # "trivial Django view" was when it set the targets). The health probe is answered by the first
        # middleware, before all the others, so it measures gunicorn and WSGI rather than a Django view.
        measure("trivial Django view (framework ceiling)", ["/robots.txt"])
        measure("health probe (answered by the first middleware)", ["/healthz/live"], key="health probe")
        measure("home", ["/"])
        measure("article detail, cached", article_paths)
        measure("agent detail, cached", [f"/agents/{s}/" for s in agent_slugs])
        measure("search", [f"/search/?q={q}" for q in SEARCHES])
        # Every request a search no process has kept (public/recent_searches.py keeps 256 per process): the same
        # four searches with their letters in other cases, so each is ranked in PostgreSQL and rendered.
        measure("search, a new query each request", [f"/search/?q={q}" for q in new_searches(1_000)],
                key="search, new")
        measure(
            "review dashboard (1,000 articles)",
            ["/admin/cytokines/article/review-dashboard/"],
            cookie=cookie,
            server_note=f"{args.dashboard_connections} connections",
            connections=args.dashboard_connections,
        )
        measure("trivial Django view, again after the rows above", ["/robots.txt"], key="trivial 2")
    with Server(main_db, PUBLIC_PAGE_CACHE="0"):
        measure("trivial Django view, on the page-cache-off server", ["/robots.txt"], key="trivial 3")
        measure("article detail, uncached", article_paths, "page cache off")
        measure("agent detail, uncached", [f"/agents/{s}/" for s in agent_slugs], "page cache off")

    connections.close_all()
    big_db = scratch_database(DB_NAME + "_dashboard")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = DB_NAME + "_dashboard"
    call_command("migrate", verbosity=0)
    t = time.time()
    build_big_dashboard_set(args.dashboard_articles)
    analyze()
    big_cookie = staff_session_cookie()
    print(f"dashboard data set: {args.dashboard_articles:,} articles built in {time.time() - t:.1f} s")
    with Server(big_db):
        measure(
            f"review dashboard ({args.dashboard_articles:,} articles)",
            ["/admin/cytokines/article/review-dashboard/"],
            cookie=big_cookie,
            key="big dashboard",
            server_note=f"{args.dashboard_connections} connections",
            connections=args.dashboard_connections,
        )

    write_results(rows, args, time.time() - started)


def write_results(rows, args, seconds):
    by_name = {row["key"]: row for row in rows}
    # The baseline is the median of three measurements spread over the run: on a shared machine one 15 s
    # row can land on a stall (a trivial view at half speed made every page look twice as fast).
    trivials = [by_name[key]["rps"] for key in ("trivial Django view (framework ceiling)", "trivial 2", "trivial 3")]
    trivial = statistics.median(trivials)
    probe = by_name["health probe"]["rps"]
    cached = by_name["article detail, cached"]["rps"] / trivial
    uncached = by_name["article detail, uncached"]["rps"] / trivial
    agent = by_name["agent detail, uncached"]["rps"] / trivial
    search = by_name["search"]["rps"] / trivial
    dashboard = by_name["big dashboard"]
    errors = sum(r["errors"] for r in rows)
    checks = [
        (f"cached article pages ≥ {TARGETS['cached_ratio']:.0%} of the trivial view", f"{cached:.0%}",
         cached >= TARGETS["cached_ratio"]),
        (f"uncached article pages ≥ {TARGETS['uncached_ratio']:.0%} of the trivial view", f"{uncached:.0%}",
         uncached >= TARGETS["uncached_ratio"]),
        (f"uncached agent pages ≥ {TARGETS['agent_ratio']:.0%} of the trivial view", f"{agent:.0%}",
         agent >= TARGETS["agent_ratio"]),
        (f"search ≥ {TARGETS['search_ratio']:.0%} of the trivial view", f"{search:.0%}",
         search >= TARGETS["search_ratio"]),
        (f"review dashboard p50 < {TARGETS['dashboard_p50_ms']} ms at {args.dashboard_articles:,} articles",
         f"{dashboard['p50']:.1f} ms" if dashboard["requests"] > dashboard["errors"] else "every request timed out",
         dashboard["requests"] > dashboard["errors"] and dashboard["p50"] < TARGETS["dashboard_p50_ms"]),
        ("zero errors in every run", str(errors), errors == 0),
    ]  # fmt: skip
    lines = [
        "## Page speed (`make bench`)",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%d %B %Y} with `make bench` (bench/load_bench.py), "
        f"{seconds / 60:.0f} minutes.",
        "",
        f"- Machine: {machine_description()}. wrk and gunicorn share these cores, so absolute numbers are",
        "  lower than on a dedicated host; the ratios to the baselines are the point.",
        f"- Server: gunicorn, {WORKERS} sync workers, DEBUG off, PostgreSQL 15 on the same machine, Redis cache,",
        "  whitenoise serving compressed, hashed static files.",
        f"- Load: wrk, 2 threads, {args.connections} connections "
        f"({args.dashboard_connections} for the staff dashboard),",
        f"  {args.duration} s per row after every page was fetched once and a 3 s warm-up; article rows rotate",
        "  over all 1,000 articles, agent rows over all 100 agents.",
        '- "Uncached" rows run a second server with the whole-page cache switched off (PUBLIC_PAGE_CACHE=0); the',
        "  cached pieces of article and fact-sheet pages (cytokines/public/fragments.py: per published revision,",
        "  per content version, the site header and footer per language) and which revision is live at each",
        "  address (cytokines/public/live_pages.py, per content version) are used as in production, and were",
        "  filled by the priming pass; every request still runs the view and the page's templates. What the",
        "  first reader after a publish pays is in the profile section (`make bench-profile`).",
        "",
        "- The trivial view is `/robots.txt`: no database, no template, every middleware. Until December 2026",
        "  this table measured against `/healthz/live`, which the first middleware answers before all the others",
        "  (load balancers probe it); its row stays, and the last column gives each page against it too.",
        f"- \"vs trivial view\" divides by the median of the trivial view's three rows ({trivial:,.0f} req/s): it is",
        "  measured at the start, after the cached rows and on the page-cache-off server, so one row that lands",
        "  on a stall of the shared machine does not move every ratio.",
        "",
        "| page | requests/s | p50 ms | p99 ms | errors | vs trivial view | vs health probe |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        note = f" ({row['note']})" if row["note"] else ""
        lines.append(f"| {row['name']}{note} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                     f"{row['errors']} | {row['rps'] / trivial:.0%} | {row['rps'] / probe:.0%} |")  # fmt: skip
    lines += ["", "### Targets", "", "| target | measured | met |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in checks]
    write_results_section("load", "\n".join(lines))
    print("\n" + "\n".join(lines[-len(checks) - 4 :]))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
