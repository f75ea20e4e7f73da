"""Row counts and checksums per table: what a backup's manifest promises, and what a restore must match.

A checksum is the sum of a hash of every row printed as text, so it does not depend on the order a
restore writes rows in. Both sides print values with the same settings (time zone, date style, ...),
whatever the server's defaults are.
"""

import hashlib
import sqlite3

from django.db import connections, transaction

PG_TEXT_SETTINGS = [
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 3",
    "SET LOCAL bytea_output = 'hex'",
]
# 60 bits of each row's MD5 as a bigint, summed as numeric (no overflow); printed as text.
PG_STATS = "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text FROM {} AS t"


def is_postgresql(alias):
    return connections[alias].vendor == "postgresql"


def pg_tables(cursor):
    """Every ordinary table in the schema Django uses, which is what pg_dump writes."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
    )
    return [name for (name,) in cursor.fetchall()]


# Indexes, constraints and triggers come last in a dump; a dump cut before them restores every row.
PG_SCHEMA_OBJECTS = """
SELECT (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relnamespace = current_schema()::regnamespace),
       (SELECT count(*) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace),
       (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace)
"""


def pg_schema_objects(cursor):
    cursor.execute(PG_SCHEMA_OBJECTS)
    return dict(zip(("indexes", "constraints", "triggers"), cursor.fetchone(), strict=True))


def pg_table_stats(cursor, tables):
    """Rows and checksum per table, read inside the caller's transaction (and snapshot)."""
    for statement in PG_TEXT_SETTINGS:
        cursor.execute(statement)
    stats = {}
    for table in tables:
        cursor.execute(PG_STATS.format(_pg_quote(table)))
        rows, checksum = cursor.fetchone()
        stats[table] = {"rows": rows, "checksum": checksum}
    return stats


def pg_verify_sql(schema, expected, objects):
    """SQL that raises, inside the restore's transaction, unless every table matches ``expected``."""
    counted = PG_SCHEMA_OBJECTS.replace("current_schema()", _pg_literal(schema))
    want = f"{int(objects['indexes'])}, {int(objects['constraints'])}, {int(objects['triggers'])}"
    checks = [
        f"  EXECUTE {_pg_literal(counted)} INTO i, c, t;\n"
        f"  IF (i, c, t) <> ({want}) THEN\n"
        f"    RAISE EXCEPTION 'Backup check failed: % indexes, % constraints, % triggers (the manifest says {want})', "
        f"i, c, t;\n"
        f"  END IF;"
    ]
    for table, want in sorted(expected.items()):
        query = PG_STATS.format(f"{_pg_quote(schema)}.{_pg_quote(table)}")
        checks.append(
            f"  EXECUTE {_pg_literal(query)} INTO n, chk;\n"
            f"  IF n <> {int(want['rows'])} OR chk <> {_pg_literal(want['checksum'])} THEN\n"
            f"    RAISE EXCEPTION 'Backup check failed: table % has % rows (the manifest says %)', "
            f"{_pg_literal(table)}, n, {int(want['rows'])};\n"
            f"  END IF;"
        )
    return (
        ";\n".join(PG_TEXT_SETTINGS) + ";\n"
        "DO $verify$\nDECLARE n bigint; chk text; i bigint; c bigint; t bigint;\nBEGIN\n"
        + "\n".join(checks)
        + "\nEND\n$verify$;\n"
    )


def sqlite_file_stats(path):
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sqlite_table_stats(database)
    finally:
        database.close()


def sqlite_alias_stats(alias):
    """Figures for a Django SQLite connection, read from a plain copy (Django's converters change values)."""
    connection = connections[alias]
    connection.ensure_connection()
    plain = sqlite3.connect(":memory:")
    try:
        connection.connection.backup(plain)
        return sqlite_table_stats(plain)
    finally:
        plain.close()


def sqlite_table_stats(database):
    """The same figures for an SQLite database, computed in Python (SQLite has no MD5)."""
    tables = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    stats = {}
    for table in tables:
        rows, total = 0, 0
        for row in database.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 (names from sqlite_master)
            rows += 1
            total += int(hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest()[:15], 16)
        stats[table] = {"rows": rows, "checksum": str(total)}
    return stats


def occupied_tables(alias):
    """Tables in the target database, each with whether it holds any row (users count as rows)."""
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = pg_tables(cursor)
        else:
            tables = [name for name in connection.introspection.table_names(cursor) if not name.startswith("sqlite_")]
        quote = connection.ops.quote_name
        found = {}
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            found[table] = bool(cursor.fetchone()[0])
    return found


def differences(expected, actual):
    """Human-readable lines for every table whose rows or checksum differ (or that is missing)."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            lines.append(f"{table}: in the restored database but not in the backup")
        elif got is None:
            lines.append(f"{table}: missing from the restored database")
        elif want["rows"] != got["rows"]:
            lines.append(f"{table}: {got['rows']:,} rows, the backup holds {want['rows']:,}")
        elif str(want["checksum"]) != str(got["checksum"]):
            lines.append(f"{table}: same number of rows but different contents")
    return lines


def _pg_quote(name):
    return '"' + name.replace('"', '""') + '"'


def _pg_literal(text):
    return "'" + str(text).replace("'", "''") + "'"
