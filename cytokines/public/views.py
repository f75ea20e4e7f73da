"""Public pages. Every query starts from ``.published()``: drafts and archived pages answer 404."""

from itertools import groupby
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import condition

from cytokines.content import translations as content_translations
from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.languages import content_language, localized_reverse
from cytokines.content.library import CancerType
from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.content.site_reads import live_site_settings
from cytokines.ops.replica import replica_reads
from cytokines.ops.site_url import absolute_url, base_url
from cytokines.public import alternates, fragments, glossary, live_pages, pdf, recent_searches, related
from cytokines.public import cache as page_cache
from cytokines.public.cache import cached_public_page, one_of, page_number
from cytokines.public.feedback import article_feedback, article_feedback_comment
from cytokines.public.pages import (
    Once,
    agent_context,
    article_context,
    fragment_keys,
    live_agent_context,
    live_article_context,
)
from cytokines.public.pagination import BoundedPaginator
from cytokines.public.search import MAX_PAGES as MAX_SEARCH_PAGES
from cytokines.public.search import MAX_QUERY_LENGTH, search_published
from cytokines.public.search import PER_PAGE as SEARCH_PER_PAGE
from cytokines.review import calendar
from cytokines.review.calendar_tokens import calendar_token_owner

__all__ = ["article_feedback", "article_feedback_comment"]  # routed from here with the other public pages


def live_articles():
    """Live article revisions in the reader's language, with the page's dates (the only working-copy columns
    readers see)."""
    return ArticleRevision.objects.live().filter(language=content_language()).select_related("article").defer(
        "content")


def live_agents():
    """Live agent revisions (fact sheets as reviewed) in the reader's language, with the page's dates."""
    return AgentRevision.objects.live().filter(language=content_language()).select_related("agent")


def translation_context(revision):
    """On a translation whose English page changed since the version it was made from, the notice for readers
    (one query, on translations only, when the notice is rendered)."""
    if revision.source_revision_id is None:
        return {"source_update": None}

    def source_update():
        source = content_translations.source_of(content_translations.alternates(revision))
        return source if source and source.translation_out_of_date else None

    return {"source_update": Once(source_update)}  # shown in the page's top piece: not read when it is cached


@cached_public_page
def home(request):
    # The lists show other pages, so they are rendered once per content version and language (every publish
    # and settings change makes a new version); the querysets and the callable run only when a list renders.
    version, language = page_cache.content_version(request), content_language()
    context = {
        "featured": live_articles().filter(is_featured=True).order_by(*NEWEST_FIRST)[:6],
        "latest": live_articles().order_by(*NEWEST_FIRST)[:5],
        "agent_classes": _agent_classes_in_use,
        "cancer_types": _cancer_types_with_live_articles(),
        "start_fragment": fragments.key("home-start", language, version),
        "browse_fragment": fragments.key("home-browse", language, version),
    }
    context["fragments"] = fragments.load(fragment_keys(context))
    return render(request, "cytokines/home.html", context)


# Through the live page's own row: the partial index article_live_published answers it (migration 0042).
NEWEST_FIRST = ("-live_for__published_at", "-live_for__pk")


def _cancer_types_with_live_articles():
    # One EXISTS per cancer type stops at its first live article; a DISTINCT join read all of them (207 ms at
    # 100,000 articles).
    live = ArticleRevision.objects.live().filter(cancer_types=OuterRef("pk"), language=content_language())
    return CancerType.objects.filter(Exists(live))


def _agent_classes_in_use():
    used = set(live_agents().values_list("agent_class", flat=True).distinct())
    return [choice for choice in Agent.AgentClass if choice.value in used]


@cached_public_page(params={"kind": one_of(Article.Kind.values), "page": page_number})
def article_list(request):
    articles = live_articles().order_by("title")
    kind = request.GET.get("kind", "")
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    page = _page_of(request, BoundedPaginator(articles, 30))
    return render(
        request,
        "cytokines/article_list.html",
        {"articles": page, "page": page, "kinds": Article.Kind.choices, "current_kind": kind,
         "page_query": f"&kind={kind}" if kind else ""},
    )  # fmt: skip


