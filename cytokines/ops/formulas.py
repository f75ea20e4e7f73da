"""Spreadsheet cells that are safe to open: a cell never starts a formula.

OWASP's advice is to prefix any cell that starts with = + - @ (or a tab/CR) with an apostrophe. Used by
every CSV and XLSX the portal writes (content exports, supporter exports, the review schedule).
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Return ``value`` made inert for spreadsheets; non-text values pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
