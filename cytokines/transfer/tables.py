"""Read uploaded spreadsheets (CSV, XLSX, JSON) into a tablib Dataset within the import limits.

Reading streams the file and stops at the first limit passed, so what a file declares about itself (an
XLSX sheet claiming a million rows and sixteen thousand columns, a zip that unpacks to gigabytes, JSON
nested ten thousand deep) never decides how much memory or time is spent. Cells this project escaped
on export (``'=…``, see ``ops.formulas``) are unescaped, so export → edit → import gives back each cell
exactly.
"""

import csv
import io
import json
import zipfile

import tablib

from cytokines.ops.formulas import unescape_formula
from cytokines.transfer import limits
from cytokines.transfer.limits import LimitExceeded


class UnreadableFile(ValueError):
    """The file cannot be read as the format it claims; the message says why, for an editor."""


class TableLimits:
    """Counts rows, columns and cells as they are read; raises LimitExceeded naming the limit passed."""

    def __init__(self):
        self.rows = self.cells = 0

    def add(self, row):
        if len(row) > limits.MAX_IMPORT_COLUMNS:
            raise LimitExceeded(
                f"Row {self.rows + 1} has {len(row):,} columns; the limit is {limits.MAX_IMPORT_COLUMNS} columns."
            )
        self.rows += 1
        self.cells += len(row)
        limits.check_rows(self.rows - 1)  # the first row is the header
        if self.cells > limits.MAX_IMPORT_CELLS:
            raise LimitExceeded(f"The file has more than {limits.MAX_IMPORT_CELLS:,} cells; the limit is "
                                f"{limits.MAX_IMPORT_CELLS:,}. Split it into smaller files.")  # fmt: skip


def dataset_from_rows(rows, *, unescape=True):
    """Header row + data rows -> Dataset; trailing empty rows and columns (spreadsheet padding) dropped."""
    rows = [list(row) for row in rows]
    while rows and all(cell in (None, "") for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise UnreadableFile("The file is empty: it has no header row and no rows.")
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise UnreadableFile("The first row must name the columns (it is empty).")
    if "" in header:
        raise UnreadableFile(f"Column {header.index('') + 1} of the first row has no name; name every column.")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise UnreadableFile(f"The first row names a column twice: {', '.join(repeated)}.")
    if not any(row and not (isinstance(row[0], str) and row[0].startswith("#")) for row in rows[1:]):
        raise UnreadableFile("The file has a header row but no rows to import.")
    width = len(header)
    dataset = tablib.Dataset(headers=header)
    for number, row in enumerate(rows[1:], start=2):
        if row and isinstance(row[0], str) and row[0].startswith("#"):
            continue  # a note, as in the import templates ("# Allowed values: …")
        extra = [cell for cell in row[width:] if cell not in (None, "")]
        if extra:
            raise UnreadableFile(f"Row {number - 1} has a value outside the named columns: {extra[0]!r}.")
        cells = [unescape_formula(cell) for cell in row[:width]] if unescape else row[:width]
        dataset.append(cells + [None] * (width - len(cells)))
    return dataset


def read_csv(text):
    if isinstance(text, bytes):
        limits.check_bytes(len(text))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile("The file is not UTF-8 text; save it as “CSV UTF-8” and try again.") from None
    limits.check_bytes(len(text))  # characters: never more than the bytes they came from
    counter, rows = TableLimits(), []
    try:
        for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))):
            counter.add(row)
            rows.append(row)
    except csv.Error as problem:
        raise UnreadableFile(f"Row {counter.rows + 1} cannot be read as CSV ({problem}).") from None
    return dataset_from_rows(rows)


def read_xlsx(raw):
    """Read the first sheet with openpyxl's streaming reader, after checking what the zip unpacks to."""
    import openpyxl

    limits.check_bytes(len(raw))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableFile("The file is not an Excel workbook (.xlsx); choose the format it was saved in.") from None
    if unpacked > limits.MAX_XLSX_UNPACKED_BYTES:
        raise LimitExceeded(
            f"The workbook unpacks to {unpacked / (1024 * 1024):,.0f} MB; the limit is "
            f"{limits.megabytes(limits.MAX_XLSX_UNPACKED_BYTES)} unpacked. Save only the sheet to import."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign workbook
        raise UnreadableFile("The workbook cannot be read; save it again as an Excel workbook (.xlsx).") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # ignore the size the sheet declares; read what is there
        counter, rows, blank_run = TableLimits(), [], 0
        for row in sheet.iter_rows(values_only=True):
            if all(cell in (None, "") for cell in row):
                blank_run += 1  # formatted but empty rows are allowed, yet bounded: a row may claim any number
                if blank_run > limits.MAX_BLANK_ROWS:
                    raise LimitExceeded(f"The sheet has more than {limits.MAX_BLANK_ROWS:,} empty rows in a row; "
                                        f"the limit is {limits.MAX_BLANK_ROWS:,}. Delete the empty rows.")  # fmt: skip
                continue
            rows.extend([()] * blank_run)
            blank_run = 0
            counter.add(trimmed(row))
            rows.append(trimmed(row))
    finally:
        workbook.close()
    return dataset_from_rows(rows)


def trimmed(row):
    """A row without its empty cells at the end (a sheet may pad each row to its declared width)."""
    end = len(row)
    while end and row[end - 1] in (None, ""):
        end -= 1
    return row[:end]


def read_json(text):
    if isinstance(text, bytes):
        limits.check_bytes(len(text))
        text = text.decode("utf-8-sig")
    limits.json_item_starts(text)  # refuses deep nesting before the recursive parser sees it
    try:
        items = json.loads(text) if text.strip() else None
    except json.JSONDecodeError as problem:
        raise UnreadableFile(f"The file is not valid JSON ({problem.msg} at line {problem.lineno}).") from None
    if not items:
        raise UnreadableFile("The file is empty: it holds no rows.")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableFile("The JSON must be a list of objects, one per row.")
    limits.check_rows(len(items))
    header = list(dict.fromkeys(key for item in items for key in item))
    TableLimits().add(header)
    # JSON is never opened by a spreadsheet program, so it was exported unescaped and is read as it is.
    return dataset_from_rows([header, *([item.get(key) for key in header] for item in items)], unescape=False)


READERS = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}
