"""Citation-manager files into the reference library: read (``formats``), normalise, preview, save.

One path for every format: the file is read whole or refused whole, the preview says for each entry
whether it is new or already stored (by DOI, case-blind, or PMID), and saving adds the new ones in one
transaction, or nothing if any entry has a problem.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from cytokines.content.library import Reference, normalize_doi
from cytokines.review import writes
from cytokines.transfer import limits
from cytokines.transfer.cells import chunks
from cytokines.transfer.citations import normalise
from cytokines.transfer.citations.formats import (
    EXTENSIONS,
    FIELDS,
    NAMES,
    PARSERS,
    CitationFileError,
    guess_format,
    parse_bibtex,
    parse_csl_json,
    parse_medline,
    parse_ris,
)

__all__ = ["EXTENSIONS", "FIELDS", "NAMES", "PARSERS", "CitationFileError", "PreviewRow", "guess_format",
           "parse_bibtex", "parse_csl_json", "parse_medline", "parse_ris", "preview", "read_file",
           "save_new"]  # fmt: skip


def read_file(raw, kind):
    """Bytes of an uploaded file -> entries; refuse files over the size limit before decoding them."""
    try:
        limits.check_bytes(len(raw))
    except limits.LimitExceeded as problem:
        raise CitationFileError(str(problem)) from None
    if kind not in PARSERS:
        raise CitationFileError("Choose the file's format: RIS, BibTeX, PubMed/MEDLINE or CSL-JSON.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        looks_like = guess_format(raw[:4000].decode("latin-1"))
        hint = f" (it looks like {looks_like})" if looks_like else ""
        raise CitationFileError(f"The file is not UTF-8 text{hint}; export it again as UTF-8.") from None
    return PARSERS[kind](text)


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

    @property
    def where(self):
        return self.data.get("where") or f"entry {self.number}"


def tidy(data):
    """The house style for every format (see ``normalise``); the DOI keeps the spelling it was given."""
    data = {key: ("" if data.get(key) is None else data.get(key)) for key in [*FIELDS, "where"]}
    for name in ("authors", "volume", "issue", "url", "where"):
        data[name] = normalise.spaces(data[name])
    data["title"] = normalise.title(data["title"])
    data["container"] = normalise.journal(data["container"])
    data["pages"] = normalise.pages(data["pages"])
    data["year"] = data["year"] if isinstance(data["year"], int) else normalise.year(data["year"])
    data["doi"] = normalize_doi(str(data["doi"]))
    data["pmid"] = str(data["pmid"]).strip()
    return data


def stored_by_key(rows):
    """Every stored reference the file mentions, by ("doi", lower-case DOI) and ("pmid", PMID): a few queries."""
    dois = sorted({row.data["doi"].lower() for row in rows} - {""})
    pmids = sorted({row.data["pmid"] for row in rows} - {""})
    found = {}
    for chunk in chunks(dois):
        found.update({("doi", r.doi.lower()): r for r in Reference.objects.with_doi_in(chunk)})
    for chunk in chunks(pmids):
        found.update({("pmid", r.pmid): r for r in Reference.objects.filter(pmid__in=chunk)})
    return found


def preview(entries):
    """Check each entry: would it be added, is it already stored (DOI/PMID), or what is wrong with it?"""
    if len(entries) > limits.MAX_CITATION_ENTRIES:
        raise CitationFileError(
            f"The file has {len(entries):,} references; the limit is {limits.MAX_CITATION_ENTRIES:,} per file."
        )
    rows = [PreviewRow(number, tidy(data)) for number, data in enumerate(entries, start=1)]
    stored, seen = stored_by_key(rows), {}
    for row in rows:
        data = row.data
        keys = [k for k in (("doi", data["doi"].lower()), ("pmid", data["pmid"])) if k[1]]
        row.duplicate_of = next((stored[k] for k in keys if k in stored), None)
        earlier = next((seen[k] for k in keys if k in seen), None)
        if row.duplicate_of is None and earlier is not None:
            row.errors.append(f"Same DOI or PMID as entry {earlier.number}, {earlier.where}.")
        if row.duplicate_of is None and not row.errors:
            try:
                reference = Reference(**{k: v for k, v in data.items() if k != "where"})
                reference.clean_fields()
            except ValidationError as invalid:
                row.errors.extend(f"{label(name)}: {' '.join(msgs)}" for name, msgs in invalid.message_dict.items())
        for key in keys:
            seen.setdefault(key, row)
    return rows


def label(name):
    return str(Reference._meta.get_field(name).verbose_name) if name in FIELDS else name


@transaction.atomic
def save_new(rows):
    """Save the entries marked "add"; refuse the whole file if any entry has a problem."""
    bad = [row for row in rows if row.errors]
    if bad:
        raise ValidationError(
            [f"Entry {row.number}, {row.where}: {'; '.join(row.errors)}" for row in bad[:50]]
            + ([f"… and {len(bad) - 50} more entries with problems."] if len(bad) > 50 else [])
        )
    created = [Reference(**{k: v for k, v in row.data.items() if k != "where"}) for row in rows
               if row.duplicate_of is None]  # fmt: skip
    Reference.objects.bulk_create(created)
    writes.content_changed()
    return len(created)
