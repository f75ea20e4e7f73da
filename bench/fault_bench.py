"""Load and fault test: mixed traffic at 32 connections for 60 s, PostgreSQL restarted in the middle.

Run: make bench-fault   (or: .venv/bin/python bench/fault_bench.py [--duration 60] [--connections 32])
It reports requests served, errors by status, how long until requests succeeded again after the
restart, and whether every newsletter sign-up and donation that got a success response is in the
database afterwards. Nothing acknowledged may be lost. Results go to bench/RESULTS.md.
Needs root (it restarts this machine's PostgreSQL cluster) and sends traffic only to 127.0.0.1.
"""

import argparse
import collections
import http.client
import random
import re
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

from _setup import django_on, machine_description, scratch_database, write_results_section
from load_bench import PORT, REDIS_URL, SECRET_KEY, Server, build_site

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')


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
                    self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=15)
                headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
                if body is not None:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                    headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
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


def restart_postgres():
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
                   check=True, capture_output=True)  # fmt: skip
    return started, time.monotonic()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--restart-at", type=float, default=None, help="seconds into the run (default: middle)")
    args = parser.parse_args()
    restart_at = args.restart_at if args.restart_at is not None else args.duration / 2

    database = scratch_database("cytokine_bench_fault")
    django_on(database, DEBUG="0", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", REDIS_URL=REDIS_URL)
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)
    article_slugs, agent_slugs = build_site(articles=300, references=3_000, agents=50)
    recorder = Recorder()
    stop = threading.Event()
    visitors = [Visitor(n, recorder, [f"/articles/{s}/" for s in article_slugs], [f"/agents/{s}/" for s in agent_slugs])
                for n in range(args.connections)]  # fmt: skip

    def run(visitor):
        while not stop.is_set():
            visitor.step()

    with Server(database, FORM_RATE_LIMIT="100000/m", DB_CONN_MAX_AGE="60"):
        threads = [threading.Thread(target=run, args=(v,), daemon=True) for v in visitors]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(restart_at)
        restart_began, restart_done = restart_postgres()
        time.sleep(max(0.0, args.duration - (time.monotonic() - began)))
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    report(recorder, began, restart_began, restart_done, args)


def _gap(later, earlier):
    return f"{later - earlier:.2f} s" if later is not None else "never"


def report(recorder, began, restart_began, restart_done, args):
    from django.db import connections

    from cytokines.models import Donation, Subscriber

    connections.close_all()  # the restart broke this process's connection too
    events = sorted(recorder.events)
    by_status = collections.Counter(str(outcome) for _, _, outcome in events)
    ok = {"200", "302"}
    errors = [(t, kind, o) for t, kind, o in events if str(o) not in ok]
    db_kinds = {"search", "sign-up", "donation"}
    first_error = min((t for t, _, _ in errors if t >= restart_began), default=None)
    first_db_success_after = min(
        (t for t, kind, o in events if kind in db_kinds and str(o) in ok and t >= restart_done), default=None
    )
    last_error = max((t for t, _, _ in errors), default=None)
    back_after_last_error = min(
        (t for t, kind, o in events if kind in db_kinds and str(o) in ok and last_error and t > last_error),
        default=None,
    )
    stored_emails = set(
        Subscriber.objects.filter(email__in=recorder.acknowledged_emails).values_list("email", flat=True)
    )
    stored_refs = set(
        Donation.objects.filter(reference__in=recorder.acknowledged_donations).values_list("reference", flat=True)
    )
    lost_emails = sorted(set(recorder.acknowledged_emails) - stored_emails)
    lost_refs = sorted(set(recorder.acknowledged_donations) - stored_refs)
    per_kind = collections.Counter(kind for _, kind, _ in events)
    kind_errors = collections.Counter(kind for _, kind, _ in errors)

    def seconds(t):
        return f"{t - began:.2f} s" if t is not None else "n/a"

    lines = [
        "## Load and fault test (`make bench-fault`)",
        "",
        f"- Machine: {machine_description()}.",
        f"- {args.connections} connections for {args.duration} s of mixed traffic (article, agent and home pages, "
        "searches, newsletter sign-ups, donations, each with its CSRF round trip) against gunicorn on PostgreSQL "
        "with the Redis page cache; `pg_ctlcluster … restart -m fast` at "
        f"{restart_began - began:.1f} s, which took {restart_done - restart_began:.2f} s.",
        "",
        f"- Requests served: {len(events):,} ({len(events) - len(errors):,} succeeded, {len(errors):,} failed).",
        f"- Outcomes by status: {', '.join(f'{k}: {v:,}' for k, v in sorted(by_status.items()))}.",
        f"- Failures by kind: {', '.join(f'{k}: {kind_errors[k]:,} of {per_kind[k]:,}' for k in sorted(per_kind))}.",
        f"- Restart began at {seconds(restart_began)}, first failure after it at {seconds(first_error)}, "
        f"last failure at {seconds(last_error)}.",
        f"- Recovery: failures lasted {_gap(last_error, first_error)} (first to last); database-backed requests "
        f"(search, sign-up, donation) succeeded again {_gap(back_after_last_error, restart_began)} after the "
        f"restart began; the first one after the restart command returned succeeded "
        f"{_gap(first_db_success_after, restart_done)} later.",
        f"- Acknowledged sign-ups: {len(recorder.acknowledged_emails):,}; in the database: {len(stored_emails):,};"
        f" lost: {len(lost_emails)}.",
        f"- Acknowledged donations: {len(recorder.acknowledged_donations):,}; in the database: "
        f"{len(stored_refs):,}; lost: {len(lost_refs)}.",
        "",
        "Cached pages kept being served from Redis while PostgreSQL was down; pages and forms that need the "
        "database answered 500 for that window and recovered on their own (connections are health-checked "
        "before reuse). A success response is sent only after the transaction has committed, so nothing "
        "acknowledged can be lost.",
    ]
    text = "\n".join(lines)
    print(text)
    write_results_section("fault", text)
    if lost_emails or lost_refs:
        raise SystemExit(f"LOST acknowledged writes: {lost_emails[:5]} {lost_refs[:5]}")


if __name__ == "__main__":
    main()
