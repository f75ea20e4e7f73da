"""Replica bench: two app servers ("hosts") on a PostgreSQL primary and its streaming replica.

Run: make bench-replica   (or: .venv/bin/python bench/replica_bench.py [--publishes 10])

It starts everything it uses and stops all of it at the end, whatever happens:
- a scratch PostgreSQL primary (initdb in a temporary directory) and a streaming replica made from it
  with pg_basebackup, each on its own port (as the ``postgres`` user when run as root);
- two gunicorn instances with production settings, both with DATABASE_URL on the primary and
  DATABASE_REPLICA_URL on the replica, sharing one Redis database (BENCH_REDIS_URL; it is emptied).

Then, again and again: an Editor changes a live article's summary (the working copy, as the admin
saves it) and sends it for review, a Medical reviewer approves it, a second Editor publishes it through
host A's admin (the real transition endpoint, CSRF and all), and an anonymous reader asks host B for
the page straight after the answer.
Host B must serve the new text at once: the publish retired the cached pages on both hosts, and host B
reads the replica only once it has replayed the publish (cytokines/ops/replica.py).
Figures are printed and written to bench/RESULTS.md.
"""

import argparse
import contextlib
import datetime
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.parse

from _services import Gunicorn, ScratchPostgres, _wait_for_port
from _setup import django_on, machine_description, write_results_section

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET_KEY = secrets.token_urlsafe(50)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DB = "cytokine_replica_bench"


