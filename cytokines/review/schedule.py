"""Reads for staff who track reviews: the dashboard and the CSV export of the schedule."""

import csv
import datetime

from django.urls import reverse
from django.utils import timezone

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTerm
from cytokines.ops.formulas import escape_formula
from cytokines.review.models import ReviewEvent

DUE_SOON_DAYS = 30
# What the dashboard shows of each article; the text itself is never needed here.
DASHBOARD_FIELDS = [
    "title",
    "language",  # the title shows it for a translation: deferred, it would cost one query per row
    "status",
    "last_reviewed",
    "next_review_due",
    "review_needed",
    "updated_at",
    "owner__username",
    "medical_reviewer__username",
]


def _articles(owner=None, reviewer=None):
    articles = Article.objects.select_related("owner", "medical_reviewer").only(*DASHBOARD_FIELDS)
    if owner:
        articles = articles.filter(owner=owner)
    if reviewer:
        articles = articles.filter(medical_reviewer=reviewer)
    return articles


def dashboard(*, owner=None, reviewer=None, days=DUE_SOON_DAYS, today=None, limit=25):
    """Everything the review dashboard shows, each list capped at ``limit`` rows with a full count.

    Every list and count is served by an index (see Article.Meta.indexes); measured at 100,000
    articles, separate indexed counts beat one aggregate pass over the table.
    """
    today = today or timezone.localdate()
    articles = _articles(owner, reviewer)
    agents = Agent.objects.select_related("owner").only(
        "name", "language", "status", "last_reviewed", "next_review_due", "review_needed", "owner__username"
    )
    if owner:
        agents = agents.filter(owner=owner)
    terms = GlossaryTerm.objects.select_related("owner").only(
        "name", "status", "last_reviewed", "next_review_due", "review_needed", "owner__username"
    )
    if owner:
        terms = terms.filter(owner=owner)
    sections = {
        "overdue": articles.review_overdue(today).order_by("next_review_due"),
        "review_needed": articles.published().filter(review_needed=True).order_by("next_review_due"),
        "due_soon": articles.due_within(days, today).order_by("next_review_due"),
        # Work not yet sent for review, newest first: what writers and editors pick up again.
        "drafts": articles.filter(status=Article.Status.DRAFT).order_by("-updated_at"),
        "medical_review": articles.filter(status=Article.Status.MEDICAL_REVIEW).order_by("updated_at"),
        "editorial_review": articles.filter(status=Article.Status.EDITORIAL_REVIEW).order_by("updated_at"),
        "recently_reviewed": articles.published()
        .filter(last_reviewed__gte=today - datetime.timedelta(days=30))
        .order_by("-last_reviewed"),
        # Translations whose English page went live with other words since the version they translate.
        "translations_out_of_date": articles.out_of_date_translations().order_by("title"),
        "agent_translations_out_of_date": agents.out_of_date_translations().order_by("name"),
        "agents_overdue": agents.review_overdue(today).order_by("next_review_due"),
        "agents_due_soon": agents.due_within(days, today).order_by("next_review_due"),
        "agents_drafts": agents.filter(status=Agent.Status.DRAFT).order_by("-updated_at"),
        # Glossary terms: what is due, and what waits for a reviewer (medical or editorial).
        "terms_overdue": terms.review_overdue(today).order_by("next_review_due"),
        "terms_due_soon": terms.due_within(days, today).order_by("next_review_due"),
        "terms_in_review": terms.filter(status__in=[GlossaryTerm.Status.MEDICAL_REVIEW,
                                                    GlossaryTerm.Status.EDITORIAL_REVIEW]).order_by("updated_at"),
    }
    result = {key: capped_list(queryset, limit) for key, queryset in sections.items()}
    result["days"] = days
    result["today"] = today
    events = ReviewEvent.objects.select_related("article", "agent", "glossaryterm")
    result["recent_events"] = list(events.order_by("-created_at")[:15])
    return result


def capped_list(queryset, limit):
    """A dashboard list: its first ``limit`` rows and how many there are, counted only when the rows fill the
    list (most lists are short, and a count is one more query each)."""
    rows = list(queryset[: limit + 1])
    count = len(rows) if len(rows) <= limit else queryset.count()
    return {"rows": rows[:limit], "count": count}


SCHEDULE_COLUMNS = ["title", "status", "owner", "medical_reviewer", "last_reviewed", "next_review_due", "overdue",
                    "review_needed", "admin_url"]  # fmt: skip


def schedule_rows(*, owner=None, reviewer=None, today=None):
    today = today or timezone.localdate()
    articles = _articles(owner, reviewer).exclude(status=Article.Status.ARCHIVED).order_by("next_review_due", "title")
    for article in articles.iterator(chunk_size=2000):
        yield {
            "title": article.title,
            "status": article.get_status_display(),
            "owner": article.owner.get_username() if article.owner else "",
            "medical_reviewer": article.medical_reviewer.get_username() if article.medical_reviewer else "",
            "last_reviewed": article.last_reviewed or "",
            "next_review_due": article.next_review_due or "",
            "overdue": "yes" if article.next_review_due and article.next_review_due < today else "",
            "review_needed": "yes" if article.review_needed else "",
            "admin_url": reverse("admin:cytokines_article_change", args=[article.pk]),
        }


def write_schedule_csv(stream, rows):
    writer = csv.DictWriter(stream, fieldnames=SCHEDULE_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: escape_formula(str(value)) for key, value in row.items()})
