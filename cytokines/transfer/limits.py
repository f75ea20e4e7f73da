"""Limits every imported file is held to, checked before or while it is read, never after.

A file over a limit is refused with a message that names the limit, so an editor knows what to change,
and reading stops as soon as the limit is passed: time and memory stay bounded whatever the file claims
about itself (a spreadsheet's declared size, a JSON file's nesting, a citation file's entry count).
"""

import re

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # one upload or file
MAX_IMPORT_ROWS = 20_000  # data rows in a spreadsheet
MAX_IMPORT_COLUMNS = 200  # columns in a spreadsheet (an agent row has about 40)
MAX_IMPORT_CELLS = 2_000_000  # rows × columns actually read
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024  # an XLSX is a zip: what it may unpack to (20,000 full rows fit)
MAX_BLANK_ROWS = 100_000  # empty rows in a row in a sheet (a row element may claim any row number)
MAX_CITATION_ENTRIES = 5_000  # references in one citation-manager file
MAX_ENTRY_CHARACTERS = 200_000  # one citation entry (a long abstract and a few hundred authors fit)
MAX_NESTING = 20  # brackets in JSON, braces in BibTeX


class LimitExceeded(ValueError):
    """The file is over one of the limits above; the message names it."""


def megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB"


def check_bytes(size):
    if size > MAX_IMPORT_BYTES:
        raise LimitExceeded(
            f"The file is {size / (1024 * 1024):.1f} MB; the limit is {megabytes(MAX_IMPORT_BYTES)}. Split it into "
            "smaller files."
        )


def check_rows(count):
    if count > MAX_IMPORT_ROWS:
        raise LimitExceeded(
            f"The file has more than {MAX_IMPORT_ROWS:,} rows; the limit is {MAX_IMPORT_ROWS:,} rows per file. "
            "Split it into smaller files."
        )


# A string runs to its closing quote or, unclosed, to the end: every match succeeds, so the pass is linear.
JSON_TOKENS = re.compile(r'"(?:[^"\\]++|\\(?:.|\Z))*+(?:"|\Z)|[\[\]{}]', re.DOTALL)


def json_item_starts(text, *, max_depth=MAX_NESTING):
    """Return the offsets of the objects at the top level of a JSON array, refusing deep nesting first.

    One linear pass over the text that skips strings: Python's own parser recurses and raises
    RecursionError on a few thousand nested brackets, so the depth is checked before it runs.
    """
    depth, starts = 0, []
    for token in JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, token.start()) + 1
                raise LimitExceeded(f"The JSON is nested more than {max_depth} levels deep (line {line}); the limit "
                                    f"is {max_depth} levels.")  # fmt: skip
            if depth == 2 and bracket == "{":
                starts.append(token.start())
        elif bracket in "]}":
            depth -= 1
    return starts
