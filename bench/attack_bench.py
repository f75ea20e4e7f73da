"""Attack bench: replays three attacks from the black-box review against production settings (issue 22).

Run: make attack   (or: .venv/bin/python bench/attack_bench.py [--slow 200] [--busting 10000])

1. Slowloris: 200 connections send their headers a byte at a time while a normal reader asks for pages,
   through nginx configured with the repository's deploy/nginx snippets (buffering proxy), and, for
   comparison, straight at gunicorn. Target: the reader's pages answer in under 1 s behind nginx.
2. Cache busting: 10,000 requests with distinct query strings (`?cb=N`, made-up page numbers and kinds)
   straight at gunicorn (the worst case: an attacker with many addresses, so no proxy rate limit), with
   Redis given a memory limit and an evicting policy. Target: Redis memory stays under its limit.
3. Hung SMTP: the mail server accepts connections and never answers. Target: a sign-up answers in under
   1 s, and its e-mail is sent once the mail server answers again.

Everything runs on its own ports (gunicorn 8174, nginx 8175, Redis 8176, SMTP 8177) with a scratch
database, and is stopped at the end. Results are printed and written to bench/RESULTS.md.
"""

import argparse
import concurrent.futures
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from _services import FakeSmtp, Gunicorn, ScratchRedis, _wait_for_port
from _setup import ROOT, django_on, machine_description, scratch_database, write_results_section
from load_bench import build_site

APP_PORT, NGINX_PORT, REDIS_PORT, SMTP_PORT, TLS_PORT, REDIRECT_PORT = 8174, 8175, 8176, 8177, 8178, 8179
SNIPPETS = ROOT / "deploy" / "nginx" / "snippets"
OBSERVATORY = ROOT / "bench" / ".observatory"  # npm's @mdn/mdn-http-observatory, installed on first use
OBSERVATORY_VERSION = "1.4.8"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include snippets/cytokine-portal-zones.conf;
    upstream cytokine_portal {{ server 127.0.0.1:{app}; }}
    server {{
        listen 127.0.0.1:{port};
        include snippets/cytokine-portal-limits.conf;
        include snippets/cytokine-portal-locations.conf;
    }}
    # HTTPS with a certificate from a throw-away CA, and plain HTTP that only redirects, as deployed.
    server {{
        listen 127.0.0.1:{tls} ssl;
        server_name localhost;
        ssl_certificate {tmp}/site.pem;
        ssl_certificate_key {tmp}/site.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        include snippets/cytokine-portal-limits.conf;
        include snippets/cytokine-portal-locations.conf;
    }}
    server {{
        listen 127.0.0.1:{redirect};
        return 301 https://localhost:{tls}$request_uri;
    }}
}}
"""
CERTIFICATES = """
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=attack bench CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey rsa:2048 -nodes -keyout site.key -out site.csr -subj "/CN=localhost"
printf "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" > site.ext
openssl x509 -req -in site.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out site.pem -days 2 -extfile site.ext
"""


class Nginx:
    """nginx with the repository's snippets in front of gunicorn, or None when deploy/ has none."""

    def __init__(self):
        self.tmp, self.process = None, None

    def __enter__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="cytokine-attack-nginx-"))
        shutil.copytree(SNIPPETS, self.tmp / "snippets")
        subprocess.run(["bash", "-ec", CERTIFICATES], cwd=self.tmp, check=True, capture_output=True)
        (self.tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=self.tmp, app=APP_PORT, port=NGINX_PORT,
                                                               tls=TLS_PORT, redirect=REDIRECT_PORT))  # fmt: skip
        self.process = subprocess.Popen(["nginx", "-p", str(self.tmp), "-c", str(self.tmp / "nginx.conf"),
                                         "-g", "daemon off;"], stderr=subprocess.PIPE)  # fmt: skip
        _wait_for_port(NGINX_PORT)
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- 1. slowloris ---------------------------------------------------------------------------------


