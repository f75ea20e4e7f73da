"""Does a reference say what its record says? Field by field, forgiving only differences of form.

Form: case, punctuation, accents, HTML in titles, a trailing period, "907-13" for "907-913", a journal's
full name for its abbreviation. Anything else is a mismatch that an editor should look at.
"""

import re
import unicodedata

from cytokines.quality.models import COMPARED_FIELDS


def fold(text):
    """Lower case, accents and punctuation removed, spaces collapsed."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def expand_pages(pages):
    """'907-13' -> '907-913'; en dashes become hyphens; 'e196-e208' and 'a028472' stay as they are."""
    pages = re.sub(r"\s+", "", str(pages or "")).replace("\u2013", "-").replace("\u2014", "-").replace("\u2010", "-")
    match = re.fullmatch(r"(\d+)-(\d+)", pages)
    if match and len(match[2]) < len(match[1]):
        start, end = match[1], match[2]
        pages = f"{start}-{start[: len(start) - len(end)]}{end}"
    return pages


def split_author(author):
    """'Rosenberg SA' -> ('rosenberg', 's'); a group name -> (its folded name, '')."""
    words = str(author or "").strip().split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,4}", words[-1]):
        return fold(" ".join(words[:-1])), words[-1][0].lower()
    return fold(" ".join(words)), ""


def first_author(reference):
    return reference.authors.split(",")[0].strip()


def journal_key(name):
    """Folded, without the place NLM adds in parentheses ("Cancers (Basel)") or a leading "The"."""
    name = fold(re.sub(r"\([^)]*\)", "", name or ""))
    return name.removeprefix("the ")


STOP_WORDS = {"of", "the", "and", "in", "for", "on", "a", "an"}


def abbreviates(short, full):
    """True when each word of ``short`` begins the matching significant word of ``full``, in order:
    "J Clin Oncol" abbreviates "Journal of Clinical Oncology" (NLM and ISO 4 abbreviations work this way)."""
    short_words = journal_key(short).split()
    full_words = [w for w in journal_key(full.split(":")[0]).split() if w not in STOP_WORDS]
    if not short_words or len(short_words) != len(full_words):
        return False
    return all(f.startswith(s) for s, f in zip(short_words, full_words, strict=True))


def same_journal(our_name, record_names):
    names = [n for n in record_names if n]
    names += [n.split(":")[0] for n in names if ":" in n]  # "JAMA: The Journal of ..." is also "JAMA"
    return any(journal_key(our_name) == journal_key(n) or abbreviates(our_name, n) for n in names)


def ours(reference, name):
    """Our value of a compared field, as text."""
    if name == "first_author":
        return first_author(reference)
    if name == "journal":
        return reference.container
    return str(getattr(reference, name) or "")


def _same(name, our_value, record):
    if name == "title":
        return fold(our_value) == fold(record.title)
    if name == "first_author":
        (our_surname, our_initial), (their_surname, their_initial) = split_author(our_value), split_author(
            record.first_author
        )
        return our_surname == their_surname and (not our_initial or not their_initial or our_initial == their_initial)
    if name == "year":
        return our_value == str(record.year)
    if name == "journal":
        return same_journal(our_value, (record.journal, *record.journal_names))
    if name == "volume":
        return fold(our_value) == fold(record.volume)
    if name == "pages":
        return expand_pages(our_value).lower() == expand_pages(record.pages).lower()
    raise ValueError(name)


def record_value(record, name):
    """The value an editor accepting the record would store (pages written out in full)."""
    if name == "pages":
        return expand_pages(record.pages)
    if name == "title":
        return record.title.rstrip(".")
    value = getattr(record, name)
    return "" if value is None else str(value)


def mismatches(reference, record):
    """Every compared field where the record has a value and ours differs in more than form."""
    found = []
    for name in COMPARED_FIELDS:
        value = getattr(record, name)
        if value in (None, ""):
            continue  # the record does not say; nothing to compare
        our_value = ours(reference, name)
        if not _same(name, our_value, record):
            found.append({"field": name, "source": record.source, "ours": our_value,
                          "record": record_value(record, name)})  # fmt: skip
    return found
