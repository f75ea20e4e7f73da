"""Backups that cannot miss a table, and restores that write nothing unless everything matches.

A backup is the database's own dump (django-dbbackup's connectors: ``pg_dump`` on PostgreSQL, SQLite's
online backup on SQLite), so every table is in it by construction: a model added tomorrow is backed up
without anyone listing it. Beside the dump, a manifest records every table's rows and checksum, read in
the same snapshot the dump was taken from. A restore checks the file against the manifest, refuses a
target that holds anything, and on PostgreSQL runs the dump and then the manifest check in ONE
transaction, so a mismatch rolls everything back. On SQLite the file is checked before it is moved into
place. Models deliberately left out are listed in ``EXCLUDED_MODELS`` with the reason.
"""

import gzip
import logging
import os
import sqlite3
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import django
from dbbackup.db.exceptions import CommandConnectorError
from dbbackup.db.postgresql import PgDumpConnector
from dbbackup.db.sqlite import SqliteBackupConnector
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import backup_files, backup_tables
from .backup_files import BackupUnreadable

# django-dbbackup sets its command logger to DEBUG when imported, so every dump's command line would be
# printed whatever LOG_LEVEL says; let it follow the project's level.
logging.getLogger("dbbackup.command").setLevel(logging.NOTSET)

EXCLUDED_MODELS = {
    "sessions.Session": "Sign-in sessions expire within weeks; after a restore, staff simply sign in again.",
    "axes.AccessAttempt": "Login lockout counters that expire within the hour; they hold IP addresses.",
}


class RestoreRefused(Exception):
    """Nothing was written: the message says why."""


def excluded_tables():
    return {apps.get_model(label)._meta.db_table: reason for label, reason in EXCLUDED_MODELS.items()}


def undecided_models(backed_up_tables, models=None):
    """Models whose rows no backup holds and that no written reason excludes: each one is a gap."""
    gaps = []
    for model in apps.get_models(include_auto_created=True) if models is None else models:
        if model._meta.proxy:
            continue  # its rows live in its concrete model's table
        if model._meta.db_table not in backed_up_tables and model._meta.label not in EXCLUDED_MODELS:
            gaps.append(model._meta.label)
    return sorted(gaps)


# --- backing up -------------------------------------------------------------------------------------------


def backup_create(*, target=None, alias="default"):
    """Write a backup of database ``alias``; return ``(path, manifest)``.

    Without ``target`` it goes into ``BACKUP_DIR`` under a timestamped name, and older backups are rotated.
    """
    started = time.monotonic()
    directory = (backup_files.private_directory(Path(target).parent, ours=False) if target
                 else backup_files.private_directory(settings.BACKUP_DIR))  # fmt: skip
    with tempfile.TemporaryDirectory(dir=directory, prefix=".dump-") as scratch:
        dump_path = Path(scratch) / "database.gz"
        if backup_tables.is_postgresql(alias):
            tables, schema, objects = _dump_postgresql(alias, dump_path)
        else:
            tables, schema, objects = _dump_sqlite(alias, dump_path), "", {}
        with open(dump_path, "rb") as dump:
            digest, size = backup_files.sha256_of(dump)
        manifest = {
            "format": backup_files.FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connections[alias].vendor,
            "schema": schema,
            "django": django.get_version(),
            "migrations": _latest_migrations(alias),
            "dump": {"name": "database.sql.gz" if schema else "database.sqlite3.gz", "bytes": size, "sha256": digest},
            "tables": tables,
            "schema_objects": objects,
            "excluded": {table: reason for table, reason in excluded_tables().items() if table in tables},
        }
        encrypted = bool(settings.BACKUP_AGE_RECIPIENTS)
        path = Path(target) if target else directory / backup_files.backup_name(timezone.now(), encrypted=encrypted)
        backup_files.write_archive(path, manifest, dump_path, recipients=settings.BACKUP_AGE_RECIPIENTS)
    manifest["seconds"] = round(time.monotonic() - started, 2)
    return path, manifest


