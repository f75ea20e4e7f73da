from django.conf import settings

from cytokines.management.commands._base import PortalCommand
from cytokines.ops.backup import backup_create, backups_rotate


class Command(PortalCommand):
    help = (
        "Back up the whole database (every table, by the database's own dump) with a manifest of row counts and "
        "checksums, into BACKUP_DIR, encrypted when BACKUP_AGE_RECIPIENTS is set; then rotate old backups. "
        "Run it daily from cron. Restore with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Write to this file instead (no rotation), e.g. /tmp/portal.tar")
        parser.add_argument("--no-rotate", action="store_true", help="Keep every older backup this time.")

    def handle(self, *args, path=None, no_rotate=False, **options):
        target, manifest = backup_create(target=path)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Wrote {target} ({manifest['dump']['bytes'] / 1e6:,.1f} MB dump): {len(manifest['tables'])} tables, "
            f"{rows:,} rows, in {manifest['seconds']:.1f} s"
            f"{', encrypted' if settings.BACKUP_AGE_RECIPIENTS else ', NOT encrypted (set BACKUP_AGE_RECIPIENTS)'}."
        )
        if path is None and not no_rotate:
            for old in backups_rotate():
                self.stdout.write(f"Deleted {old.name} (rotation: {settings.BACKUP_KEEP_DAILY} daily, "
                                  f"{settings.BACKUP_KEEP_WEEKLY} weekly)")  # fmt: skip
