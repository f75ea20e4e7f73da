"""Backup and restore times: the demo database, then the same with 100,000 articles; writes bench/RESULTS.md.

Each size: a scratch PostgreSQL database (never the one you work in), `backup_data`, then `restore_drill`
(restore into another scratch database with the manifest check inside the transaction, then every table's
rows and checksum compared again). The 100,000 articles are copies of the demo's, with their bodies,
references and revisions.
"""

import argparse
import io
import re
import tempfile
import time

from _setup import django_on, machine_description, scratch_database, write_results_section

ROWS = []


def _columns(cursor, table, leave_out):
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                   [table])  # fmt: skip
    return [name for (name,) in cursor.fetchall() if name not in leave_out]


def grow_articles(total):
    """Copy the demo's articles until there are ``total``: each copy keeps its source's text, its numbered
    references and its revisions (published copies stay published), as a real library of that size would."""
    from django.db import connection

    from cytokines.models import Article

    have = Article.objects.count()
    # Pages that translate nothing: a copy of a translation would be a second translation of its source.
    sources = Article.objects.filter(translation_of=None).count()
    copies = max(0, -(-(total - have) // sources))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copy_of AS SELECT a.id AS source_id, left(a.slug, 180) || '-copy-' || g AS slug "
            "FROM cytokines_article a CROSS JOIN generate_series(1, %s) g WHERE a.translation_of_id IS NULL "
            "ORDER BY g, a.id LIMIT %s",
            [copies, total - have],
        )
        cursor.execute("CREATE UNIQUE INDEX ON copy_of (slug)")
        columns = _columns(cursor, "cytokines_article", {"id", "slug", "title", "live_revision_id", "search_document"})
        listed = ", ".join(columns)
        cursor.execute(  # names from the catalog, numbers as parameters
            f"INSERT INTO cytokines_article (slug, title, {listed}) SELECT c.slug, left(a.title, 180) || ' (' || "  # noqa: S608
            f"split_part(c.slug, '-copy-', 2) || ')', {', '.join('a.' + c for c in columns)} "
            "FROM copy_of c JOIN cytokines_article a ON a.id = c.source_id"
        )
        cursor.execute("CREATE TEMP TABLE copied AS SELECT c.source_id, n.id AS article_id, n.slug FROM copy_of c "
                       "JOIN cytokines_article n ON n.slug = c.slug")  # fmt: skip
        columns = _columns(cursor, "cytokines_articlereference", {"id", "article_id"})
        cursor.execute(
            f"INSERT INTO cytokines_articlereference (article_id, {', '.join(columns)}) "  # noqa: S608
            f"SELECT c.article_id, {', '.join('r.' + c for c in columns)} FROM copied c "
            "JOIN cytokines_articlereference r ON r.article_id = c.source_id"
        )
        columns = _columns(cursor, "cytokines_articlerevision", {"id", "article_id", "slug"})
        cursor.execute(
            f"INSERT INTO cytokines_articlerevision (article_id, slug, {', '.join(columns)}) "  # noqa: S608
            f"SELECT c.article_id, c.slug, {', '.join('r.' + c for c in columns)} FROM copied c "
            "JOIN cytokines_articlerevision r ON r.article_id = c.source_id"
        )
        # A published copy reads its own live revision (the newest of the source's, copied).
        cursor.execute(
            "UPDATE cytokines_article n SET live_revision_id = r.id FROM copied c, cytokines_article a, "
            "cytokines_articlerevision source, cytokines_articlerevision r WHERE n.id = c.article_id "
            "AND a.id = c.source_id AND source.id = a.live_revision_id AND r.article_id = n.id "
            "AND r.number = source.number"
        )
        cursor.execute("DROP TABLE copied; DROP TABLE copy_of")
    return Article.objects.count()


def measure(label):
    from django.conf import settings
    from django.core.management import call_command

    with tempfile.TemporaryDirectory() as folder:
        settings.BACKUP_DIR = folder
        started = time.perf_counter()
        call_command("backup_data", stdout=io.StringIO())
        backed_up = time.perf_counter() - started
        out = io.StringIO()
        started = time.perf_counter()
        call_command("restore_drill", stdout=out)
        drill = time.perf_counter() - started
        size = sum(p.stat().st_size for p in __import__("pathlib").Path(folder).glob("portal-*"))
    text = out.getvalue()
    restore = float(re.search(r"restore into a scratch database.*?: ([\d.]+) s", text).group(1))
    compare = float(re.search(r"compared again: ([\d.]+) s", text).group(1))
    rows = int(re.search(r"tables, ([\d,]+) rows", text).group(1).replace(",", ""))
    print(text)
    print(f"{label}: backup {backed_up:.2f} s, restore {restore:.2f} s, compare {compare:.2f} s, drill {drill:.2f} s")
    ROWS.append(f"| {label} | {rows:,} | {size / 1e6:.1f} MB | {backed_up:.2f} | {restore:.2f} | {compare:.2f} | "
                f"{drill:.2f} |")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    django_on(scratch_database("cytokine_bench_restore"), DEBUG="1")
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    measure("demo content")
    count = grow_articles(args.articles)
    measure(f"{count:,} articles")
    write_results_section("restore", "\n".join([
        "## Backup and restore (`make bench-restore`)",
        "",
        f"Machine: {machine_description()}; PostgreSQL on the same machine, shared with other work.",
        "`backup_data` (pg_dump, gzip level 1, manifest of every table read in the dump's snapshot), then",
        "`restore_drill`: restore into a scratch database with every table checked against the manifest inside",
        "the restore's transaction, then every table's rows and checksum compared again with the manifest",
        "and with the source.",
        "",
        "| database | rows | backup file | backup s | restore (checked) s | compare again s | whole drill s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *ROWS,
        "",
        "The 100,000 articles are copies of the demo's articles with their full text, numbered references and",
        "revisions (published copies keep a live revision): the rows a real library of that size holds.",
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