def backups_rotate(directory=None):
    """Delete backups the rotation no longer keeps (``BACKUP_KEEP_DAILY`` days, ``BACKUP_KEEP_WEEKLY`` weeks)."""
    backups = backup_files.backups_in(directory or settings.BACKUP_DIR)
    _kept, deleted = backup_files.rotation(
        backups, keep_daily=settings.BACKUP_KEEP_DAILY, keep_weekly=settings.BACKUP_KEEP_WEEKLY
    )
    for path in deleted:
        path.unlink()
    return deleted


def backup_latest(directory=None):
    backups = backup_files.backups_in(directory or settings.BACKUP_DIR)
    if not backups:
        raise BackupUnreadable(f"No backup in {directory or settings.BACKUP_DIR}: run `manage.py backup_data` first.")
    return backups[0][1]


def _dump_postgresql(alias, dump_path):
    """Dump and count in one snapshot, at the same time (two cores), so the manifest describes the dump."""
    source = connections[alias].copy()
    try:
        source.set_autocommit(False)
        with source.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_schema()")
            snapshot, schema = cursor.fetchone()
            tables = backup_tables.pg_tables(cursor)
            excluded = [table for table in excluded_tables() if table in tables]
            connector = PgDumpConnector(
                alias, drop=False, if_exists=False, exclude=excluded,
                dump_suffix=f"--no-owner --no-privileges --compress={settings.BACKUP_COMPRESSION} "
                            f"--snapshot={snapshot}",
            )  # fmt: skip
            with ThreadPoolExecutor(max_workers=1) as pool:
                dumping = pool.submit(connector.create_dump)
                stats = backup_tables.pg_table_stats(cursor, [t for t in tables if t not in excluded])
                stdout = dumping.result()
            stats.update({table: {"rows": 0, "checksum": "0"} for table in excluded})
            objects = backup_tables.pg_schema_objects(cursor)
        source.rollback()
    finally:
        source.close()
    with stdout, backup_files.private_file(dump_path) as sink:
        backup_files.copy_stream(stdout, sink)
    return stats, schema, objects


def _dump_sqlite(alias, dump_path):
    copy_path = dump_path.with_name("database.sqlite3")
    with SqliteBackupConnector(alias).create_dump() as copy, backup_files.private_file(copy_path) as sink:
        backup_files.copy_stream(copy, sink)
    stats = backup_tables.sqlite_file_stats(copy_path)
    with open(copy_path, "rb") as source, backup_files.private_file(dump_path) as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=settings.BACKUP_COMPRESSION) as sink:
            backup_files.copy_stream(source, sink)
    return stats


def _latest_migrations(alias):
    recorder = MigrationRecorder(connections[alias])
    latest = {}
    for app, name in recorder.applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


# --- restoring --------------------------------------------------------------------------------------------


def backup_restore(path, *, alias="default"):
    """Restore backup ``path`` into database ``alias``, which must be empty; return the manifest.

    Raises ``BackupUnreadable`` or ``RestoreRefused``; in both cases nothing was written.
    """
    started = time.monotonic()
    with backup_files.open_archive(path, identity=settings.BACKUP_AGE_IDENTITY) as (manifest, open_dump):
        engine = connections[alias].vendor
        if manifest["engine"] != engine:
            raise RestoreRefused(f"This is a {manifest['engine']} backup; the target database is {engine}.")
        _refuse_unless_empty(alias)
        if engine == "postgresql":
            _restore_postgresql(alias, manifest, open_dump)
        else:
            _restore_sqlite(alias, manifest, open_dump)
    manifest["seconds"] = round(time.monotonic() - started, 2)
    return manifest


