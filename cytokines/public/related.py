"""What to read next: pages that share medicines or cancer types with the one being read.

Chosen from the content alone, never from what readers did: no history, no cookies, no counters. The
same page always suggests the same pages, so suggestions are cached with it. Each read is one query,
whatever the number of links.
"""

from django.db.models import Count, Q

from cytokines.content.revisions import AgentRevision, ArticleRevision

READ_NEXT = 4


def related_articles(*, agent_ids, cancer_type_ids, exclude_article_pk=None, limit=READ_NEXT, language="en"):
    """Live articles sharing the most medicines and cancer types with these, then by title.

    A shared medicine counts twice a shared cancer type: a cancer type is the broader link. Reads the
    live revisions' own links (what readers see), never the working copies.
    """
    agent_ids, cancer_type_ids = list(agent_ids), list(cancer_type_ids)
    if not agent_ids and not cancer_type_ids:
        return []
    on_agents, on_cancers = Q(agents__in=agent_ids), Q(cancer_types__in=cancer_type_ids)
    shared = 2 * Count("agents", filter=on_agents, distinct=True) + Count(
        "cancer_types", filter=on_cancers, distinct=True
    )
    articles = ArticleRevision.objects.live().filter(on_agents | on_cancers, language=language)
    if exclude_article_pk is not None:
        articles = articles.exclude(article_id=exclude_article_pk)
    articles = articles.only("title", "slug", "summary", "kind", "language").annotate(shared=shared)
    return list(articles.order_by("-shared", "title")[:limit])


def related_agents(*, cancer_type_ids, exclude_pk=None, limit=READ_NEXT, language="en"):
    """Live medicines (revisions) approved by any regulator we track for the most of these cancer types;
    ``exclude_pk`` is an agent's id."""
    cancer_type_ids = list(cancer_type_ids)
    if not cancer_type_ids:
        return []
    approved = Q(approved_cancer_types__in=cancer_type_ids)
    agents = AgentRevision.objects.live().filter(approved, language=language)
    if exclude_pk is not None:
        agents = agents.exclude(agent_id=exclude_pk)
    agents = agents.only("name", "slug", "summary", "language").annotate(
        shared=Count("approved_cancer_types", filter=approved, distinct=True)
    )
    return list(agents.order_by("-shared", "name")[:limit])


def trial_links(*, cancer_types=(), agents=()):
    """The registry searches editors set up, cancer types first: dicts of ``name`` and ``url``."""
    named = [*cancer_types, *agents]
    return [{"name": item.name, "url": item.trial_search_url} for item in named if item.trial_search_url]
