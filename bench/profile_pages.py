"""Where does an uncached page spend its time? (make bench-profile)

Run: make bench-profile   (or: .venv/bin/python bench/profile_pages.py [--articles 1000] [--requests 200])

Fills a scratch PostgreSQL database with the scale bench's generator (realistic articles, references,
medicines), then renders each page in this process with the production settings and the whole-page
cache off, under cProfile: the time per page, its queries, and where the time goes, grouped into
SQL (the driver waiting on PostgreSQL), building model objects, templates, JSON-LD and the rest.
Prints the top functions of each page; ``--write`` puts the summary into bench/RESULTS.md.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time

from _setup import django_on, machine_description, scratch_database, write_results_section

# Where a function lives says what it is doing (first match wins).
GROUPS = [
    ("SQL in PostgreSQL (driver)", ("psycopg", "execute")),
    ("building model objects", ("django/db/models/base.py", "django/db/models/query.py:from_db",
                                "django/db/models/fields/__init__.py", "related_descriptors")),  # fmt: skip
    ("compiling SQL (ORM)", ("django/db/models/sql/", "django/db/models/expressions.py", "django/db/models/lookups")),
    ("templates", ("django/template/",)),
    ("JSON-LD", ("seo.py", "json/encoder")),
    ("middleware and request handling", ("django/core/handlers", "django/middleware", "csp/", "ops/", "test/client")),
]


def profile_page(client, path, requests, before=None):
    """``before`` runs ahead of each request, outside the timing (e.g. a publish's version bump)."""
    from django.db import connection

    before = before or (lambda: None)
    for _ in range(5):  # warm-up: compiled templates, connection, caches of the process
        assert client.get(path).status_code == 200, path
    before()
    connection.force_debug_cursor = True  # count this request's queries (the production settings log none)
    connection.queries_log.clear()
    client.get(path)
    queries = list(connection.queries_log)
    connection.force_debug_cursor = False
    times = []
    profiler = cProfile.Profile()
    for _ in range(requests):
        before()
        began = time.perf_counter()
        profiler.enable()
        client.get(path)
        profiler.disable()
        times.append((time.perf_counter() - began) * 1000)
    return profiler, statistics.median(times), len(queries)


def grouped(profiler, requests):
    """Own time (tottime) per group, in ms per request."""
    stats = pstats.Stats(profiler)
    totals = {name: 0.0 for name, _ in GROUPS}
    totals["everything else (Python)"] = 0.0
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        where = f"{filename}:{function}"
        for name, needles in GROUPS:
            if any(needle in where for needle in needles):
                totals[name] += tottime
                break
        else:
            totals["everything else (Python)"] += tottime
    return {name: seconds * 1000 / requests for name, seconds in totals.items()}


def top_functions(profiler, count=12):
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(count)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="write the summary into bench/RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", "")
    django_on(scratch_database("cytokine_profile"), PUBLIC_PAGE_CACHE="0", SECURE_SSL_REDIRECT="0",
              ALLOWED_HOSTS="testserver,127.0.0.1,localhost", LOG_LEVEL="ERROR", DEBUG="0")  # fmt: skip
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from scale_bench import build

    call_command("collectstatic", "--no-input", verbosity=0)
    data = build(args.articles)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from django.core.cache import cache

    from cytokines.content import live_version
    from cytokines.public import recent_searches

    reader, editor = Client(), Client()
    editor.force_login(data["editor"])
    article = reverse("cytokines:article-detail", args=[f"article-{args.articles // 2}"])
    medicine = reverse("cytokines:agent-detail", args=[data["agent"].slug])
    pages = [
        ("trivial view", reader, "/robots.txt"),
        ("article", reader, article),
        # What the first reader after a publish pays: a new content version retires the pieces that show other
        # pages; those frozen with the revision stay. And with nothing cached at all (a flushed cache).
        ("article, first render after a publish", reader, article, live_version.bump),
        ("article, empty cache", reader, article, cache.clear),
        ("medicine", reader, medicine),
        ("medicine, first render after a publish", reader, medicine, live_version.bump),
        ("search, asked again", reader, reverse("cytokines:search") + "?q=interleukin"),
        # A search this process has not kept (public/recent_searches.py): ranked in PostgreSQL and rendered.
        ("search, first time asked", reader, reverse("cytokines:search") + "?q=interleukin", recent_searches.forget),
        ("cancer type", reader, reverse("cytokines:cancer-type-detail", args=[data["cancer"].slug])),
        ("review dashboard", editor, reverse("admin:cytokines_review_dashboard")),
    ]
    rows = []
    for label, client, path, *before in pages:
        profiler, median, queries = profile_page(client, path, args.requests, *before)
        groups = grouped(profiler, args.requests)
        rows.append((label, median, queries, groups))
        print(f"=== {label} ({path}): {median:.2f} ms median, {queries} queries")
        for name, ms in sorted(groups.items(), key=lambda item: -item[1]):
            print(f"    {name:<34} {ms:6.2f} ms")
        print(top_functions(profiler))
    lines = [
        "## Where an uncached page spends its time (`make bench-profile`)",
        "",
        f"Measured {time.strftime('%d %B %Y')} with bench/profile_pages.py: {args.articles:,} articles from the"
        f" scale bench's generator, each page rendered {args.requests} times in-process under cProfile"
        " (production settings, whole-page cache off; the profiler itself slows Python roughly twofold, so"
        " the shares matter, not the milliseconds).",
        f"Machine: {machine_description()}.",
        "",
        "| page | ms (profiled) | queries | " + " | ".join(name for name, _ in GROUPS) + " | other Python |",
        "|---|---:|---:|" + "---:|" * (len(GROUPS) + 1),
    ]
    for label, median, queries, groups in rows:
        shares = [groups[name] for name, _ in GROUPS] + [groups["everything else (Python)"]]
        lines.append(f"| {label} | {median:.2f} | {queries} | " + " | ".join(f"{ms:.2f}" for ms in shares) + " |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_results_section("profile", text)


if __name__ == "__main__":
    main()
