"""Search over published articles, agents and glossary terms, in the reader's language.

On PostgreSQL: full-text search with weighted fields and ranking, with the language's configuration
(English; Spanish with accents ignored, ``cytokines_spanish``, migration 0036). When that finds nothing,
the same index is asked again for words that *start* with what was typed ("aldesl" finds aldesleukin),
and when that finds nothing either, the other languages' pages are searched and each hit is answered
with its version in the reader's language where one is live ("interleukin" typed on the Spanish site
finds the Spanish interleukin-2 pages): names of medicines and brands are found from either language.
The glossary is written in English: its terms are searched from the English site. Never a substring scan
over every body, which would read the whole table for each search. On SQLite (the development default):
every word must appear somewhere, case-insensitively; good enough to try the site, not to rank it.

Ranking is bounded: ``ts_rank`` on the stored vector is computed for at most ``CANDIDATES`` matches per
kind (those the index returns first), never for every hit of a common word, and results come a page of
``PER_PAGE`` at a time for ``MAX_PAGES`` pages, with no count: "interleukin" over 100,000 articles costs
what it costs over 1,000.
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import F, Q

from cytokines.content.glossary import GlossaryTermRevision
from cytokines.content.reviewed import Language
from cytokines.content.revisions import AgentRevision, ArticleRevision

MAX_QUERY_LENGTH = 200
# Fields searched, with their weight on PostgreSQL (A counts most); the triggers (the revisions'
# migrations) use the same.
ARTICLE_FIELDS = {"title": "A", "summary": "B", "content__body": "C"}  # searched in the live revisions
AGENT_FIELDS = {"name": "A", "nonproprietary_name": "A", "brand_names": "A", "summary": "B",
                "content__mechanism": "C"}  # fmt: skip
TERM_FIELDS = {"name": "A", "synonyms": "A", "definition": "C"}
# The text search configuration of each language's documents (the triggers choose the same).
CONFIGS = {"en": "english", "es": "cytokines_spanish"}


CANDIDATES = 1_000
PER_PAGE = 20
MAX_PAGES = 10


def search_published(query, *, language="en", limit=PER_PAGE, page=1):
    """Return (articles, agents, glossary terms) matching ``query``, best first: page ``page`` of each list,
    in ``language`` where the page has a version in it.

    Each list holds up to ``limit + 1`` rows: the extra one only says that a next page exists."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return [], [], []
    offset = (min(max(page, 1), MAX_PAGES) - 1) * limit
    found = _search(query, language, limit, offset)
    if any(found) or offset:
        return found
    for other in Language.values:
        if other != language:
            hits = _search(query, other, limit, offset)
            if any(hits[:2]):
                return _in_language(hits[0], language), _in_language(hits[1], language), []
    return [], [], []


def _searched(language):
    """(queryset, fields) per kind searched in ``language``; result cards never load a revision's body."""
    articles = ArticleRevision.objects.live().filter(language=language).select_related("article").only(
        "title", "slug", "summary", "language", "kind", "article__translation_of")
    agents = AgentRevision.objects.live().filter(language=language).select_related("agent").defer("content")
    searched = [(articles, ARTICLE_FIELDS), (agents, AGENT_FIELDS)]
    if language == "en":
        searched.append((GlossaryTermRevision.objects.live().select_related("glossaryterm").defer("content"),
                         TERM_FIELDS))  # fmt: skip
    return searched


def _search(query, language, limit, offset):
    searched = _searched(language)
    if connection.vendor != "postgresql":
        found = [_contains(queryset, fields, query, limit, offset) for queryset, fields in searched]
        return tuple(found + [[]] * (3 - len(found)))
    from django.contrib.postgres.search import SearchQuery

    config = CONFIGS.get(language, "simple")
    words = SearchQuery(query, search_type="websearch", config=config)
    found = [_ranked(queryset, words, limit, offset) for queryset, _ in searched]
    if not any(found):
        prefix = prefix_query(query, config=config)
        found = [_ranked(queryset, prefix, limit, offset) for queryset, _ in searched] if prefix is not None else []
    return tuple(found + [[]] * (3 - len(found)))


def _in_language(hits, language):
    """Each hit's live version in ``language`` where there is one, else the hit itself; in the hits' order
    (one query)."""
    if not hits:
        return []
    field = "article" if isinstance(hits[0], ArticleRevision) else "agent"
    family = {hit.pk: getattr(hit, field).translation_of_id or getattr(hit, f"{field}_id") for hit in hits}
    sources = set(family.values())
    versions = type(hits[0]).objects.live().filter(language=language).select_related(field).filter(
        Q(**{f"{field}__in": sources}) | Q(**{f"{field}__translation_of__in": sources})).defer("content")
    by_source = {getattr(v, field).translation_of_id or getattr(v, f"{field}_id"): v for v in versions}
    answered, seen = [], set()
    for hit in hits:
        page = by_source.get(family[hit.pk], hit)
        if page.pk not in seen:
            seen.add(page.pk)
            answered.append(page)
    return answered


def unaccented(text):
    """``text`` without accents, as PostgreSQL's unaccent reads it (the SQLite fallback compares these)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def prefix_query(query, *, config="english"):
    """A tsquery matching words that start with each typed word (all of them), or None if nothing is left."""
    from django.contrib.postgres.search import SearchQuery

    words = re.findall(r"\w+", query)[:8]  # letters and digits only: nothing tsquery would read as syntax
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=config)


def _ranked(queryset, search, limit, offset=0):
    from django.contrib.postgres.search import SearchRank

    # search_document is a stored, GIN-indexed tsvector kept current by a trigger (migration 0009),
    # so a query reads the index instead of re-parsing every page's text. Only the first CANDIDATES
    # matches the index gives are ranked: a common word matches most of the library. In no order (the
    # model's default order sorted every match: 100 ms for a common word at 100,000 articles).
    candidates = queryset.filter(search_document=search).order_by().values("pk")[:CANDIDATES]
    matches = queryset.filter(pk__in=candidates).annotate(rank=SearchRank(F("search_document"), search))
    return list(matches.order_by("-rank", "pk")[offset : offset + limit + 1])


def _contains(queryset, fields, query, limit, offset=0):
    # Each word must match some field: "proleukin kidney" finds pages with both words. The word is tried as
    # typed and without accents (SQLite has no unaccent; pages mostly write the accents, readers often not).
    per_word = []
    for word in query.split()[:8]:
        spellings = {word, unaccented(word)}
        per_word.append(reduce(or_, (Q(**{f"{name}__icontains": s}) for name in fields for s in spellings)))
    return list(queryset.filter(reduce(and_, per_word)).order_by(next(iter(fields)))[offset : offset + limit + 1])
