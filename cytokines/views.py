"""Public pages. Every query starts from ``.published()``: drafts and archived pages answer 404."""

from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from . import review_schedule
from .models import Agent, Article, ArticleReference, CalendarToken, CancerType, Contributor, RegulatoryApproval
from .rendering import render_markdown


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


def article_list(request):
    articles = Article.objects.published().order_by("title")
    kind = request.GET.get("kind", "")
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    return render(
        request,
        "cytokines/article_list.html",
        {"articles": articles, "kinds": Article.Kind.choices, "current_kind": kind},
    )


def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.published().prefetch_related(
            Prefetch("article_references", queryset=ArticleReference.objects.select_related("reference")),
            Prefetch("authors", queryset=Contributor.objects.order_by("name")),
            Prefetch("reviewers", queryset=Contributor.objects.order_by("name")),
            Prefetch("agents", queryset=Agent.objects.published().order_by("name")),
            "cancer_types",
            "faq_items",
        ),
        slug=slug,
    )
    return render(request, "cytokines/article_detail.html", article_context(article))


def article_context(article):
    """Build what the article template needs; shared by the public page and the staff preview."""
    numbered_references = list(article.article_references.all())
    cited = frozenset(link.position for link in numbered_references)
    return {
        "article": article,
        "body_html": render_markdown(article.body, cited_positions=cited),
        "faq_items": [(item, render_markdown(item.answer, cited_positions=cited)) for item in article.faq_items.all()],
        "numbered_references": numbered_references,
    }


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
    return render(request, "cytokines/agent_detail.html", {"agent": agent})


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