def slowloris(port, connections, duration, reader_paths):
    """Hold ``connections`` half-sent requests open on ``port`` while a reader fetches pages; reader timings."""
    stop = threading.Event()

    def attacker():
        sock = None
        while not stop.is_set():
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                sock.sendall(b"X-a: b\r\n")  # a header line every second, never the blank line that ends them
            except OSError:
                sock = None  # cut off (as a buffering proxy does): reconnect, as a real attacker would
            stop.wait(1.0)
        if sock is not None:
            sock.close()

    threads = [threading.Thread(target=attacker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    time.sleep(3)  # let the slow connections settle in
    timings, failures, deadline = [], 0, time.monotonic() + duration
    while time.monotonic() < deadline:
        for path in reader_paths:
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                connection.close()
                timings.append(time.monotonic() - started)
                failures += response.status >= 400
            except OSError:
                timings.append(10.0)
                failures += 1
        time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    return timings, failures


# --- headers: the HTTP Observatory's score ---------------------------------------------------------


def observatory_score(ca_file):
    """The MDN HTTP Observatory's score of the HTTPS site, with its own tests and grader (needs node and npm)."""
    import json

    package = OBSERVATORY / "node_modules" / "@mdn" / "mdn-http-observatory"
    if not package.is_dir():
        subprocess.run(["npm", "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix",
                        str(OBSERVATORY), f"@mdn/mdn-http-observatory@{OBSERVATORY_VERSION}"],
                       check=True, capture_output=True, timeout=600)  # fmt: skip
    # Its install step downloads Chromium's HSTS preload list (installed here without scripts); a bench site
    # is on no preload list, so an empty one scores it exactly as the real list would.
    preload = package / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}")
    shutil.copy(ROOT / "bench" / "observatory_score.mjs", OBSERVATORY / "score.mjs")
    env = {**os.environ, "NODE_EXTRA_CA_CERTS": str(ca_file), "NODE_OPTIONS": "--dns-result-order=ipv4first"}
    output = subprocess.run(["node", str(OBSERVATORY / "score.mjs"), "localhost", str(REDIRECT_PORT), str(TLS_PORT)],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    try:
        return json.loads(output.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": (output.stdout + output.stderr)[-500:]}


# --- 2. cache busting ---------------------------------------------------------------------------


def cache_busting(count, paths, redis):
    peak, stop = [0], threading.Event()

    def watch():
        while not stop.is_set():
            peak[0] = max(peak[0], int(redis.info()["used_memory"]))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    local = threading.local()

    def fetch(n):
        path = paths[n % len(paths)]
        query = [f"cb={n}", f"utm_source=x{n}", f"page={n + 2}", f"kind=k{n}"][n % 4]
        if getattr(local, "connection", None) is None:
            local.connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
        try:
            local.connection.request("GET", f"{path}?{query}")
            response = local.connection.getresponse()
            response.read()
            return response.status
        except OSError:
            local.connection = None
            return "error"

    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(count)))
    elapsed = time.monotonic() - began
    stop.set()
    watcher.join()
    memory = redis.info()
    keys = int(redis.info("keyspace").get("db0", "keys=0").split(",")[0].split("=")[1])
    return {"elapsed": elapsed, "peak": peak[0], "limit": int(memory["maxmemory"]), "keys": keys, "pages": len(paths),
            "evicted": int(redis.info("stats")["evicted_keys"]), "errors": sum(s != 200 for s in statuses)}  # fmt: skip


# --- 3. hung SMTP -------------------------------------------------------------------------------


def sign_up_with_smtp_hung(smtp, port):
    from django.conf import settings
    from django.db import connections

    from cytokines.ops.mail import mail_send_queued

    smtp.mode = "hang"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/newsletter/")
    response = connection.getresponse()
    html = response.read().decode()
    cookie = "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie")
    address = f"attack-{secrets.token_hex(4)}@example.org"
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": TOKEN.search(html).group(1), "email": address,
                                   "consent": "on"})  # fmt: skip
    started = time.monotonic()
    connection.request("POST", "/newsletter/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Referer": f"http://127.0.0.1:{port}/newsletter/"})  # fmt: skip
    answer = connection.getresponse()
    answer.read()
    answered = time.monotonic() - started
    # The worker meets the hung server, gives up after EMAIL_TIMEOUT and defers the message.
    connections.close_all()
    worker = threading.Thread(target=mail_send_queued, daemon=True)
    worker.start()
    time.sleep(3)
    smtp.mode = "ok"  # the mail server answers again
    returned = time.monotonic()
    worker.join(timeout=60)
    settings.MAIL_RETRY_FIRST_DELAY_SECONDS = 0  # the next cron run retries at once
    delivered = None
    while time.monotonic() < returned + 60 and delivered is None:
        mail_send_queued()
        delivered = next((t for t, rcpts in smtp.received if address in rcpts), None)
        time.sleep(0.2)
    return answer.status, answered, (delivered - returned) if delivered else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--slow-seconds", type=int, default=20)
    parser.add_argument("--busting", type=int, default=10_000)
    parser.add_argument("--redis-maxmemory", default="32mb")
    args = parser.parse_args()

    database = scratch_database("cytokine_attack")
    mail = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(SMTP_PORT), "EMAIL_TIMEOUT": "5"}  # fmt: skip
    with ScratchRedis(REDIS_PORT, maxmemory=args.redis_maxmemory) as redis, FakeSmtp(SMTP_PORT) as smtp:
        django_on(database, DEBUG="0", SECRET_KEY="attack-bench", ALLOWED_HOSTS="127.0.0.1", REDIS_URL=redis.url,
                  LOG_LEVEL="ERROR", **mail)  # fmt: skip
        from django.core.management import call_command

        call_command("collectstatic", "--no-input", verbosity=0)
        article_slugs, agent_slugs = build_site(articles=200, references=2_000, agents=30)
        paths = ["/", "/articles/", "/agents/", *(f"/articles/{s}/" for s in article_slugs[:50]),
                 *(f"/agents/{s}/" for s in agent_slugs[:10])]  # fmt: skip
        server = Gunicorn(APP_PORT, database_url=database, redis_url=redis.url, secret_key=secrets.token_urlsafe(50),
                          TRUSTED_PROXIES="127.0.0.1", FORM_RATE_LIMIT="1000/m", **mail)  # fmt: skip
        results = {}
        with server:
            for path in paths:  # every page rendered once, as on a live site
                urllib_get(path)
            if SNIPPETS.is_dir():
                with Nginx() as nginx:
                    results["observatory"] = observatory_score(nginx.tmp / "ca.pem")
                    results["slow_proxy"] = slowloris(NGINX_PORT, args.slow, args.slow_seconds, paths[:4])
                    results["smtp"] = sign_up_with_smtp_hung(smtp, NGINX_PORT)
            else:
                results["smtp"] = sign_up_with_smtp_hung(smtp, APP_PORT)
            results["slow_direct"] = slowloris(APP_PORT, args.slow, args.slow_seconds, paths[:4])
            results["busting"] = cache_busting(args.busting, paths, redis)
    report(results, args)


