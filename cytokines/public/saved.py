"""Saved pages: the page that lists what a reader saved in their browser, and the index it reads.

The reader's list never reaches the server. The index is split into buckets (``saved_index``) by a
hash of each page's slug; the browser asks only for the buckets its saved pages fall in and compares
their dates with those kept when each page was saved (static/js/reader_tools.js). A bucket is the same
for every reader and, once the library has a few thousand pages, holds dozens of them, so asking for it
does not say which page anyone saved; its size (and cost) stays near 50 pages as the library grows,
because the index is split more finely as it does.
"""

from django.db.models import Max
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.content.saved_index import BUCKET_COUNTS, MIN_BUCKETS, bucket_count, stored_buckets
from cytokines.ops.languages import SlugPaths
from cytokines.public.cache import cached_public_page, do_not_store

ARTICLE_PATHS = SlugPaths("cytokines:article-detail")
AGENT_PATHS = SlugPaths("cytokines:agent-detail")


def library_size():
    """About how many pages there are: the highest ids, read from the primary keys at any size (drafts and
    translations count too; close enough to choose how finely to split the index)."""
    return sum(model.objects.aggregate(highest=Max("pk"))["highest"] or 0 for model in (Article, Agent))


@cached_public_page
def saved_pages(request):
    return render(request, "cytokines/saved_pages.html", {"buckets": bucket_count(library_size())})


def _day(value):
    return value.isoformat() if value else ""


@cached_public_page
def saved_pages_bucket(request, bucket, count=MIN_BUCKETS):
    """The live pages of one bucket of ``count``: path → title, kind, last revised and last reviewed (two
    queries of plain values: no model objects, and one reversed address pattern per language)."""
    if count not in BUCKET_COUNTS or not 0 <= bucket < count:
        do_not_store(request)
        raise Http404("No such bucket")
    stored = stored_buckets(bucket, count)
    pages = {}
    articles = ArticleRevision.objects.live().filter(index_bucket__in=stored).values_list(
        "slug", "language", "title", "live_for__last_revised", "live_for__last_reviewed").order_by()
    for slug, language, title, revised, reviewed in articles:
        pages[ARTICLE_PATHS(language, slug)] = {"title": title, "kind": _("Article"), "revised": _day(revised),
                                                "reviewed": _day(reviewed)}  # fmt: skip
    agents = AgentRevision.objects.live().filter(index_bucket__in=stored).values_list(
        "slug", "language", "name", "live_for__last_revised", "live_for__last_reviewed").order_by()
    for slug, language, name, revised, reviewed in agents:
        pages[AGENT_PATHS(language, slug)] = {"title": name, "kind": _("Medicine fact sheet"),
                                              "revised": _day(revised), "reviewed": _day(reviewed)}  # fmt: skip
    return JsonResponse({"pages": pages})
