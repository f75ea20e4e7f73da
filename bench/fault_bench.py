"""Fault bench: mixed traffic while PostgreSQL restarts, Redis stops for 10 s and SMTP refuses for 10 s.

Run: make bench-fault   (or: .venv/bin/python bench/fault_bench.py [--duration 70] [--connections 32])

Everything it stops is its own: a scratch PostgreSQL cluster (initdb in a temporary directory), a
redis-server and an SMTP server on ports 8171-8173, gunicorn on 8170; all are stopped at the end,
whatever happens. Root is needed only to run initdb as the ``postgres`` user (as CI runs).

Targets (issue 13): 0 lost acknowledged writes (every sign-up and donation that got a success answer
is in the database, and its e-mail arrives once mail is back); 0 server errors on cached public pages
while Redis is down (they render from the database); recovery under 2 s after each service returns.
Results go to bench/RESULTS.md.
"""

import argparse
import collections
import http.client
import random
import re
import secrets
import threading
import time
import urllib.parse

from _services import FakeSmtp, Gunicorn, ScratchPostgres, ScratchRedis
from _setup import django_on, machine_description, write_results_section
from load_bench import build_site

APP_PORT, PG_PORT, REDIS_PORT, SMTP_PORT = 8170, 8171, 8172, 8173
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
CACHED_KINDS = {"article", "agent", "home"}
DB_KINDS = {"search", "sign-up", "donation"}
TARGET_RECOVERY_S = 2.0


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (time, kind, outcome) where outcome is a status code or an exception name
        self.acknowledged_emails = []
        self.acknowledged_donations = []

    def add(self, kind, outcome):
        with self.lock:
            self.events.append((time.monotonic(), kind, outcome))


class Visitor:
    """One connection's worth of traffic: a browser-like client with its own cookies."""

    def __init__(self, number, recorder, article_paths, agent_paths):
        self.number, self.recorder = number, recorder
        self.article_paths, self.agent_paths = article_paths, agent_paths
        self.cookies = {}
        self.connection = None
        self.rng = random.Random(number)
        self.sequence = 0

    def request(self, method, path, body=None):
        for attempt in range(2):  # one silent retry of a dropped keep-alive connection, as browsers do
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=15)
                headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
                if body is not None:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                    headers["Referer"] = f"http://127.0.0.1:{APP_PORT}{path}"
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name] = rest.split(";", 1)[0]
                return response.status, response.getheader("Location", ""), payload.decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                self.connection = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def step(self):
        roll = self.rng.random()
        if roll < 0.45:
            self.page(self.rng.choice(self.article_paths), "article")
        elif roll < 0.55:
            self.page(self.rng.choice(self.agent_paths), "agent")
        elif roll < 0.60:
            self.page("/", "home")
        elif roll < 0.75:
            self.page("/search/?q=" + self.rng.choice(["interleukin", "fever", "benchkine7", "cytokine"]), "search")
        elif roll < 0.90:
            self.sign_up()
        else:
            self.donate()

    def page(self, path, kind):
        try:
            status, _, _ = self.request("GET", path)
            self.recorder.add(kind, status)
        except (OSError, http.client.HTTPException) as problem:
            self.recorder.add(kind, type(problem).__name__)

    def _form(self, path):
        status, _, html = self.request("GET", path)
        if status != 200:
            return None, html, status
        return TOKEN.search(html).group(1), html, status

    def sign_up(self):
        self.sequence += 1
        email = f"fault-{self.number}-{self.sequence}-{time.monotonic_ns()}@example.org"
        try:
            token, _, status = self._form("/newsletter/")
            if token is None:
                self.recorder.add("sign-up", status)
                return
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email, "consent": "on"})
            status, location, _ = self.request("POST", "/newsletter/", body)
            self.recorder.add("sign-up", status)
            if status == 302 and "check-your-inbox" in location:
                with self.recorder.lock:
                    self.recorder.acknowledged_emails.append(email)
        except (OSError, http.client.HTTPException) as problem:
            self.recorder.add("sign-up", type(problem).__name__)

    def donate(self):
        try:
            token, html, status = self._form("/donate/")
            if token is None:
                self.recorder.add("donation", status)
                return
            body = urllib.parse.urlencode({
                "csrfmiddlewaretoken": token, "idempotency_key": IDEMPOTENCY.search(html).group(1),
                "preset_amount": "other", "other_amount": f"{self.rng.randint(5, 500)}.00", "frequency": "one_time",
                "donor_name": f"Fault Tester {self.number}", "email": f"donor{self.number}@example.org",
            })  # fmt: skip
            status, location, _ = self.request("POST", "/donate/", body)
            self.recorder.add("donation", status)
            match = re.search(r"/donate/thanks/([A-Z0-9-]+)/", location)
            if status == 302 and match:
                with self.recorder.lock:
                    self.recorder.acknowledged_donations.append(match.group(1))
        except (OSError, http.client.HTTPException) as problem:
            self.recorder.add("donation", type(problem).__name__)