def _page_of(request, paginator):
    page = paginator.get_page(request.GET.get("page"))
    if str(page.number) != request.GET.get("page", "1"):
        page_cache.do_not_store(request)  # past the last page: shown the last one, but not kept as page N
    return page


def _live_page(request, slug, *, model, page_field, url_name, pdf_url_name, make_context):
    """An article's or fact sheet's live page: its live revision and its addresses in the other languages
    (``live_pages``; any language: one asked for under another language's prefix is sent where it belongs),
    then every cached piece of the page, the site's header and footer included, in one cache round trip."""
    version = page_cache.content_version(request)
    # Signed-in staff read which revision is live from the database: never older than what was published.
    revision, slugs = live_pages.live_revision(model, page_field, slug,
                                               None if request.user.is_authenticated else version)  # fmt: skip
    if revision is None:
        raise Http404("No such page")
    urls = alternates.revision_alternates(revision, url_name, slugs)
    if target := alternates.misplaced_redirect_target(urls, revision.language):
        return redirect(target)  # asked for under another language's prefix: where it lives in that language
    context = make_context(revision, url=absolute_url(revision.get_absolute_url()), version=version)
    context.update(translation_context(revision))
    context["pdf_url"] = localized_reverse(pdf_url_name, revision.language, slug=revision.slug)
    context["fragments"] = fragments.load(fragment_keys(context), request=request)
    context["alternate_urls"] = urls
    return render(request, f"cytokines/{page_field}_detail.html", context)


@cached_public_page
def article_detail(request, slug):
    return _live_page(request, slug, model=ArticleRevision, page_field="article", url_name="cytokines:article-detail",
                      pdf_url_name="cytokines:article-pdf", make_context=live_article_context)  # fmt: skip


@cached_public_page(params={"class": one_of(Agent.AgentClass.values)})
def agent_list(request):
    agents = live_agents().defer("content").order_by("name")
    agent_class = request.GET.get("class", "")
    if agent_class in Agent.AgentClass.values:
        agents = agents.filter(agent_class=agent_class)
    agents = list(agents)
    by_letter = [(letter, list(group)) for letter, group in groupby(agents, key=lambda a: a.name[0].upper())]
    return render(
        request,
        "cytokines/agent_list.html",
        {
            "agents_by_letter": by_letter,
            "agent_count": len(agents),
            "agent_classes": _agent_classes_in_use(),
            "current_class": agent_class,
        },
    )


@cached_public_page
def agent_detail(request, slug):
    return _live_page(request, slug, model=AgentRevision, page_field="agent", url_name="cytokines:agent-detail",
                      pdf_url_name="cytokines:agent-pdf", make_context=live_agent_context)  # fmt: skip


