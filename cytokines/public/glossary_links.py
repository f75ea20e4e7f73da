"""Link the first use of each glossary term in an article's text to its definition.

Works on the revision's sanitized HTML, in one pass and with one regular expression for all terms, so its
cost grows with the text, not with queries. Only text outside headings, links, code, citation numbers,
buttons and tables' header cells is linked; each term (with its other names) at most once, at its first
use; matching ignores case (but abbreviations such as "ET" match only in capitals) and allows a plural
"s"/"es". Without JavaScript the link opens the term's
own glossary page; ``static/js/glossary.js`` turns it into a button that shows the definition in place.
"""

import re
from dataclasses import dataclass
from html import escape

# Elements whose text is never linked: a link inside a heading, a link, code or a citation would be
# wrong or unreadable.
SKIPPED = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "sup", "button", "th", "kbd", "samp"}
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)\s*>")
VOID = {"br", "hr", "img", "input", "wbr", "col", "source", "meta", "link"}


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    names: tuple  # the name and its other names, as editors wrote them
    definition: str
    url: str


def is_abbreviation(name):
    """"ET", "PV", "G-CSF": matched in capitals only, so "et al." or "pv" in a word list stay plain."""
    return sum(c.isupper() for c in name) >= 2 and not any(c.islower() for c in name)


def _alternative(name):
    text = re.escape(escape(name, quote=False))
    return f"(?-i:{text})" if is_abbreviation(name) else text


def _pattern(terms):
    """One expression matching any name of any term, longest first (``interleukin-2`` before ``interleukin``)."""
    names = sorted({name for term in terms for name in term.names}, key=lambda n: (-len(n), n.lower()))
    if not names:
        return None
    alternatives = "|".join(_alternative(name) for name in names)
    # Whole words only: no letter, digit or hyphen on either side ("IL-2" is not inside "IL-21").
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:e?s)?(?![\w-])", re.IGNORECASE)


def link_terms(html, terms):
    """Return ``html`` with the first use of each of ``terms`` linked; ``html`` is sanitized already."""
    terms = list(terms)
    pattern = _pattern(terms)
    if pattern is None or not html:
        return html
    by_name = {escape(name, quote=False).lower(): term for term in terms for name in term.names}
    linked, open_skipped, out = set(), [], []
    for part in TAG.split(str(html)):
        if part.startswith("<"):
            _track(part, open_skipped)
            out.append(part)
        elif part and not open_skipped:
            out.append(_link_text(part, pattern, by_name, linked))
        else:
            out.append(part)
    return "".join(out)


def _track(tag, open_skipped):
    match = TAG_NAME.match(tag)
    if not match:
        return
    closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
    if name not in SKIPPED or name in VOID or self_closing:
        return
    if closing:
        if name in open_skipped:
            del open_skipped[len(open_skipped) - 1 - open_skipped[::-1].index(name)]
    else:
        open_skipped.append(name)


def _term_for(word, by_name):
    lowered = word.lower()
    for candidate in (lowered, lowered[:-1], lowered[:-2]):  # as written, without "s", without "es"
        if candidate in by_name:
            return by_name[candidate]
    return None


def _link_text(text, pattern, by_name, linked):
    def replace(match):
        term = _term_for(match.group(0), by_name)
        if term is None or term.slug in linked:
            return match.group(0)
        linked.add(term.slug)
        return (f'<a class="glossary-term" href="{escape(term.url)}" data-term="{escape(term.slug)}" '
                f'data-definition="{escape(term.definition)}">{match.group(0)}</a>')  # fmt: skip

    return pattern.sub(replace, text)
