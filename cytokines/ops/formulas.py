"""Spreadsheet cells that are safe to open: a cell never starts a formula.

OWASP's advice is to prefix any cell that starts with = + - @ (or a tab/CR) with an apostrophe. Used by
every CSV and XLSX the portal writes (content exports, supporter exports, the review schedule).
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def needs_escape(text):
    # Also text that already starts with apostrophes before a trigger ("'=x"): escaping it too is what
    # makes unescape_formula exact, whatever the original text was.
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def escape_formula(value):
    """Return ``value`` made inert for spreadsheets; non-text values pass through unchanged."""
    if isinstance(value, str) and needs_escape(value):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo ``escape_formula`` exactly: unescape_formula(escape_formula(x)) == x for every x."""
    if isinstance(value, str) and value.startswith("'") and needs_escape(value[1:]):
        return value[1:]
    return value
