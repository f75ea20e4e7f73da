"""Saved pages: the page that lists what a reader saved in their browser, and the index it reads.

The reader's list never reaches the server. The index is split into ``saved_index.BUCKETS`` buckets by a
hash of each page's slug; the browser asks only for the buckets its saved pages fall in and compares
their dates with those kept when each page was saved (static/js/reader_tools.js). A bucket is the same
for every reader and holds about 1/256 of all pages, so asking for it does not say which page anyone
saved, and its size (and cost) does not grow with one page per published page as one index would.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.content.saved_index import BUCKETS
from cytokines.public.cache import cached_public_page, do_not_store


@cached_public_page
def saved_pages(request):
    return render(request, "cytokines/saved_pages.html", {"buckets": BUCKETS})


def _day(value):
    return value.isoformat() if value else ""


@cached_public_page
def saved_pages_bucket(request, bucket):
    """The live pages of one bucket: path → title, kind, last revised and last reviewed (two queries)."""
    if not 0 <= bucket < BUCKETS:
        do_not_store(request)
        raise Http404("No such bucket")
    pages = {}
    articles = ArticleRevision.objects.live().filter(index_bucket=bucket).select_related("article")
    for article in articles.only("title", "slug", "language", "article__last_revised", "article__last_reviewed"):
        pages[article.get_absolute_url()] = {"title": article.title, "kind": _("Article"),
                                             "revised": _day(article.last_revised),
                                             "reviewed": _day(article.last_reviewed)}  # fmt: skip
    agents = AgentRevision.objects.live().filter(index_bucket=bucket).select_related("agent")
    for agent in agents.only("name", "slug", "language", "agent__last_revised", "agent__last_reviewed"):
        pages[agent.get_absolute_url()] = {"title": agent.name, "kind": _("Medicine fact sheet"),
                                           "revised": _day(agent.last_revised),
                                           "reviewed": _day(agent.last_reviewed)}  # fmt: skip
    return JsonResponse({"pages": pages})
