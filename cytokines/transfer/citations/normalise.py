"""One house style for what every citation format brings in: names, titles, journals, pages, years.

Whatever a citation manager wrote, the stored reference looks the same: authors as "Surname Initials",
titles and journal names without a trailing full stop and with single spaces, page ranges written in full
with a hyphen (688-696, and PubMed's 15-8 becomes 15-18), the year as a number.
"""

import re

from pylatexenc.latex2text import LatexNodes2Text

from cytokines.transfer.limits import MAX_NESTING

_latex = LatexNodes2Text()


class EntryProblem(ValueError):
    """One entry cannot be read; the message says why, for an editor."""


def brace_depth(text):
    depth = deepest = 0
    for char in text:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    return deepest


def latex_to_text(value):
    """Decode LaTeX accents and commands (D{\\"o}rr -> Dörr, \\emph{x} -> x) with pylatexenc."""
    if "\\" not in value and "{" not in value and "$" not in value:
        return value
    if brace_depth(value) > MAX_NESTING:  # pylatexenc recurses once per level
        raise EntryProblem(f"braces are nested more than {MAX_NESTING} levels deep")
    return _latex.latex_to_text(value)


def spaces(text):
    return re.sub(r"\s+", " ", str(text or "")).strip()


def title(text):
    """Single spaces, no trailing full stop (the citation style adds its own); '?', '!' and '...' stay."""
    text = spaces(text)
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def journal(text):
    """Single spaces and no full stops after abbreviated words: "J. Clin. Oncol." -> "J Clin Oncol" (NLM)."""
    return re.sub(r"(?<=\w)\.(?=\s|$)", "", spaces(text)).strip()


PAGE_RANGE = re.compile(r"^([A-Za-z]*)(\d+)\s*(?:-+|\u2013|\u2014|\u2012|\u2212)\s*([A-Za-z]*)(\d+)$")


def pages(start, end=""):
    """One page style: full numbers joined by a hyphen. "688--696", "688–96", "15-8" -> "688-696", "15-18"."""
    start, end = spaces(start), spaces(end)
    text = f"{start}-{end}" if start and end else start
    match = PAGE_RANGE.match(text)
    if not match:
        return text
    prefix, first, end_prefix, last = match.groups()
    if len(last) < len(first) and not end_prefix:  # abbreviated end page, as PubMed writes it
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{end_prefix or prefix}{last}"


def year(text):
    match = re.search(r"(1[89]\d\d|20\d\d|2100)", str(text or ""))
    return int(match.group(1)) if match else None


def vancouver_name(name):
    """'Rosenberg, Steven A.' or 'Steven A. Rosenberg' or 'Rosenberg SA' -> 'Rosenberg SA'."""
    name = spaces(re.sub(r"[{}]", "", name))
    if not name:
        return ""
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
    elif re.fullmatch(r"\S.*\s[A-Z]{1,4}", name):  # already "Surname INITIALS"
        return name
    else:
        parts = name.split()
        family, given = parts[-1], " ".join(parts[:-1])
    initials = "".join(piece[0].upper() for piece in re.split(r"[\s.\-]+", given) if piece)
    return f"{family} {initials}".strip()