def mail_worker(stop, every=1.0):
    """The mail queue's worker, as cron runs ``send_pending_mail`` (every second here, every minute in production)."""
    from django.db import connections

    from cytokines.ops.mail import mail_send_queued

    while not stop.is_set():
        try:
            mail_send_queued()
        except Exception:  # the database restart breaks this thread's connection too: reconnect next round
            connections.close_all()
        stop.wait(every)


def drain_mail(timeout=60.0):
    """Send everything still queued or deferred, without the production back-off; return what is left."""
    from django.conf import settings
    from django.db import connections

    from cytokines.ops.mail import mail_queue_stats, mail_send_queued

    connections.close_all()
    settings.MAIL_RETRY_FIRST_DELAY_SECONDS = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mail_send_queued()
        stats = mail_queue_stats()
        if not stats["queued"] and not stats["retrying"]:
            break
    return mail_queue_stats()


def first_redis_hit_after(redis, since, *, timeout=10.0):
    """When the application reads from Redis again (its first cache hit) after ``since``."""
    deadline = since + timeout
    while time.monotonic() < deadline:
        if int(redis.info("stats").get("keyspace_hits", "0")) > 0:  # a restarted Redis starts from zero
            return time.monotonic()
        time.sleep(0.02)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=70)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    at = {"postgres": args.duration * 0.15, "redis": args.duration * 0.35, "smtp": args.duration * 0.65}
    outage = 10.0

    with ScratchPostgres(PG_PORT) as postgres, ScratchRedis(REDIS_PORT) as redis, FakeSmtp(SMTP_PORT) as smtp:
        database = postgres.create_database("cytokine_fault")
        mail_env = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                    "EMAIL_PORT": str(SMTP_PORT), "EMAIL_TIMEOUT": "5"}  # fmt: skip
        django_on(database, DEBUG="0", SECRET_KEY="fault-bench", ALLOWED_HOSTS="127.0.0.1", REDIS_URL=redis.url,
                  LOG_LEVEL="ERROR", **mail_env)  # fmt: skip
        from django.core.management import call_command

        call_command("collectstatic", "--no-input", verbosity=0)
        from django.conf import settings

        settings.MAIL_RETRY_FIRST_DELAY_SECONDS = 1  # the bench is short: retry deferred mail after 1, 2, 4 s...
        article_slugs, agent_slugs = build_site(articles=args.articles, references=args.articles * 10, agents=50)
        recorder, stop, marks = Recorder(), threading.Event(), {}
        visitors = [Visitor(n, recorder, [f"/articles/{s}/" for s in article_slugs],
                            [f"/agents/{s}/" for s in agent_slugs]) for n in range(args.connections)]  # fmt: skip
        server = Gunicorn(APP_PORT, database_url=database, redis_url=redis.url, secret_key=secrets.token_urlsafe(50),
                          FORM_RATE_LIMIT="100000/m", DB_CONN_MAX_AGE="60", **mail_env)  # fmt: skip
        with server:
            def run(visitor):
                while not stop.is_set():
                    visitor.step()

            threads = [threading.Thread(target=run, args=(v,), daemon=True) for v in visitors]
            threads.append(threading.Thread(target=mail_worker, args=(stop,), daemon=True))
            began = time.monotonic()
            for thread in threads:
                thread.start()

            def wait_until(offset):
                time.sleep(max(0.0, began + offset - time.monotonic()))

            wait_until(at["postgres"])
            marks["postgres"] = postgres.restart()
            wait_until(at["redis"])
            redis.stop()
            stopped = time.monotonic()
            wait_until(at["redis"] + outage)
            redis.start()
            marks["redis"] = (stopped, time.monotonic())
            marks["redis_back"] = first_redis_hit_after(redis, marks["redis"][1])
            wait_until(at["smtp"])
            smtp.mode = "refuse"
            refused = time.monotonic()
            wait_until(at["smtp"] + outage)
            smtp.mode = "ok"
            marks["smtp"] = (refused, time.monotonic())
            wait_until(args.duration)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        left = drain_mail()
        report(recorder, smtp, began, marks, args, server.final_log, left)


def _window(events, start, end, kinds=None):
    return [(t, k, o) for t, k, o in events if start <= t <= end and (kinds is None or k in kinds)]


