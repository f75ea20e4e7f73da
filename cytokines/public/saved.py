"""Saved pages: the page that lists what a reader saved in their browser, and the index it reads.

The reader's list never reaches the server. The index holds every published page's title, kind and
dates, the same for every reader, so fetching it says nothing about what anyone saved; the browser
compares it with the dates kept when each page was saved (static/js/reader_tools.js).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.public.cache import cached_public_page


@cached_public_page
def saved_pages(request):
    return render(request, "cytokines/saved_pages.html")


def _day(value):
    return value.isoformat() if value else ""


@cached_public_page
def saved_pages_index(request):
    """Every live page's path → title, kind, last revised and last reviewed (two queries)."""
    pages = {}
    articles = ArticleRevision.objects.live().select_related("article")
    for article in articles.only("title", "slug", "language", "article__last_revised", "article__last_reviewed"):
        pages[article.get_absolute_url()] = {"title": article.title, "kind": _("Article"),
                                             "revised": _day(article.last_revised),
                                             "reviewed": _day(article.last_reviewed)}  # fmt: skip
    agents = AgentRevision.objects.live().select_related("agent")
    for agent in agents.only("name", "slug", "agent__last_revised", "agent__last_reviewed"):
        pages[agent.get_absolute_url()] = {"title": agent.name, "kind": _("Medicine fact sheet"),
                                           "revised": _day(agent.last_revised),
                                           "reviewed": _day(agent.last_reviewed)}  # fmt: skip
    return JsonResponse({"pages": pages})
