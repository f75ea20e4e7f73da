"""Read references exported by citation managers: RIS, BibTeX, PubMed/MEDLINE and CSL-JSON.

Each parser returns plain dicts with the Reference model's field names, so one preview and one save
path serve every format. Authors are rewritten to the "Surname Initials" form the citation style uses.
"""

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from cytokines.content.library import Reference, normalize_doi
from cytokines.review import writes

FIELDS = ["authors", "title", "container", "year", "volume", "issue", "pages", "doi", "pmid", "url"]
MAX_ENTRIES = 5000


class CitationFileError(ValueError):
    """The file cannot be read in the format given; the message says why, for an editor."""


def vancouver_name(name):
    """'Rosenberg, Steven A.' or 'Steven A. Rosenberg' or 'Rosenberg SA' -> 'Rosenberg SA'."""
    name = re.sub(r"[{}]", "", name).strip()
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


def _pages(start, end=""):
    start, end = (start or "").strip(), (end or "").strip()
    return f"{start}-{end}" if start and end else start


def _year(text):
    match = re.search(r"(1[89]\d\d|20\d\d|2100)", str(text or ""))
    return int(match.group(1)) if match else None


def parse_ris(text):
    import rispy

    try:
        entries = rispy.loads(text)
    except Exception as problem:  # rispy raises bare IOError/ValueError on malformed input
        raise CitationFileError(f"This is not a readable RIS file ({problem}).") from None
    return [
        {
            "authors": ", ".join(vancouver_name(a) for a in e.get("authors", []) + e.get("first_authors", [])),
            "title": e.get("title") or e.get("primary_title") or "",
            "container": e.get("secondary_title") or e.get("journal_name") or e.get("alternate_title3")
            or e.get("publisher") or "",
            "year": _year(e.get("year") or e.get("publication_year") or e.get("date")),
            "volume": e.get("volume", ""),
            "issue": e.get("number", ""),
            "pages": _pages(e.get("start_page"), e.get("end_page")),
            "doi": e.get("doi", ""),
            "pmid": "",
            "url": (e.get("urls") or [""])[0],
        }
        for e in entries
    ]  # fmt: skip


def parse_bibtex(text):
    import bibtexparser

    library = bibtexparser.parse_string(text)
    if library.failed_blocks and not library.entries:
        raise CitationFileError("This is not a readable BibTeX file.")
    results = []
    for entry in library.entries:
        f = {k.lower(): re.sub(r"[{}]", "", v.value) for k, v in entry.fields_dict.items()}
        pages = f.get("pages", "").replace("--", "-")
        results.append({
            "authors": ", ".join(vancouver_name(a) for a in re.split(r"\s+and\s+", f.get("author", "")) if a.strip()),
            "title": f.get("title", ""),
            "container": f.get("journal") or f.get("booktitle") or f.get("publisher", ""),
            "year": _year(f.get("year")),
            "volume": f.get("volume", ""),
            "issue": f.get("number", ""),
            "pages": pages,
            "doi": f.get("doi", ""),
            "pmid": f.get("pmid", ""),
            "url": f.get("url", ""),
        })  # fmt: skip
    return results


def parse_medline(text):
    """PubMed's MEDLINE/.nbib format: 'TAG - value' lines, continuation lines indented, blank line between."""
    records, current, last_tag = [], {}, None
    for line in text.splitlines():
        if not line.strip():
            if current:
                records.append(current)
            current, last_tag = {}, None
            continue
        match = re.match(r"^([A-Z]{2,4})\s*-\s(.*)$", line)
        if match:
            last_tag = match.group(1)
            current.setdefault(last_tag, []).append(match.group(2).strip())
        elif last_tag and line.startswith(" "):
            current[last_tag][-1] += " " + line.strip()
    if current:
        records.append(current)
    if not records or not any("TI" in r or "PMID" in r for r in records):
        raise CitationFileError("This is not a readable PubMed/MEDLINE file (no PMID or TI lines found).")

    def first(record, tag):
        return (record.get(tag) or [""])[0]

    def doi(record):
        for value in record.get("AID", []) + record.get("LID", []):
            if value.endswith("[doi]"):
                return value.removesuffix("[doi]").strip()
        return ""

    return [
        {
            "authors": ", ".join(r.get("AU", [])),
            "title": first(r, "TI"),
            "container": first(r, "TA") or first(r, "JT"),
            "year": _year(first(r, "DP")),
            "volume": first(r, "VI"),
            "issue": first(r, "IP"),
            "pages": first(r, "PG"),
            "doi": doi(r),
            "pmid": first(r, "PMID"),
            "url": "",
        }
        for r in records
    ]