def urllib_get(path):
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
    connection.request("GET", path)
    connection.getresponse().read()
    connection.close()


def _slow_line(label, result):
    timings, failures = result
    return (f"- {label}: reader's pages p50 {statistics.median(timings) * 1000:.0f} ms, slowest "
            f"{max(timings) * 1000:.0f} ms, {failures} failed of {len(timings)}.")  # fmt: skip


def _observatory_lines(result):
    if not result:
        return "- Not run (no deploy/nginx snippets)."
    if "error" in result:
        return f"- Could not score: {result['error']}"
    counted = ", ".join(f"{name} {test['modifier']:+d}" for name, test in sorted(result["tests"].items())
                        if test["modifier"])  # fmt: skip
    return (f"- Score {result['score']} ({result['grade']}), from the npm package @mdn/mdn-http-observatory "
            f"{OBSERVATORY_VERSION}'s own tests against https://localhost behind nginx: {counted or 'no modifiers'}.")


def report(results, args):
    busting, (status, answered, mailed_after) = results["busting"], results["smtp"]
    slow = results.get("slow_proxy")
    observatory = results.get("observatory") or {}
    slow_ok = slow is not None and max(slow[0]) < 1.0 and not slow[1]
    lines = [
        "## Attack bench (`make attack`)",
        "",
        f"- Machine: {machine_description()}. gunicorn with production settings (sync workers), Redis with "
        f"`maxmemory {args.redis_maxmemory}` and `volatile-lru`, nginx with the repository's `deploy/nginx` "
        "snippets; a shared machine, so timings are indicative.",
        "",
        "### Slowloris",
        f"{args.slow} connections each sending one header line a second and never finishing, for "
        f"{args.slow_seconds} s, while a reader fetches the home page and lists every 0.5 s.",
        _slow_line("Through nginx", slow) if slow else "- Through nginx: not run (no deploy/nginx snippets).",
        _slow_line("Straight at gunicorn, for comparison", results["slow_direct"]),
        "",
        "### Cache busting",
        f"{args.busting:,} requests with distinct query strings (`?cb=N`, `?utm_source=N`, made-up page numbers "
        f"and kinds) over {busting['pages']} pages, straight at gunicorn, in {busting['elapsed']:.0f} s; "
        f"{busting['errors']} answered other than 200.",
        f"- Redis memory peaked at {busting['peak'] / 2**20:.1f} MiB of its {busting['limit'] / 2**20:.0f} MiB limit; "
        f"{busting['keys']} keys at the end; {busting['evicted']} evicted.",
        "",
        "### Headers: HTTP Observatory",
        _observatory_lines(results.get("observatory")),
        "",
        "### Sign-up while the mail server hangs",
        f"- The sign-up answered {status} in {answered * 1000:.0f} ms; its confirmation e-mail was sent "
        + (f"{mailed_after:.1f} s after the mail server answered again." if mailed_after is not None else "NEVER."),
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| reader's page under 1 s with {args.slow} slow connections (behind nginx) | "
        f"{f'{max(slow[0]) * 1000:.0f} ms' if slow else 'not run'} | {'yes' if slow_ok else 'NO'} |",
        f"| Redis memory under its limit with {args.busting:,} distinct query strings | "
        f"{busting['peak'] / 2**20:.1f} MiB of {busting['limit'] / 2**20:.0f} MiB | "
        f"{'yes' if busting['peak'] < busting['limit'] else 'NO'} |",
        f"| HTTP Observatory score 120 or more (behind nginx with TLS) | {observatory.get('score', 'not run')} | "
        f"{'yes' if observatory.get('score', 0) >= 120 else 'NO'} |",
        f"| sign-up with SMTP hung under 1 s, mailed when SMTP returns | {answered * 1000:.0f} ms, "
        f"{'mailed' if mailed_after is not None else 'not mailed'} | "
        f"{'yes' if answered < 1 and status == 302 and mailed_after is not None else 'NO'} |",
    ]
    text = "\n".join(lines)
    print(text)
    write_results_section("attack", text)


if __name__ == "__main__":
    main()