def report(recorder, smtp, began, marks, args, server_log, mail_left):
    from cytokines.models import Donation, Subscriber

    events = sorted(recorder.events)
    ok = {"200", "302"}
    errors = [(t, kind, o) for t, kind, o in events if str(o) not in ok]
    by_status = collections.Counter(str(outcome) for _, _, outcome in events)

    pg_began, pg_done = marks["postgres"]
    pg_errors = _window(errors, pg_began, pg_done + 5)
    pg_last_error = max((t for t, _, _ in pg_errors), default=None)
    pg_back = min((t for t, k, o in events if k in DB_KINDS and str(o) in ok and t >= pg_done), default=None)
    pg_recovery = (pg_back - pg_done) if pg_back else None

    redis_down, redis_up = marks["redis"]
    redis_window = _window(events, redis_down, redis_up + 2)
    cached_5xx = [e for e in redis_window if e[1] in CACHED_KINDS and str(e[2]) not in ok]
    redis_other_errors = [e for e in redis_window if e[1] not in CACHED_KINDS and str(e[2]) not in ok]
    redis_recovery = (marks["redis_back"] - redis_up) if marks["redis_back"] else None

    smtp_down, smtp_up = marks["smtp"]
    smtp_errors = [e for e in _window(errors, smtp_down, smtp_up + 2) if e[1] == "sign-up"]
    first_mail = min((t for t, _ in smtp.received if t >= smtp_up), default=None)
    smtp_recovery = (first_mail - smtp_up) if first_mail else None
    delivered_to = {address for _, recipients in smtp.received for address in recipients}

    stored_emails = set(
        Subscriber.objects.filter(email__in=recorder.acknowledged_emails).values_list("email", flat=True)
    )
    stored_refs = set(
        Donation.objects.filter(reference__in=recorder.acknowledged_donations).values_list("reference", flat=True)
    )
    lost_emails = sorted(set(recorder.acknowledged_emails) - stored_emails)
    lost_refs = sorted(set(recorder.acknowledged_donations) - stored_refs)
    unmailed = sorted(set(recorder.acknowledged_emails) - delivered_to)

    def seconds(t):
        return f"{t:.2f} s" if t is not None else "never"

    def met(ok_):
        return "yes" if ok_ else "NO"

    recoveries = [pg_recovery, redis_recovery, smtp_recovery]
    lines = [
        "## Fault bench (`make bench-fault`)",
        "",
        f"- Machine: {machine_description()}.",
        f"- {args.connections} connections for {args.duration} s of mixed traffic (article, agent and home pages, "
        "searches, newsletter sign-ups, donations, each with its CSRF round trip) against gunicorn with production "
        "settings, on the bench's own PostgreSQL cluster, redis-server and SMTP server (nothing shared is stopped).",
        f"- Faults: PostgreSQL `pg_ctl restart -m fast` at {pg_began - began:.1f} s (took {pg_done - pg_began:.2f} s); "
        f"Redis stopped at {redis_down - began:.1f} s for {redis_up - redis_down:.1f} s; SMTP refusing connections "
        f"at {smtp_down - began:.1f} s for {smtp_up - smtp_down:.1f} s.",
        "",
        f"- Requests: {len(events):,} ({len(events) - len(errors):,} succeeded). By status: "
        f"{', '.join(f'{k}: {v:,}' for k, v in sorted(by_status.items()))}.",
        f"- PostgreSQL restart: {len(pg_errors)} failed requests (kinds: "
        f"{dict(collections.Counter(k for _, k, _ in pg_errors))}), last at "
        f"{seconds(pg_last_error and pg_last_error - began)}; database-backed requests succeeded again "
        f"{seconds(pg_recovery)} after the restart returned.",
        f"- Redis stopped: {len(redis_window):,} requests in the outage; cached public pages answered 5xx "
        f"{len(cached_5xx)} times; other failures {len(redis_other_errors)}; the page cache was read again "
        f"{seconds(redis_recovery)} after Redis came back.",
        f"- SMTP refusing: {len(smtp_errors)} failed sign-ups (requests only queue mail; a worker sends it every "
        f"second, as cron runs `send_pending_mail`); the first e-mail arrived {seconds(smtp_recovery)} after SMTP "
        f"came back; once the queue was drained, {len(recorder.acknowledged_emails) - len(unmailed):,} of "
        f"{len(recorder.acknowledged_emails):,} acknowledged sign-ups had their confirmation e-mail "
        f"(queue left: {mail_left}).",
        f"- Acknowledged writes: {len(recorder.acknowledged_emails):,} sign-ups, "
        f"{len(recorder.acknowledged_donations):,} donations; lost: {len(lost_emails) + len(lost_refs)}. "
        "Server errors logged: "
        f"{server_log.count('Internal Server Error')}.",
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| 0 lost acknowledged writes | {len(lost_emails) + len(lost_refs)} | "
        f"{met(not lost_emails and not lost_refs)} |",
        f"| 0 e-mails lost to the SMTP outage | {len(unmailed)} | {met(not unmailed)} |",
        f"| 0 5xx on cached public pages while Redis is down | {len(cached_5xx)} | {met(not cached_5xx)} |",
        f"| recovery under {TARGET_RECOVERY_S:.0f} s (PostgreSQL / Redis / SMTP) | "
        f"{' / '.join(seconds(r) for r in recoveries)} | "
        f"{met(all(r is not None and r < TARGET_RECOVERY_S for r in recoveries))} |",
    ]
    text = "\n".join(lines)
    print(text)
    write_results_section("fault", text)
    if lost_emails or lost_refs:
        raise SystemExit(f"LOST acknowledged writes: {lost_emails[:5]} {lost_refs[:5]}")


if __name__ == "__main__":
    main()
