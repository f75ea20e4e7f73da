from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.transfer.content_io import ImportRejected, format_for, import_dataset, import_directory, read_dataset
from cytokines.transfer.resources import CONTENT_RESOURCES


class Command(PortalCommand):
    help = (
        "Import articles, agents, references, contributors or cancer types from CSV, XLSX or JSON. "
        "All rows or none: one bad row rolls back the whole file and is reported with its row number. "
        "Imported articles and agents always arrive as drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*CONTENT_RESOURCES, "all"], help="What the file holds.")
        parser.add_argument("path", help="The file, or with 'all' a folder written by export_content.")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], help="Default: from the file extension.")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, save nothing.")

    def handle(self, *args, kind, path, format, dry_run, **options):
        try:
            if kind == "all":
                summaries = import_directory(path, file_format=format_for(path, format or "json"), dry_run=dry_run)
            else:
                with open(path, "rb") as handle:
                    dataset = read_dataset(handle.read(), format_for(path, format))
                summaries = {kind: import_dataset(kind, dataset, dry_run=dry_run)}
        except ImportRejected as rejected:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(rejected.problems[:50])) from None
        except FileNotFoundError as missing:
            raise CommandError(f"Nothing was imported: there is no file or folder “{missing.filename}”.") from None
        except IsADirectoryError:
            raise CommandError(f"Nothing was imported: “{path}” is a folder; give a file, or use “all”.") from None
        except PermissionError:
            raise CommandError(f"Nothing was imported: “{path}” cannot be read (permission denied).") from None
        for name, summary in summaries.items():
            verb = "would import" if dry_run else "imported"
            counts = f"{summary.new} new, {summary.updated} updated, {summary.skipped} unchanged"
            self.stdout.write(f"{name}: {verb} {counts}")
            for note in summary.notes:
                self.stdout.write(f"  {note}")
