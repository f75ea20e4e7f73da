"""Public pages. Every query starts from ``.published()``: drafts and archived pages answer 404."""

import hashlib
from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from . import review_schedule, seo
from .models import (
    Agent,
    Article,
    ArticleReference,
    CalendarToken,
    CancerType,
    Contributor,
    PageFeedback,
    RegulatoryApproval,
)
from .public_cache import cached_public_page
from .rendering import RENDER_VERSION, render_markdown
from .search import search_published


@cached_public_page
def home(request):
    published_articles = Article.objects.published()
    return render(
        request,
        "cytokines/home.html",
        {
            "featured": published_articles.filter(is_featured=True).order_by("-published_at")[:6],
            "latest": published_articles.order_by("-published_at")[:5],
            "agent_classes": _agent_classes_in_use(),
            "cancer_types": CancerType.objects.filter(articles__status=Article.Status.PUBLISHED).distinct(),
        },
    )


def _agent_classes_in_use():
    used = set(Agent.objects.published().values_list("agent_class", flat=True).distinct())
    return [choice for choice in Agent.AgentClass if choice.value in used]


@cached_public_page
def article_list(request):
    articles = Article.objects.published().order_by("title")
    kind = request.GET.get("kind", "")
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    page = Paginator(articles.only("title", "slug", "summary", "kind", "last_reviewed"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cytokines/article_list.html",
        {"articles": page, "page": page, "kinds": Article.Kind.choices, "current_kind": kind},
    )


@cached_public_page
def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.published().prefetch_related(
            Prefetch("article_references", queryset=ArticleReference.objects.select_related("reference")),
            Prefetch("authors", queryset=Contributor.objects.order_by("name")),
            Prefetch("reviewers", queryset=Contributor.objects.order_by("name")),
            Prefetch("agents", queryset=Agent.objects.published().order_by("name")),
            "faq_items",
        ),
        slug=slug,
    )
    context = article_context(article)
    context["jsonld"] = seo.article_jsonld(
        article, request.build_absolute_uri(article.get_absolute_url()), context["numbered_references"],
        context["faq_items"],
    )  # fmt: skip
    return render(request, "cytokines/article_detail.html", context)


def article_context(article):
    """Build what the article template needs; shared by the public page and the staff preview."""
    numbered_references = list(article.article_references.all())
    cited = frozenset(link.position for link in numbered_references)
    faq_items = list(article.faq_items.all())
    body_html, *answers_html = rendered_article_text(article, faq_items, cited)
    return {
        "article": article,
        "body_html": body_html,
        "faq_items": list(zip(faq_items, answers_html, strict=True)),
        "numbered_references": numbered_references,
    }


def rendered_article_text(article, faq_items, cited):
    """Markdown → sanitized HTML for the body and FAQ answers, cached by the text it was made from.

    The key is a hash of everything the output depends on (the body, the FAQ answers, the cited
    positions, the renderer's version), so an edit can never be served stale HTML.
    """
    parts = [article.body, *(item.answer for item in faq_items)]
    fingerprint = hashlib.sha256("\x1f".join([*parts, ",".join(map(str, sorted(cited)))]).encode()).hexdigest()
    key = f"article-html:{RENDER_VERSION}:{fingerprint}"
    html = cache.get(key)
    if html is None:
        html = [str(render_markdown(text, cited_positions=cited)) for text in parts]
        cache.set(key, html, 60 * 60 * 24 * 7)
    return [mark_safe(fragment) for fragment in html]  # noqa: S308 - sanitized by render_markdown


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes")
    comment = forms.CharField(required=False, max_length=500, label="What could we improve? (optional)")
    website = forms.CharField(required=False, label="Leave this empty")  # honeypot: people never fill it


@require_POST
@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def article_feedback(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = FeedbackForm(request.POST)
    if getattr(request, "limited", False):
        messages.error(request, "You have sent a lot of feedback in a short time; please try again later.")
    elif form.is_valid() and not form.cleaned_data["website"]:
        PageFeedback.objects.create(
            article=article, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"]
        )
        messages.success(request, "Thank you: your feedback goes to the editors of this page.")
    elif form.is_valid():
        messages.success(request, "Thank you.")  # a bot filled the honeypot; tell it nothing
    else:
        messages.error(request, "Please choose Yes or No (and keep any comment under 500 characters).")
    return redirect(f"{article.get_absolute_url()}#feedback")


@cached_public_page
def agent_list(request):
    agents = Agent.objects.published().order_by("name")
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
    agent = get_object_or_404(
        Agent.objects.published().prefetch_related(
            Prefetch(
                "approvals", queryset=RegulatoryApproval.objects.prefetch_related("cancer_types").order_by("regulator")
            ),
            Prefetch("articles", queryset=Article.objects.published().order_by("title")),
            Prefetch("reviewers", queryset=Contributor.objects.order_by("name")),
            "references",
        ),
        slug=slug,
    )
    jsonld = seo.agent_jsonld(agent, request.build_absolute_uri(agent.get_absolute_url()))
    return render(request, "cytokines/agent_detail.html", {"agent": agent, "jsonld": jsonld})


@cached_public_page
def cancer_type_detail(request, slug):
    cancer_type = get_object_or_404(CancerType, slug=slug)
    articles = cancer_type.articles.published().order_by("title")
    agents = (
        Agent.objects.published()
        .filter(approvals__cancer_types=cancer_type, approvals__status=RegulatoryApproval.ApprovalStatus.APPROVED)
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "cytokines/cancer_type_detail.html",
        {"cancer_type": cancer_type, "articles": articles, "approved_agents": agents},
    )


def search(request):
    query = request.GET.get("q", "").strip()
    articles, agents = search_published(query)
    return render(
        request,
        "cytokines/search.html",
        {"query": query[:200], "articles": articles, "agents": agents, "searched": bool(query)},
    )


def review_calendar(request, token):
    """A reviewer's schedule as iCalendar; the unguessable token in the URL stands in for a login."""
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token, user__is_active=True)
    body = review_schedule.calendar_for(
        owner.user, base_url=request.build_absolute_uri("/").rstrip("/"), portal_name=settings.PORTAL["NAME"]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reviews.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No database, no context processors: whatever broke must not break the error page too.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
