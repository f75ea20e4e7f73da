"""Spreadsheet formats that are safe to open: a cell never starts a formula.

django-import-export's own switch only strips a leading "=" (and turns empty cells into "None");
OWASP's advice is to prefix any cell that starts with = + - @ (or a tab/CR) with an apostrophe.
"""

import tablib
from import_export.formats import base_formats

from cytokines.ops.formulas import escape_formula


def escape_dataset(dataset):
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([escape_formula(cell) for cell in row])
    return escaped


class SafeFormatMixin:
    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)


class SafeCSV(SafeFormatMixin, base_formats.CSV):
    pass


class SafeXLSX(SafeFormatMixin, base_formats.XLSX):
    pass


# JSON is not opened by spreadsheet programs, so it carries values exactly.
SPREADSHEET_FORMATS = [SafeCSV, SafeXLSX, base_formats.JSON]
FORMATS_BY_NAME = {"csv": SafeCSV, "xlsx": SafeXLSX, "json": base_formats.JSON}