def _pdf_response(request, revision, template, make_context):
    """A live page as a PDF in its own language (made once per published version, ``public.pdf``)."""
    url = localized_reverse(request.resolver_match.view_name, revision.language, slug=revision.slug)
    if url != request.path:
        return HttpResponseRedirect(url)
    response = HttpResponse(pdf.pdf_for(revision, template, make_context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{revision.slug}-{revision.language}.pdf"'
    return response


def article_pdf(request, slug):
    revision = ArticleRevision.objects.live().select_related("article").filter(slug=slug).first()
    if revision is None:
        raise Http404("No such article")
    return _pdf_response(request, revision, "cytokines/pdf/article.html",
                         lambda: article_context(revision, agents=[]))  # fmt: skip


def agent_pdf(request, slug):
    revision = AgentRevision.objects.live().select_related("agent").filter(slug=slug).first()
    if revision is None:
        raise Http404("No such medicine")
    return _pdf_response(request, revision, "cytokines/pdf/agent.html",
                         lambda: agent_context(revision, cancer_types=[]))  # fmt: skip


@cached_public_page
def glossary_index(request):
    """The A–Z glossary: every live term with its definition, each at its own anchor."""
    terms = list(glossary.live_terms())
    return render(request, "cytokines/glossary.html",
                  {"terms_by_letter": glossary.terms_by_letter(terms), "term_count": len(terms)})  # fmt: skip


@cached_public_page
def glossary_term(request, slug):
    revision = glossary.live_terms().filter(slug=slug).first()
    if revision is None:
        raise Http404("No such glossary term")
    return render(request, "cytokines/glossary_term.html", glossary.term_context(revision))


CANCER_TYPE_PAGES = 10  # a common cancer can have thousands of articles: ten pages of them, then search


def articles_about(cancer_type):
    """Live articles about a cancer, featured first, then A to Z: read in the order of an index (migration 0043)
    that stops at the last one shown, instead of sorting every article about the cancer."""
    about_it = ArticleRevision.cancer_types.through.objects.filter(
        articlerevision=OuterRef("pk"), cancertype=cancer_type)
    return live_articles().filter(Exists(about_it)).order_by("-is_featured", "title", "pk")


@cached_public_page(params={"page": page_number})
def cancer_type_detail(request, slug):
    cancer_type = get_object_or_404(CancerType, slug=slug)
    articles = _page_of(request, BoundedPaginator(articles_about(cancer_type), 20, max_pages=CANCER_TYPE_PAGES))
    agents = live_agents().defer("content").filter(approved_cancer_types=cancer_type).order_by("name")
    return render(
        request,
        "cytokines/cancer_type_detail.html",
        {
            "cancer_type": cancer_type,
            "articles": articles,
            "page": articles,
            "approved_agents": agents,
            "trial_links": related.trial_links(cancer_types=[cancer_type]),
        },
    )


@replica_reads
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    page = min(max(page, 1), MAX_SEARCH_PAGES)
    language = content_language()

    def results():
        found = search_published(query, language=language, page=page)
        more = any(len(rows) > SEARCH_PER_PAGE for rows in found)  # each list holds one row past the page
        articles, agents, terms = (rows[:SEARCH_PER_PAGE] for rows in found)
        return render_to_string("cytokines/search_results.html", {
            "query": query, "articles": articles, "agents": agents, "terms": terms, "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if more and page < MAX_SEARCH_PAGES else None}, request)  # fmt: skip

    version = page_cache.content_version(request)
    kept = recent_searches.results(version, language, query, page, results) if query else ""
    # The language switcher keeps the search: a reader who changes language sees the same search answered there.
    asked = f"?{urlencode({'q': query})}" if query else ""
    switch = {code: path + asked for code, path in alternates.interface_alternates(request.path_info).items() if path}
    return render(request, "cytokines/search.html", {"query": query, "page": page, "results": kept,
                                                     "alternate_urls": switch})  # fmt: skip


def _calendar_owner(request, token):
    """The feed's owner, looked up once per request (the Last-Modified check and the view both ask)."""
    if not hasattr(request, "calendar_owner"):
        request.calendar_owner = calendar_token_owner(token)
    if request.calendar_owner is None:
        raise Http404("No such calendar.")
    return request.calendar_owner


def _feed_owner(request, token, scope):
    user = _calendar_owner(request, token)
    if not calendar.may_follow(user, scope):
        raise Http404("No such calendar.")  # the whole schedule is for Editors; asked again on every fetch
    return user


@condition(last_modified_func=lambda request, token, scope=calendar.MINE: calendar.last_changed(
    _feed_owner(request, token, scope), scope))
def review_calendar(request, token, scope=calendar.MINE):
    """A reviewer's schedule (or, for Editors, every page's) as iCalendar; the unguessable token in the URL
    stands in for a login.

    Calendar apps poll it; an unchanged schedule answers 304 Not Modified without building the feed.
    """
    user = _feed_owner(request, token, scope)
    body = calendar.calendar_for(user, base_url=base_url(), portal_name=live_site_settings().site_name, scope=scope)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{"all-reviews" if scope == calendar.ALL else "reviews"}.ics"'
    # Private (the token is a credential), but a calendar app may keep it and ask again with If-Modified-Since.
    response["Cache-Control"] = "private, no-cache"
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No database, no context processors: whatever broke must not break the error page too.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