def parse_csl_json(text):
    try:
        items = json.loads(text)
    except json.JSONDecodeError as problem:
        raise CitationFileError(f"This is not valid CSL-JSON ({problem.msg} at line {problem.lineno}).") from None
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise CitationFileError("CSL-JSON must be a list of items.")
    results = []
    for item in items:
        if not isinstance(item, dict):
            raise CitationFileError("Each CSL-JSON item must be an object.")
        authors = [
            vancouver_name(f"{a.get('family', '')}, {a.get('given', '')}") if "family" in a else a.get("literal", "")
            for a in item.get("author", [])
        ]
        date_parts = (item.get("issued") or {}).get("date-parts") or [[None]]
        results.append({
            "authors": ", ".join(a for a in authors if a),
            "title": item.get("title", ""),
            "container": item.get("container-title-short") or item.get("container-title") or item.get("publisher", ""),
            "year": _year(date_parts[0][0]),
            "volume": str(item.get("volume", "")),
            "issue": str(item.get("issue", "")),
            "pages": str(item.get("page", "")),
            "doi": item.get("DOI", ""),
            "pmid": str(item.get("PMID", "")),
            "url": item.get("URL", ""),
        })  # fmt: skip
    return results


PARSERS = {"ris": parse_ris, "bibtex": parse_bibtex, "medline": parse_medline, "csl-json": parse_csl_json}
EXTENSIONS = {".ris": "ris", ".bib": "bibtex", ".nbib": "medline", ".txt": "medline", ".json": "csl-json"}


@dataclass
class PreviewRow:
    number: int
    data: dict
    duplicate_of: Reference | None = None
    errors: list = field(default_factory=list)

    @property
    def action(self):
        if self.errors:
            return "error"
        return "skip (already in the library)" if self.duplicate_of else "add"


def preview(entries):
    """Check each parsed entry: would it be added, is it already stored (DOI/PMID), or is it invalid?"""
    if len(entries) > MAX_ENTRIES:
        raise CitationFileError(f"The file has {len(entries)} references; import at most {MAX_ENTRIES} at a time.")
    rows, seen = [], {}
    for number, data in enumerate(entries, start=1):
        data = {key: ("" if data.get(key) is None else data.get(key)) for key in FIELDS}
        data["doi"] = normalize_doi(str(data["doi"]))
        data["pmid"] = str(data["pmid"]).strip()
        row = PreviewRow(number, data)
        row.duplicate_of = Reference.objects.find_duplicate(doi=data["doi"], pmid=data["pmid"])
        keys = [k for k in (("doi", data["doi"]), ("pmid", data["pmid"])) if k[1]]
        earlier = next((seen[k] for k in keys if k in seen), None)
        if row.duplicate_of is None and earlier is not None:
            row.errors.append(f"Same DOI or PMID as entry {earlier} of this file.")
        if row.duplicate_of is None and not row.errors:
            try:
                Reference(**data).full_clean()
            except ValidationError as invalid:
                row.errors.extend(f"{name}: {' '.join(msgs)}" for name, msgs in invalid.message_dict.items())
        for key in keys:
            seen.setdefault(key, number)
        rows.append(row)
    return rows


@transaction.atomic
def save_new(rows):
    """Save the entries marked "add"; refuse the whole file if any entry has an error."""
    bad = [row for row in rows if row.errors]
    if bad:
        raise ValidationError([f"Entry {row.number}: {'; '.join(row.errors)}" for row in bad[:20]])
    created = [Reference(**row.data) for row in rows if row.duplicate_of is None]
    Reference.objects.bulk_create(created)
    writes.content_changed()
    return len(created)