class Replica:
    """A streaming replica of ``primary`` (a running ScratchPostgres): pg_basebackup, then pg_ctl start."""

    def __init__(self, primary, port):
        self.primary, self.port = primary, port
        self.directory = None

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="cytokine-bench-replica-")
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        os.chmod(self.directory, 0o700)
        # -R writes standby.signal and primary_conninfo: the copy starts as a hot standby streaming from it.
        self.primary._run(str(self.primary.bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p",
                          str(self.primary.port), "-U", "postgres", "-D", f"{self.directory}/data", "-R",
                          "-X", "stream", "--checkpoint=fast")  # fmt: skip
        self._ctl("start")
        _wait_for_port(self.port)
        return self

    def _ctl(self, *args):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c hot_standby=on"
        return self.primary._run(str(self.primary.bindir / "pg_ctl"), "-D", f"{self.directory}/data", "-l",
                                 f"{self.directory}/log", "-o", options, "-w", "-t", "60", *args)  # fmt: skip

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class Browser:
    """A client with its own cookies, on one host."""

    def __init__(self, port, cookies=None):
        self.port, self.cookies = port, dict(cookies or {})

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, payload


def medical_reviewer():
    """A Medical reviewer linked to a contributor profile (publishing records who approved), and an author."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cytokines.models import Contributor

    user = get_user_model().objects.create_user("rita", password=secrets.token_urlsafe(16), is_staff=True)
    user.groups.add(Group.objects.get(name="Medical reviewer"))
    Contributor.objects.create(user=user, name="Dr Rita Bench", slug="rita-bench", credentials="MD",
                               role="medical_reviewer")  # fmt: skip
    author = Contributor.objects.create(name="Wendy Writer", slug="wendy-writer", role="writer")
    return user, author


def signed_in_cookie(username):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.create_user(username, password=secrets.token_urlsafe(16), is_staff=True,
                                                first_name=username.title())  # fmt: skip
    user.groups.add(Group.objects.get(name="Editor"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user, {settings.SESSION_COOKIE_NAME: session.session_key}


def rows_read(url):
    """Rows the server has returned for the bench database so far (its own statistics)."""
    import psycopg2

    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s", [DB])
        value = cursor.fetchone()[0]
    connection.close()
    return value


def replication_state(primary_url):
    import psycopg2

    connection = psycopg2.connect(primary_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT state, sync_state, coalesce(extract(epoch FROM replay_lag) * 1000, 0) "
                       "FROM pg_stat_replication")  # fmt: skip
        row = cursor.fetchone()
    connection.close()
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=10)
    parser.add_argument("--ports", default="8181,8182,8183,8184", help="host A, host B, primary, replica")
    parser.add_argument("--reads", type=int, default=300, help="anonymous page views on host B, for the row counts")
    args = parser.parse_args()
    # A stop (Ctrl-C or kill) unwinds the ExitStack below, which stops every server this bench started.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(1)))
    port_a, port_b, port_primary, port_replica = (int(p) for p in args.ports.split(","))
    started = time.monotonic()
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, capture_output=True)
    with contextlib.ExitStack() as stack:
        primary = stack.enter_context(ScratchPostgres(port_primary))
        primary_url = primary.create_database(DB)
        django_on(primary_url, DEBUG="0", SECRET_KEY=SECRET_KEY, REDIS_URL=REDIS_URL)
        from django.core.management import call_command
        from load_bench import build_site

        call_command("collectstatic", "--no-input", verbosity=0)  # production settings serve hashed files

        article_slugs, _ = build_site(articles=60, references=600, agents=6)
        editor, editor_cookies = signed_in_cookie("ed")
        publisher, publisher_cookies = signed_in_cookie("pat")
        from django.db import connections

        connections.close_all()
        replica = stack.enter_context(Replica(primary, port_replica))
        replica_url = replica.url(DB)
        deadline = time.monotonic() + 30
        while replication_state(primary.url()) is None and time.monotonic() < deadline:
            time.sleep(0.1)  # the replica connects to the primary's WAL sender
        print(f"primary on {port_primary}, streaming replica on {port_replica}: {replication_state(primary.url())}")
        env = {"DATABASE_REPLICA_URL": replica_url, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
        hosts = [stack.enter_context(Gunicorn(port, database_url=primary_url, redis_url=REDIS_URL,
                                              secret_key=SECRET_KEY, workers=2, **env))
                 for port in (port_a, port_b)]  # fmt: skip
        print(f"host A on {port_a}, host B on {port_b}: both on the primary and the replica, one Redis")
        try:
            results = publish_and_read(args, article_slugs, editor, editor_cookies, publisher_cookies, port_a, port_b)
            results.update(read_load(args, article_slugs, port_b, primary.url(DB), replica_url))
        except Exception:
            for name, host in zip("AB", hosts, strict=True):
                print(f"--- host {name}'s log ---\n{host.log_text()[-4000:]}")
            raise
        results["replication"] = replication_state(primary.url())
        for host in hosts:
            errors = [line for line in host.log_text().splitlines() if "ERROR" in line or "Traceback" in line]
            results.setdefault("server_errors", 0)
            results["server_errors"] += len(errors)
    results["seconds"] = time.monotonic() - started
    report(args, results)


def publish_and_read(args, slugs, editor, editor_cookies, publisher_cookies, port_a, port_b):
    from cytokines.models import Article
    from cytokines.review import workflow
    from cytokines.review.models import ChecklistItem

    reviewer, author = medical_reviewer()
    checklist = list(ChecklistItem.objects.filter(is_active=True).values_list("pk", flat=True))
    reader_b = Browser(port_b)
    admin_a = Browser(port_a, publisher_cookies)
    outcomes = []
    for number in range(args.publishes):
        slug = slugs[number]
        path = f"/articles/{slug}/"
        status, before = reader_b.request("GET", path)  # host B caches the old page
        assert status == 200, (path, status)
        article = Article.objects.get(slug=slug)
        article.authors.add(author)
        new_summary = "A summary, " + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8)) + "."
        assert new_summary not in before
        article.summary = new_summary
        article.save()
        workflow.record_edit(page=article, user=editor)  # the first Editor's saved change (a pending revision)
        workflow.transition(page=article, user=editor, name="submit")
        workflow.transition(page=article, user=reviewer, name="approve_medical", checklist=checklist)
        change = f"/admin/cytokines/article/{article.pk}/change/"
        status, form = admin_a.request("GET", change)
        token = TOKEN.search(form).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "transition": "publish",
                                       "comment": "bench"})  # fmt: skip
        published = time.monotonic()
        status, _ = admin_a.request("POST", f"/admin/cytokines/article/{article.pk}/transition/", body)
        answered = time.monotonic()
        if status != 302:
            raise RuntimeError(f"host A refused the publish: {status} {_[:300]}")
        status_b, after = reader_b.request("GET", path)
        served = time.monotonic()
        live = Article.objects.select_related("live_revision").get(pk=article.pk).live_revision.summary
        if live != new_summary:
            _, page = admin_a.request("GET", change)
            print("not published:", re.findall(r'<li class="(?:error|warning)">(.*?)</li>', page))
        outcomes.append({"published": live == new_summary, "fresh": new_summary in after, "status": status_b,
                         "publish_ms": (answered - published) * 1000,
                         "read_ms": (served - answered) * 1000})  # fmt: skip
        print(f"publish {number + 1}: live on the primary {live == new_summary}, host B served the new text "
              f"{new_summary in after} {(served - answered) * 1000:.1f} ms after host A answered")  # fmt: skip
    return {"outcomes": outcomes}


def read_load(args, slugs, port_b, primary_url, replica_url):
    """Anonymous page views on host B (cache misses included): where do the rows come from?"""
    reader = Browser(port_b)
    before = rows_read(primary_url), rows_read(replica_url)
    timings = []
    for number in range(args.reads):
        path = f"/articles/{slugs[number % len(slugs)]}/" if number % 3 else f"/search/?q=cytokine+{number}"
        began = time.monotonic()
        status, _ = reader.request("GET", path)
        timings.append((time.monotonic() - began) * 1000)
        assert status == 200, (path, status)
    time.sleep(1.0)
    after = rows_read(primary_url), rows_read(replica_url)
    return {"reads": args.reads, "read_p50": statistics.median(timings),
            "rows_primary": after[0] - before[0], "rows_replica": after[1] - before[1]}  # fmt: skip


def report(args, results):
    outcomes = results["outcomes"]
    published = sum(o["published"] for o in outcomes)
    fresh = sum(o["fresh"] for o in outcomes)
    state, sync_state, lag = results["replication"] or ("none", "", 0)
    lines = [
        "## Read replica (`make bench-replica`)",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%d %B %Y} with `make bench-replica` (bench/replica_bench.py), "
        f"{results['seconds']:.0f} s in all.",
        "",
        f"- Machine: {machine_description()}; shared with other work.",
        "- A scratch PostgreSQL 15 primary and a streaming replica made from it with `pg_basebackup -R -X stream`"
        f" (replication state: {state}, {sync_state}, replay lag {lag:.1f} ms at the end); two gunicorn"
        " instances (2 sync workers each) with production settings, both on the primary and the replica, one"
        " shared Redis database.",
        f"- {args.publishes} times: an Editor changed a live article's summary and sent it for review, a Medical"
        " reviewer approved it, a second Editor published it through host A's admin (transition endpoint,"
        " CSRF), and an anonymous reader asked host B"
        " for the page straight after host A answered (host B had the old page cached).",
        "",
        "| measure | result |",
        "|---|---:|",
        f"| publishes live on the primary | {published} of {len(outcomes)} |",
        f"| host B served the new text on the first request after the publish | {fresh} of {len(outcomes)} |",
        f"| publish request on host A, median | {statistics.median(o['publish_ms'] for o in outcomes):.0f} ms |",
        f"| host B's first page after it, median | {statistics.median(o['read_ms'] for o in outcomes):.1f} ms |",
        f"| anonymous page views on host B afterwards (articles and searches), p50 | {results['read_p50']:.1f} ms |",
        f"| rows read from the replica / the primary during those {results['reads']} views | "
        f"{results['rows_replica']:,} / {results['rows_primary']:,} |",
        f"| server errors logged | {results['server_errors']} |",
    ]
    ok = published == fresh == len(outcomes) and results["server_errors"] == 0
    lines += ["", f"Result: {'every publish was served by the other host at once' if ok else 'NOT MET'}."]
    text = "\n".join(lines)
    write_results_section("replica", text)
    print("\n" + text + "\n\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
