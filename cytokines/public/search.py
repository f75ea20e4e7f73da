"""Search over published articles, agents and glossary terms.

On PostgreSQL: full-text search with weighted fields and ranking. When that finds nothing, the same
index is asked again for words that *start* with what was typed ("aldesl" finds aldesleukin), and
when that finds nothing either the answer is "no results": never a substring scan over every body,
which would read the whole table for each search. On SQLite (the development default): every word
must appear somewhere, case-insensitively; good enough to try the site, not to rank it.

Ranking is bounded: ``ts_rank`` on the stored vector is computed for at most ``CANDIDATES`` matches per
kind (those the index returns first), never for every hit of a common word, and results come a page of
``PER_PAGE`` at a time for ``MAX_PAGES`` pages, with no count: "interleukin" over 100,000 articles costs
what it costs over 1,000.
"""

import re
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import F, Q

from cytokines.content.glossary import GlossaryTermRevision
from cytokines.content.revisions import AgentRevision, ArticleRevision

MAX_QUERY_LENGTH = 200
# Fields searched, with their weight on PostgreSQL (A counts most); the triggers (the revisions'
# migrations) use the same.
ARTICLE_FIELDS = {"title": "A", "summary": "B", "content__body": "C"}  # searched in the live revisions
AGENT_FIELDS = {"name": "A", "nonproprietary_name": "A", "brand_names": "A", "summary": "B",
                "content__mechanism": "C"}  # fmt: skip
TERM_FIELDS = {"name": "A", "synonyms": "A", "definition": "C"}


CANDIDATES = 1_000
PER_PAGE = 20
MAX_PAGES = 10


def search_published(query, *, limit=PER_PAGE, page=1):
    """Return (articles, agents, glossary terms) matching ``query``, best first: page ``page`` of each list.

    Each list holds up to ``limit + 1`` rows: the extra one only says that a next page exists."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return [], [], []
    offset = (min(max(page, 1), MAX_PAGES) - 1) * limit
    # Result cards show the title, summary and address: the revision's body (content) is never loaded.
    articles = ArticleRevision.objects.live().only("title", "slug", "summary", "language", "kind")
    agents = AgentRevision.objects.live().select_related("agent").defer("content")
    terms = GlossaryTermRevision.objects.live().select_related("glossaryterm").defer("content")
    searched = ((articles, ARTICLE_FIELDS), (agents, AGENT_FIELDS), (terms, TERM_FIELDS))
    if connection.vendor != "postgresql":
        return tuple(_contains(queryset, fields, query, limit, offset) for queryset, fields in searched)
    from django.contrib.postgres.search import SearchQuery

    words = SearchQuery(query, search_type="websearch", config="english")
    found = tuple(_ranked(queryset, words, limit, offset) for queryset, _ in searched)
    if any(found):
        return found
    prefix = prefix_query(query)
    if prefix is None:
        return [], [], []
    return tuple(_ranked(queryset, prefix, limit, offset) for queryset, _ in searched)


def prefix_query(query):
    """A tsquery matching words that start with each typed word (all of them), or None if nothing is left."""
    from django.contrib.postgres.search import SearchQuery

    words = re.findall(r"\w+", query)[:8]  # letters and digits only: nothing tsquery would read as syntax
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="english")


def _ranked(queryset, search, limit, offset=0):
    from django.contrib.postgres.search import SearchRank

    # search_document is a stored, GIN-indexed tsvector kept current by a trigger (migration 0009),
    # so a query reads the index instead of re-parsing every page's text. Only the first CANDIDATES
    # matches the index gives are ranked: a common word matches most of the library.
    candidates = queryset.model.objects.filter(search_document=search).values("pk")[:CANDIDATES]
    matches = queryset.filter(pk__in=candidates).annotate(rank=SearchRank(F("search_document"), search))
    return list(matches.order_by("-rank", "pk")[offset : offset + limit + 1])


def _contains(queryset, fields, query, limit, offset=0):
    # Each word must match some field: "proleukin kidney" finds pages with both words.
    per_word = [reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in query.split()[:8]]
    return list(queryset.filter(reduce(and_, per_word)).order_by(next(iter(fields)))[offset : offset + limit + 1])
