import time

from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.ops import backup_tables
from cytokines.ops.backup import BackupUnreadable, RestoreRefused, backup_latest, backup_restore
from cytokines.ops.scratch import scratch_database


class Command(PortalCommand):
    help = (
        "Prove the newest backup restores: restore it into a scratch database beside this one, compare every "
        "table's rows and checksum with the backup's manifest (the source at backup time) and with the source "
        "now, print the timings, drop the scratch database. Fails loudly on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The backup to try; default: the newest in BACKUP_DIR.")

    def handle(self, *args, path=None, **options):
        try:
            path = path or backup_latest()
            with scratch_database(label="restore_drill") as alias:
                started = time.monotonic()
                manifest = backup_restore(path, alias=alias)
                restored = time.monotonic()
                actual = table_stats(alias, manifest["tables"])
                compared = time.monotonic()
        except (BackupUnreadable, RestoreRefused) as problem:
            raise CommandError(f"Restore drill FAILED: {problem}") from None
        problems = backup_tables.differences(manifest["tables"], actual)
        source_now = table_stats("default", [t for t in manifest["tables"] if t not in manifest["excluded"]])
        kept = {t: figures for t, figures in manifest["tables"].items() if t not in manifest["excluded"]}
        changed = backup_tables.differences(kept, source_now)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backup {path} taken {manifest['created_at']}: {len(manifest['tables'])} tables, {rows:,} rows"
        )
        self.stdout.write(f"  restore into a scratch database (checked against the manifest inside the "
                          f"transaction): {restored - started:.2f} s")  # fmt: skip
        self.stdout.write(f"  row counts and checksums of every table compared again: {compared - restored:.2f} s")
        self.stdout.write(f"  tables that changed in the source since the backup: {len(changed)}"
                          + (f" ({'; '.join(changed[:5])})" if changed else ""))  # fmt: skip
        if problems:
            raise CommandError("Restore drill FAILED: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed: {len(actual)} tables match the backup."))


def table_stats(alias, tables):
    from django.db import connections, transaction

    connection = connections[alias]
    if connection.vendor != "postgresql":
        stats = backup_tables.sqlite_alias_stats(alias)
        return {table: figures for table, figures in stats.items() if table in tables}
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        present = set(backup_tables.pg_tables(cursor))
        return backup_tables.pg_table_stats(cursor, [t for t in tables if t in present])
