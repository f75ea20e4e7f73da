"""Spreadsheet formats that are safe to open and safe to read.

Writing: a cell never starts a formula. django-import-export's own switch only strips a leading "=" (and
turns empty cells into "None"); OWASP's advice is to prefix any cell that starts with = + - @ (or a
tab/CR) with an apostrophe (``ops.formulas``). Reading: within the import limits, streaming, with that
escaping undone (``tables``), for the admin and the commands alike.
"""

import tablib
from import_export.formats import base_formats

from cytokines.ops.formulas import escape_formula
from cytokines.transfer import tables


def escape_dataset(dataset):
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([escape_formula(cell) for cell in row])
    return escaped


class SafeFormatMixin:
    reader = None

    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return self.reader(in_stream)


class SafeCSV(SafeFormatMixin, base_formats.CSV):
    reader = staticmethod(tables.read_csv)


class SafeXLSX(SafeFormatMixin, base_formats.XLSX):
    reader = staticmethod(tables.read_xlsx)


class BoundedJSON(base_formats.JSON):
    """JSON is not opened by spreadsheet programs, so it carries values exactly; read within the limits."""

    def create_dataset(self, in_stream, **kwargs):
        return tables.read_json(in_stream)


SPREADSHEET_FORMATS = [SafeCSV, SafeXLSX, BoundedJSON]
FORMATS_BY_NAME = {"csv": SafeCSV, "xlsx": SafeXLSX, "json": BoundedJSON}
