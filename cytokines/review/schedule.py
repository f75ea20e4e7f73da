"""Reads for staff who track reviews: the dashboard and the CSV export of the schedule."""

import csv
import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTerm
from cytokines.content.reviewed import Language, name_in_lists
from cytokines.content.site import TrustPage
from cytokines.ops.formulas import escape_formula
from cytokines.review.models import ReviewEvent

DUE_SOON_DAYS = 30
# What the schedule's CSV export reads of each article; the text itself is never needed here.
SCHEDULE_FIELDS = [
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
    """Articles of this owner and this medical reviewer (either may be None: anyone's)."""
    articles = Article.objects.all()
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
    articles, agents, terms = _articles(owner, reviewer), Agent.objects.all(), GlossaryTerm.objects.all()
    if owner:
        agents, terms = agents.filter(owner=owner), terms.filter(owner=owner)
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
    result = {key: capped_rows(queryset, limit) for key, queryset in sections.items()}
    result["days"] = days
    result["today"] = today
    result["trust_pages_out_of_date"] = trust_pages_out_of_date()
    events = ReviewEvent.objects.select_related("article", "agent", "glossaryterm")
    result["recent_events"] = list(events.order_by("-created_at")[:15])
    return result


def trust_pages_out_of_date():
    """(translation, its live English page) for each live trust page older than its English one: every live
    trust page is one row per kind and language, a handful, read in one query."""
    live = list(TrustPage.objects.live().order_by("kind", "language"))
    english = {page.kind: page for page in live if page.language == Language.ENGLISH}
    return [(page, english[page.kind]) for page in live if page.behind(english.get(page.kind))]


@dataclass(frozen=True)
class ScheduleRow:
    """One line of a dashboard list, read as values: fifteen lists of 25 pages, each page with its owner's
    and reviewer's user objects, cost more to build as model objects than the queries cost to run."""

    pk: int
    name: str
    change_url: str
    status: str
    owner: str
    medical_reviewer: str
    last_reviewed: datetime.date | None
    next_review_due: datetime.date | None
    review_needed: bool

    def __str__(self):
        return self.name


# Per kind of page: the field that names it and its admin change form.
ROW_KINDS = {
    Article: ("title", "admin:cytokines_article_change"),
    Agent: ("name", "admin:cytokines_agent_change"),
    GlossaryTerm: ("name", "admin:cytokines_glossaryterm_change"),
}


def capped_rows(queryset, limit):
    """``capped_list`` of the pages in ``queryset``, each row a ``ScheduleRow``."""
    model = queryset.model
    name_field, url_name = ROW_KINDS[model]
    fields = {field.name for field in model._meta.fields}
    columns = ["pk", name_field, "status", "last_reviewed", "next_review_due", "review_needed", "owner__username"]
    columns += [name for name in ("language", "medical_reviewer__username") if name.split("__")[0] in fields]
    # The count comes from the queryset itself: counted through values() it kept the joins to the users.
    found = capped_list(queryset, limit, read=lambda rows: rows.values(*columns))
    change_url, labels = _change_url(url_name), dict(model.Status.choices)
    found["rows"] = [ScheduleRow(
        pk=row["pk"], name=name_in_lists(row[name_field], row.get("language", Language.ENGLISH)),
        change_url=change_url(row["pk"]),
        status=labels.get(row["status"], row["status"]), owner=row["owner__username"] or "",
        medical_reviewer=row.get("medical_reviewer__username") or "", last_reviewed=row["last_reviewed"],
        next_review_due=row["next_review_due"], review_needed=row["review_needed"],
    ) for row in found["rows"]]  # fmt: skip
    return found


def _change_url(url_name):
    """The change form's address for a page id, reversed once per list rather than once per row."""
    head, tail = reverse(url_name, args=[987654321]).split("987654321")
    return lambda pk: f"{head}{pk}{tail}"


def capped_list(queryset, limit, *, read=None):
    """A dashboard list: its first ``limit`` rows and how many there are, counted only when the rows fill the
    list (most lists are short, and a count is one more query each). ``read`` shapes the rows (e.g. values)."""
    rows = list((read(queryset) if read else queryset)[: limit + 1])
    count = len(rows) if len(rows) <= limit else queryset.count()
    return {"rows": rows[:limit], "count": count}


SCHEDULE_COLUMNS = ["title", "status", "owner", "medical_reviewer", "last_reviewed", "next_review_due", "overdue",
                    "review_needed", "admin_url"]  # fmt: skip


def schedule_rows(*, owner=None, reviewer=None, today=None):
    today = today or timezone.localdate()
    articles = (_articles(owner, reviewer).select_related("owner", "medical_reviewer").only(*SCHEDULE_FIELDS)
                .exclude(status=Article.Status.ARCHIVED).order_by("next_review_due", "title"))  # fmt: skip
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
