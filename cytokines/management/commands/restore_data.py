from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.ops.backup import BackupUnreadable, RestoreRefused, backup_latest, backup_restore
from cytokines.review import writes


class Command(PortalCommand):
    help = (
        "Restore a backup written by backup_data into an EMPTY database (a new one: createdb NAME). It checks the "
        "file against its manifest first and every table's rows and checksum before committing: all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The backup file; default: the newest in BACKUP_DIR.")
        parser.add_argument("--database", default="default", help="Database alias to restore into.")

    def handle(self, *args, path=None, database="default", **options):
        try:
            path = path or backup_latest()
            manifest = backup_restore(path, alias=database)
        except (BackupUnreadable, RestoreRefused) as problem:
            message = str(problem)
            if "Nothing was restored" not in message:
                message += " Nothing was restored."
            raise CommandError(message) from None
        if database == "default":
            writes.content_changed()  # pages cached before the restore must not be served again
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored {path}: {len(manifest['tables'])} tables, {rows:,} rows, every table checked against the "
            f"manifest, in {manifest['seconds']:.1f} s. Then run `manage.py migrate` if this code is newer."
        )
