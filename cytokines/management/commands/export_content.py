from pathlib import Path

from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.transfer.content_io import ImportRejected, export_bytes, format_for
from cytokines.transfer.resources import CONTENT_RESOURCES


class Command(PortalCommand):
    help = "Export content as CSV, XLSX or JSON; with 'all', one file per kind into a folder (for import_content all)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*CONTENT_RESOURCES, "all"])
        parser.add_argument("output", help="A file path, or a folder with 'all'. '-' writes one kind to stdout.")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default=None)

    def handle(self, *args, kind, output, format, **options):
        try:
            self.export(kind, output, format)
        except ImportRejected as unknown_format:
            raise CommandError(f"Nothing was exported: {unknown_format.problems[0]}") from None
        except OSError as problem:
            where = problem.filename or output
            raise CommandError(f"Nothing was exported: cannot write “{where}” ({problem.strerror}).") from None

    def export(self, kind, output, format):
        if kind == "all":
            file_format = format_for(output, format or "json")
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            for name in CONTENT_RESOURCES:
                target = folder / f"{name}.{file_format.get_extension()}"
                self._write(target, export_bytes(name, file_format))
                self.stdout.write(f"wrote {target}")
            return
        file_format = format_for(output, format or ("json" if output == "-" else None))
        data = export_bytes(kind, file_format)
        if output == "-":
            self.stdout.write(data if isinstance(data, str) else data.decode())
        else:
            self._write(Path(output), data)

    def _write(self, path, data):
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
