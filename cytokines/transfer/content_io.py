"""Import and export content files: one path for the admin, the management commands and the benchmark."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from cytokines.transfer.limits import MAX_IMPORT_BYTES, LimitExceeded
from cytokines.transfer.resources import CONTENT_RESOURCES
from cytokines.transfer.spreadsheets import FORMATS_BY_NAME
from cytokines.transfer.tables import UnreadableFile

__all__ = ["MAX_IMPORT_BYTES", "ImportRejected", "ImportSummary", "export_bytes", "export_dataset", "format_for",
           "import_dataset", "import_directory", "read_dataset"]  # fmt: skip


class ImportRejected(Exception):
    """The file was not imported at all; ``problems`` says which rows and why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems[:10]))


@dataclass
class ImportSummary:
    new: int
    updated: int
    skipped: int
    dry_run: bool
    notes: list = field(default_factory=list)  # per row, in words: e.g. what happened to a published page


def format_for(path, name=None):
    name = (name or Path(path).suffix.lstrip(".")).lower()
    if name not in FORMATS_BY_NAME:
        raise ImportRejected([f"Unknown file format “{name}”; use one of: {', '.join(FORMATS_BY_NAME)}."])
    return FORMATS_BY_NAME[name]()


def read_dataset(raw, file_format):
    """Bytes of a file -> Dataset, within the limits (size, rows, columns, cells, nesting); or ImportRejected."""
    try:
        return file_format.create_dataset(raw)
    except (LimitExceeded, UnreadableFile) as problem:
        raise ImportRejected([str(problem)]) from None
    except Exception:  # a parser's own error: say what to do, not what broke inside it
        raise ImportRejected([f"The file cannot be read as {file_format.get_title()}; check it was saved in that "
                              "format."]) from None  # fmt: skip


def problems_in(result, resource=None):
    """Every problem of a refused import, each naming its row and column, in an editor's words."""
    problems = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [f"Row {number}: {error.error}" for error in errors]
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            column = resource.column_for(name) if resource else name
            where = "" if name == "__all__" else f", column “{column}”"
            problems.append(f"Row {invalid.number}{where}: {' '.join(messages)}")
    return problems


def resource_with(resource_class, **meta_options):
    """An instance of ``resource_class`` with some Meta options changed, leaving the class itself alone."""
    meta = type("Meta", (resource_class.Meta,), meta_options)
    return type(resource_class.__name__, (resource_class,), {"Meta": meta})()


def import_dataset(kind, dataset, *, dry_run=False, use_bulk=None):
    """Import ``dataset`` as ``kind`` (see CONTENT_RESOURCES); all rows or none. Raise ImportRejected."""
    options = {"skip_diff": True}  # the per-row diff is for the admin's preview; scripts do not show it
    if use_bulk is not None:
        options["use_bulk"] = use_bulk
    resource = resource_with(CONTENT_RESOURCES[kind], **options)
    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
            )
            problems = problems_in(result, resource)
            if problems:
                raise ImportRejected(problems)
    except ValidationError as invalid:
        raise ImportRejected(invalid.messages) from None
    totals = result.totals
    notes = getattr(resource, "row_notes", [])
    return ImportSummary(totals.get("new", 0), totals.get("update", 0), totals.get("skip", 0), dry_run, notes)


def export_dataset(kind, queryset=None):
    return CONTENT_RESOURCES[kind]().export(queryset)


def export_bytes(kind, file_format, queryset=None):
    return file_format.export_data(export_dataset(kind, queryset))


@transaction.atomic
def import_directory(directory, *, file_format, dry_run=False):
    """Import every content file in ``directory`` in dependency order, as one all-or-nothing import."""
    summaries = {}
    for kind in CONTENT_RESOURCES:
        path = Path(directory) / f"{kind}.{file_format.get_extension()}"
        if path.exists():
            summaries[kind] = import_dataset(kind, read_dataset(path.read_bytes(), file_format), dry_run=dry_run)
    return summaries
