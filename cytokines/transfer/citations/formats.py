"""Read the files citation managers export: RIS, BibTeX, PubMed/MEDLINE (.nbib, .medline) and CSL-JSON.

Each reader returns one dict per entry with the Reference fields plus ``where``: how an editor finds the
entry in the file (its key or title, and its line). A file is read whole or refused whole: every entry
that cannot be read is named in one ``CitationFileError``, and a file with no entries at all, or in
another format than the one chosen, is refused with a message saying so. Every reader is one linear
pass, and stops at the entry limit before doing the work for the entries past it.
"""

import json
import logging
import re
from contextlib import contextmanager

from cytokines.transfer import limits
from cytokines.transfer.citations import normalise
from cytokines.transfer.citations.normalise import EntryProblem

FIELDS = ["authors", "title", "container", "year", "volume", "issue", "pages", "doi", "pmid", "url"]
NAMES = {"ris": "RIS", "bibtex": "BibTeX", "medline": "PubMed/MEDLINE", "csl-json": "CSL-JSON"}


class CitationFileError(ValueError):
    """The file cannot be imported; ``problems`` lists every reason, each naming its entry and line."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))


def describe(label, line):
    return f"“{label}” (line {line})" if label else f"the entry on line {line}"


def guess_format(text):
    """What the text looks like, for the message when it is not what the editor chose."""
    head = text.lstrip()[:4000]
    if re.search(r"^TY  - ", head, re.MULTILINE):
        return "RIS"
    if re.search(r"^(PMID|TI  |AU  )- ", head, re.MULTILINE):
        return "PubMed/MEDLINE"
    if re.search(r"@\w+\s*[{(]", head):
        return "BibTeX"
    if head[:1] in "[{":
        return "JSON"
    if head.startswith("PK"):
        return "a spreadsheet or other binary file"
    lines = head.splitlines()[:2]
    if lines and any(sep in lines[0] for sep in ",;\t"):
        return "a spreadsheet (CSV)"
    return None


def nothing_read(kind, text):
    looks_like = guess_format(text)
    if not text.strip():
        return CitationFileError("The file is empty: no references were read.")
    hint = f" It looks like {looks_like}." if looks_like and looks_like not in NAMES[kind] else ""
    return CitationFileError(
        f"No references were read: the file is not in {NAMES[kind]} format.{hint} Choose the format the file was "
        "exported in, or export it again from the citation manager."
    )


def too_many(count):
    return CitationFileError(
        f"The file has more than {limits.MAX_CITATION_ENTRIES:,} references (at least {count:,}); the limit is "
        f"{limits.MAX_CITATION_ENTRIES:,} per file. Split it into smaller files."
    )


def finish(kind, text, entries, problems):
    if problems:
        raise CitationFileError(problems)
    if not entries:
        raise nothing_read(kind, text)
    return entries


def entry(where, **values):
    data = {name: values.get(name) or "" for name in FIELDS}
    data["year"] = normalise.year(values.get("year"))
    data["where"] = where
    return data


# --- RIS ---------------------------------------------------------------------------------------------

RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def parse_ris(text):
    """RIS: records from "TY  -" to "ER  -". rispy maps the tags; the records are cut out here, line by
    line, so a record without its end line is reported instead of swallowing the next one."""
    import rispy

    records, problems, current, start, size, orphan = [], [], None, 0, 0, False
    for number, line in enumerate(text.splitlines(), start=1):
        match = RIS_TAG.match(line.rstrip())
        tag = match.group(1) if match else None
        if tag == "TY":
            if current is not None:
                problems.append(f"Entry {ris_where(current, start)} has no end line (“ER  -”) before line {number}.")
            current, start, size, orphan = [line], number, len(line), False
            if len(records) + 1 > limits.MAX_CITATION_ENTRIES:
                raise too_many(len(records) + 1)
        elif current is not None:
            current.append(line)
            size += len(line)
            if tag == "ER":
                records.append((start, current))
                current = None
            elif size > limits.MAX_ENTRY_CHARACTERS:
                problems.append(f"The entry on line {start} is longer than the limit of "
                                f"{limits.MAX_ENTRY_CHARACTERS:,} characters.")  # fmt: skip
                current = None
        elif tag and not orphan:
            problems.append(f"Line {number} (“{line[:40]}”) is outside any entry: each entry starts with “TY  -”.")
            orphan = True
    if current is not None:
        problems.append(f"Entry {ris_where(current, start)} has no end line (“ER  -”).")
    elif not records:
        raise nothing_read("ris", text)
    entries = []
    for start, lines in records:
        e = rispy.loads("\n".join(lines))[0]
        name = e.get("title") or e.get("primary_title") or ""
        entries.append(entry(
            describe(name[:80], start),
            authors=", ".join(normalise.vancouver_name(a) for a in e.get("authors", []) + e.get("first_authors", [])),
            title=name,
            # The journal's abbreviation where the file has one (JA, J2, JO), as PubMed and CSL give it.
            container=e.get("alternate_title2") or e.get("alternate_title1") or e.get("journal_name")
            or e.get("secondary_title") or e.get("alternate_title3") or e.get("publisher") or "",
            year=e.get("year") or e.get("publication_year") or e.get("date"),
            volume=e.get("volume"), issue=e.get("number"),
            pages=normalise.pages(e.get("start_page"), e.get("end_page")),
            doi=e.get("doi"), url=(e.get("urls") or [""])[0],
        ))  # fmt: skip
    return finish("ris", text, entries, problems)


def ris_where(lines, start):
    titles = (m.group(2) for m in map(RIS_TAG.match, lines) if m and m.group(1) in ("TI", "T1"))
    return describe((next(titles, "") or "")[:80], start)


# --- BibTeX ------------------------------------------------------------------------------------------

BIBTEX_BLOCK_START = re.compile(r"@\s*[A-Za-z]+\s*[{(]")
BIBTEX_KEY = re.compile(r"@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()]*)")


@contextmanager
def quiet(logger_name):
    """bibtexparser logs a warning per broken block; we report each one to the editor instead."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def split_authors(value):
    """Split on " and " outside braces, so "{Smith and Wesson}" (a corporate author) stays one name."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def bibtex_author(raw):
    if raw.startswith("{") and raw.endswith("}") and brace_balanced(raw[1:-1]):
        return normalise.latex_to_text(raw[1:-1])  # {World Health Organization}: a name, not Surname Initials
    return normalise.vancouver_name(normalise.latex_to_text(raw))


def brace_balanced(text):
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def parse_bibtex(text):
    import bibtexparser

    count = len(BIBTEX_BLOCK_START.findall(text))
    if count > limits.MAX_CITATION_ENTRIES:
        raise too_many(count)
    with quiet("bibtexparser"):
        library = bibtexparser.parse_string(text)
    problems = []
    for block in library.failed_blocks:
        key = BIBTEX_KEY.match(block.raw or "")
        error = getattr(block, "error", None)
        reason = str(getattr(error, "abort_reason", None) or error or "").strip().splitlines()
        problems.append(
            f"Entry {describe(key.group(1) if key else '', (block.start_line or 0) + 1)} cannot be read"
            + (f": {reason[0].rstrip('.')}." if reason else ".")
            + " Check its braces, commas and quotes."
        )
    entries = []
    for block in library.entries:
        where = describe(block.key, (block.start_line or 0) + 1)
        try:
            raw = {k.lower(): str(v.value) for k, v in block.fields_dict.items()}
            f = {k: normalise.latex_to_text(v) for k, v in raw.items() if k != "author"}
            authors = [bibtex_author(name) for name in split_authors(raw.get("author", ""))]
        except EntryProblem as problem:
            problems.append(f"Entry {where} cannot be read: {problem}.")
            continue
        entries.append(entry(
            where, authors=", ".join(authors), title=f.get("title"),
            container=f.get("journal") or f.get("booktitle") or f.get("publisher"),
            year=f.get("year"), volume=f.get("volume"), issue=f.get("number"), pages=normalise.pages(f.get("pages")),
            doi=f.get("doi"), pmid=f.get("pmid"), url=f.get("url"),
        ))  # fmt: skip
    return finish("bibtex", text, entries, problems)


# --- PubMed / MEDLINE ----------------------------------------------------------------------------------

MEDLINE_TAG = re.compile(r"^([A-Z]{2,4})\s*- ?(.*)$")


def medline_records(text):
    """'TAG - value' lines, continuation lines indented, a blank line between records. Values are kept
    as lists of pieces and joined once, so a long field costs linear time (no repeated concatenation)."""
    records, current, last, start = [], {}, None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if current:
                records.append((start, current))
                if len(records) > limits.MAX_CITATION_ENTRIES:
                    raise too_many(len(records))
            current, last = {}, None
            continue
        match = MEDLINE_TAG.match(line)
        if match and not line.startswith(" "):
            if not current:
                start = number
            last = [match.group(2).strip()]
            current.setdefault(match.group(1), []).append(last)
        elif last is not None and line.startswith(" "):
            last.append(line.strip())
    if current:
        records.append((start, current))
    if len(records) > limits.MAX_CITATION_ENTRIES:
        raise too_many(len(records))
    return [(start, {tag: [" ".join(p) for p in values] for tag, values in r.items()}) for start, r in records]


def parse_medline(text):
    records = medline_records(text)
    if any("TY" in r for _, r in records):  # RIS shares some tags (TI, AU) but never appears in MEDLINE
        raise nothing_read("medline", text)
    records = [(start, r) for start, r in records if "PMID" in r or "TI" in r]

    def first(record, tag):
        return (record.get(tag) or [""])[0]

    def doi(record):
        for value in record.get("AID", []) + record.get("LID", []):
            if value.endswith("[doi]"):
                return value.removesuffix("[doi]").strip()
        return ""

    entries = [
        entry(
            describe(first(r, "PMID") and f"PMID {first(r, 'PMID')}" or first(r, "TI")[:80], start),
            authors=", ".join(r.get("AU", [])) or ", ".join(normalise.vancouver_name(a) for a in r.get("FAU", [])),
            title=first(r, "TI"), container=first(r, "TA") or first(r, "JT"), year=first(r, "DP"),
            volume=first(r, "VI"), issue=first(r, "IP"), pages=normalise.pages(first(r, "PG")),
            doi=doi(r), pmid=first(r, "PMID"),
        )
        for start, r in records
    ]  # fmt: skip
    return finish("medline", text, entries, [])


# --- CSL-JSON ----------------------------------------------------------------------------------------


def parse_csl_json(text):
    try:
        starts = limits.json_item_starts(text)
    except limits.LimitExceeded as problem:
        raise CitationFileError(str(problem)) from None
    if len(starts) > limits.MAX_CITATION_ENTRIES:
        raise too_many(len(starts))
    try:
        items = json.loads(text)
    except json.JSONDecodeError as problem:
        if not text.strip() or text.lstrip()[:1] not in "[{":
            raise nothing_read("csl-json", text) from None
        raise CitationFileError(f"This is not valid CSL-JSON ({problem.msg} at line {problem.lineno}).") from None
    if isinstance(items, dict):
        items, starts = [items], [text.index("{")]
    if not isinstance(items, list):
        raise CitationFileError("CSL-JSON must be a list of items, each one a reference.")
    lines = iter(line_numbers(text, starts))  # one per object in the list, in order
    problems, entries = [], []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"Item {number} of the list is not a reference (a JSON object).")
            continue
        line = next(lines, 1)
        where = describe(str(item.get("id") or item.get("title") or "")[:80], line)
        try:
            entries.append(csl_entry(item, where))
        except (AttributeError, TypeError, IndexError):
            problems.append(f"Entry {where} cannot be read: its authors or date are not in CSL-JSON's form.")
    return finish("csl-json", text, entries, problems)


def csl_entry(item, where):
    authors = [
        normalise.vancouver_name(f"{a.get('family', '')}, {a.get('given', '')}") if "family" in a
        else str(a.get("literal", ""))
        for a in item.get("author") or []
    ]  # fmt: skip
    date_parts = (item.get("issued") or {}).get("date-parts") or [[None]]
    return entry(
        where, authors=", ".join(a for a in authors if a), title=str(item.get("title", "")),
        container=str(item.get("container-title-short") or item.get("container-title") or item.get("publisher", "")),
        year=date_parts[0][0], volume=str(item.get("volume", "")), issue=str(item.get("issue", "")),
        pages=normalise.pages(str(item.get("page", ""))), doi=str(item.get("DOI", "")),
        pmid=str(item.get("PMID", "")), url=str(item.get("URL", "")),
    )  # fmt: skip


def line_numbers(text, offsets):
    lines, line, position = [], 1, 0
    for offset in offsets:  # ascending: one pass over the text
        line += text.count("\n", position, offset)
        position = offset
        lines.append(line)
    return lines


PARSERS = {"ris": parse_ris, "bibtex": parse_bibtex, "medline": parse_medline, "csl-json": parse_csl_json}
EXTENSIONS = {".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".nbib": "medline", ".medline": "medline",
              ".txt": "medline", ".json": "csl-json"}  # fmt: skip