def _refuse_unless_empty(alias):
    tables = backup_tables.occupied_tables(alias)
    if tables:
        with_rows = [table for table, has_rows in tables.items() if has_rows]
        held = f"{', '.join(with_rows[:8])}{' …' if len(with_rows) > 8 else ''} hold rows" if with_rows else ""
        raise RestoreRefused(
            f"The target database is not empty: it has {len(tables)} tables"
            f"{f' ({held})' if held else ''}. Nothing was restored. Restore only into a new, empty database "
            f"(for PostgreSQL: createdb NAME, then point DATABASE_URL at it)."
        )


# pg_dump's last comment: a plain dump without it was cut short.
PG_END_MARKER = b"-- PostgreSQL database dump complete"
# A restore whose input stops early must not commit: this deferred foreign key fails at COMMIT unless the
# last line of the input (after the manifest check) has run.
PG_GUARD = (
    "CREATE TEMPORARY TABLE restore_finished (id int PRIMARY KEY);\n"
    "CREATE TEMPORARY TABLE restore_guard (id int REFERENCES restore_finished DEFERRABLE INITIALLY DEFERRED);\n"
    "INSERT INTO restore_guard VALUES (1);\n"
)
PG_FINISH = "INSERT INTO pg_temp.restore_finished VALUES (1);\n"


def _restore_postgresql(alias, manifest, open_dump):
    connector = PgDumpConnector(alias, single_transaction=True)  # psql --single-transaction, ON_ERROR_STOP
    read_end, write_end = os.pipe()
    failure = []

    def feed():
        try:
            with os.fdopen(write_end, "wb") as sink:
                sink.write(PG_GUARD.encode())
                with open_dump() as member, gzip.GzipFile(fileobj=member) as sql:
                    tail = _copy_keeping_tail(sql, sink)
                if PG_END_MARKER not in tail:
                    sink.write(
                        b"DO $$ BEGIN RAISE EXCEPTION 'The dump stops before its end marker: cut short'; END $$;\n"
                    )
                    return
                tables, objects = manifest["tables"], manifest["schema_objects"]
                sink.write(backup_tables.pg_verify_sql(manifest["schema"], tables, objects).encode())
                sink.write(PG_FINISH.encode())
        except BrokenPipeError:
            pass  # psql stopped on an error; its message is the one to report
        except (OSError, EOFError) as problem:
            failure.append(problem)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        with os.fdopen(read_end, "rb") as stdin:
            connector.restore_dump(stdin)
    except CommandConnectorError as problem:
        raise RestoreRefused(f"Nothing was restored: {_psql_error(str(problem))}") from None
    finally:
        feeder.join()
    if failure:  # cannot happen after the SHA-256 check, but the guard above has already refused to commit
        raise RestoreRefused(f"Nothing was restored: the dump could not be read ({failure[0]}).")


def _copy_keeping_tail(source, sink, keep=512):
    tail = b""
    for chunk in iter(lambda: source.read(1 << 20), b""):
        sink.write(chunk)
        tail = (tail + chunk)[-keep:]
    return tail


def _psql_error(text):
    errors = [line.split("ERROR:", 1)[1].strip() for line in text.splitlines() if "ERROR:" in line]
    return "; ".join(errors) or text.strip().splitlines()[-1]


def _restore_sqlite(alias, manifest, open_dump):
    target = Path(connections[alias].settings_dict["NAME"])
    incoming = target.with_name(f".{target.name}.restoring")
    try:
        with (
            open_dump() as member,
            gzip.GzipFile(fileobj=member) as source,
            backup_files.private_file(incoming) as sink,
        ):
            backup_files.copy_stream(source, sink)
        try:
            problems = backup_tables.differences(manifest["tables"], backup_tables.sqlite_file_stats(incoming))
        except sqlite3.DatabaseError as problem:
            problems = [f"the database file is unreadable ({problem})"]
        if problems:
            raise RestoreRefused("Nothing was restored: the dump does not match its manifest: " + "; ".join(problems))
        connections[alias].close()
        os.replace(incoming, target)
    finally:
        if incoming.exists():
            incoming.unlink()


def age_identity_generate():
    """A new key pair for backup encryption: ``(public recipient, private identity)``."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    return str(identity.to_public()), str(identity)
