"""Search over published articles and agents.

On PostgreSQL: full-text search with weighted fields and ranking. On SQLite (the development default):
every word must appear somewhere, case-insensitively; good enough to try the site, not to rank it.
"""

from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import F, Q

from .models import Agent, Article

MAX_QUERY_LENGTH = 200
ARTICLE_FIELDS = {"title": "A", "summary": "B", "body": "C"}
AGENT_FIELDS = {"name": "A", "nonproprietary_name": "A", "brand_names": "A", "summary": "B", "mechanism": "C"}


def search_published(query, *, limit=20):
    """Return (articles, agents) matching ``query``, best first."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return [], []
    articles, agents = Article.objects.published(), Agent.objects.published()
    if connection.vendor == "postgresql":
        found = _postgres(articles, ARTICLE_FIELDS, query, limit), _postgres(agents, AGENT_FIELDS, query, limit)
        if any(found):
            return found
    return _contains(articles, ARTICLE_FIELDS, query, limit), _contains(agents, AGENT_FIELDS, query, limit)


def _postgres(queryset, fields, query, limit):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = reduce(
        lambda a, b: a + b, (SearchVector(name, weight=weight, config="english") for name, weight in fields.items())
    )
    search = SearchQuery(query, search_type="websearch", config="english")
    matches = queryset.annotate(document=vector).filter(document=search)
    return list(matches.annotate(rank=SearchRank(F("document"), search)).order_by("-rank", "pk")[:limit])


def _contains(queryset, fields, query, limit):
    # Each word must match some field: "proleukin kidney" finds pages with both words.
    per_word = [reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in query.split()[:8]]
    return list(queryset.filter(reduce(and_, per_word)).order_by(next(iter(fields)))[:limit])
