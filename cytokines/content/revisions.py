"""Live revisions: immutable snapshots of everything readers see of one published version of a page.

Editors change only the working copy (``Article`` and its rows). Publishing makes a new revision from
it (``cytokines.review.snapshots`` builds it, ``cytokines.review.workflow`` saves it); the public site
reads only revisions. Revision rows are never updated or deleted: ``save()`` refuses, and on
PostgreSQL a trigger refuses any UPDATE or DELETE, whatever path it comes by.
"""

import datetime

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from .agents import Agent, RegulatoryApproval
from .articles import Article
from .languages import localized_reverse
from .library import CancerType
from .safety import SafetyTopic
from .saved_index import stored_bucket
from .trials import trial_search_url


class RevisionQuerySet(models.QuerySet):
    def live(self):
        """Revisions readers see now: the one each page points to as live."""
        return self.filter(live_for__isnull=False)


class RevisionManager(models.Manager.from_queryset(RevisionQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer("search_document")


class Revision(models.Model):
    """What every kind's revision carries: its number, when, who approved it, and whether it was a typo fix."""

    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    typo_only = models.BooleanField(default=False, help_text="A typo-only correction approved by a second Editor.")
    # Who approved it, as they were: {"name", "credentials", "username"} for "medical" and "editor".
    approvers = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the text readers see.")
    # Everything else readers see, pre-rendered: sanitized HTML, formatted citations, people with credentials.
    content = models.JSONField(default=dict)
    # Which buckets of the saved-pages index list it (``saved_index.stored_bucket`` of its slug, set when made).
    index_bucket = models.PositiveSmallIntegerField(null=True, editable=False, db_index=True)

    objects = RevisionManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A published revision is a permanent record and cannot be changed.")
        self.index_bucket = stored_bucket(self.slug)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A published revision is a permanent record and cannot be deleted.")

    @property
    def is_translation(self):
        return self.source_revision_id is not None

    @property
    def medical_approver(self):
        return self.approvers.get("medical")

    @property
    def editor_approver(self):
        return self.approvers.get("editor")


class ReferenceView:
    """A frozen citation, read like a Reference by the citation template."""

    def __init__(self, data):
        self.__dict__.update(data)
        accessed = data.get("accessed_on")
        self.accessed_on = datetime.date.fromisoformat(accessed) if accessed else None


class ArticleRevision(Revision):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, db_index=True)
    summary = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Article.Kind.choices)
    language = models.CharField(max_length=5, choices=Article.Language.choices)
    # For a translation: the live English revision it translates (a newer one makes it out of date).
    source_revision = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_featured = models.BooleanField(default=False)
    cancer_types = models.ManyToManyField(CancerType, blank=True, related_name="article_revisions")
    agents = models.ManyToManyField(Agent, blank=True, related_name="article_revisions")
    search_document = SearchVectorField(null=True, editable=False, help_text="Kept current by a trigger (PostgreSQL).")

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_revision_unique_number")]

    def __str__(self):
        return f"{self.title} (revision {self.number})"

    def get_absolute_url(self):
        return localized_reverse("cytokines:article-detail", self.language, slug=self.slug)

    # The page's dates belong to the page (the workflow writes them); readers see them with the revision.
    @property
    def published_at(self):
        return self.article.published_at

    @property
    def last_revised(self):
        return self.article.last_revised

    @property
    def last_reviewed(self):
        return self.article.last_reviewed

    @property
    def next_review_due(self):
        return self.article.next_review_due

    @property
    def is_review_overdue(self):
        return self.article.is_review_overdue

    @property
    def body_html(self):
        return mark_safe(self.content.get("body_html", ""))  # noqa: S308 - sanitized when the revision was made

    @property
    def faq_items(self):
        return [(item, mark_safe(item["answer_html"])) for item in self.content.get("faq", [])]  # noqa: S308

    @property
    def numbered_references(self):
        return [{"position": ref["position"], "reference": ReferenceView(ref), "backlinks": ref.get("backlinks", [])}
                for ref in self.content.get("references", [])]  # fmt: skip

    @property
    def contents(self):
        return [tuple(item) for item in self.content.get("contents", [])]

    @property
    def authors(self):
        return self.content.get("authors", [])

    @property
    def reviewers(self):
        return self.content.get("reviewers", [])


class _Linked:
    """A frozen library row (a cancer type) that still links to its page."""

    def __init__(self, data, url_name):
        self.__dict__.update(data)
        self._url_name = url_name

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(self._url_name, args=[self.slug])


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


class ApprovalView:
    """A frozen regulatory status for one use, read like a RegulatoryApproval by the fact sheet."""

    def __init__(self, data):
        self.__dict__.update(data)
        self.checked_on = _date(data.get("checked_on"))
        self.cancer_types = [_Linked(c, "cytokines:cancer-type-detail") for c in data.get("cancer_types", [])]

    def get_regulator_display(self):
        return RegulatoryApproval.Regulator(self.regulator).label

    def get_status_display(self):
        return RegulatoryApproval.ApprovalStatus(self.status).label

    @property
    def is_approved(self):
        return self.status == RegulatoryApproval.ApprovalStatus.APPROVED

    @property
    def has_ended(self):
        return self.status in RegulatoryApproval.ENDED


class SafetyView:
    """A frozen side effect or safety statement, read like the row by the fact sheet's templates; its
    ``source_position`` is its source's number in the revision's reference list."""

    def __init__(self, data):
        self.__dict__.update(data)
        self.checked_on = _date(data.get("checked_on"))
        self.reference = ReferenceView(data["reference"]) if data.get("reference") else None

    def get_topic_display(self):
        return SafetyTopic(self.topic).label

    @property
    def lines(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class AgentRevision(Revision):
    """A medicine's fact sheet as readers see it: every fact field, the approvals per regulator, the
    references and reviewers, frozen (the related sets are listed in ``review.snapshots.AGENT_RELATED_SETS``)."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="revisions")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, db_index=True)
    agent_class = models.CharField(max_length=20, choices=Agent.AgentClass.choices)
    nonproprietary_name = models.CharField(max_length=150, blank=True)
    brand_names = models.CharField(max_length=300, blank=True)
    summary = models.CharField(max_length=300)
    language = models.CharField(max_length=5, choices=Agent.Language.choices, default="en", db_default="en")
    # For a translation: the live English revision it translates (a newer one makes it out of date).
    source_revision = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The cancer types a regulator approved it for: cancer-type pages and "other medicines" query these.
    approved_cancer_types = models.ManyToManyField(CancerType, blank=True, related_name="approved_agent_revisions")
    search_document = SearchVectorField(null=True, editable=False, help_text="Kept current by a trigger (PostgreSQL).")

    class Meta:
        ordering = ["agent", "-number"]
        constraints = [models.UniqueConstraint(fields=["agent", "number"], name="agent_revision_unique_number")]

    def __str__(self):
        return f"{self.name} (revision {self.number})"

    def get_absolute_url(self):
        return localized_reverse("cytokines:agent-detail", self.language, slug=self.slug)

    @property
    def title(self):
        return self.name

    # The page's dates belong to the page (the workflow writes them); readers see them with the revision.
    @property
    def published_at(self):
        return self.agent.published_at

    @property
    def last_revised(self):
        return self.agent.last_revised

    @property
    def last_reviewed(self):
        return self.agent.last_reviewed

    @property
    def next_review_due(self):
        return self.agent.next_review_due

    @property
    def is_review_overdue(self):
        return self.agent.is_review_overdue

    # The fact fields, frozen in ``content`` (related sets too: ``content["approvals"]`` and any other
    # set ``AGENT_RELATED_SETS`` lists).
    @property
    def mechanism(self):
        return self.content.get("mechanism", "")

    @property
    def places(self):
        return self.content.get("places", [])

    @property
    def place_labels(self):
        return [Agent.Place(value).label for value in self.places if value in Agent.Place.values]

    @property
    def hospital_note(self):
        return self.content.get("hospital_note", "")

    @property
    def routes(self):
        return self.content.get("routes", [])

    @property
    def trial_search_url(self):
        return trial_search_url(intervention=self.content.get("trial_search_term", ""))

    @property
    def brand_name_list(self):
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]

    @property
    def route_labels(self):
        return [Agent.Route(value).label for value in self.content.get("routes", []) if value in Agent.Route.values]

    @property
    def side_effects(self):
        return [SafetyView(item) for item in self.content.get("side_effects", [])]

    @property
    def safety_statements(self):
        return [SafetyView(item) for item in self.content.get("safety_statements", [])]

    @property
    def approvals(self):
        return [ApprovalView(item) for item in self.content.get("approvals", [])]

    @property
    def mechanism_html(self):
        return mark_safe(self.content.get("mechanism_html", ""))  # noqa: S308 - sanitized when the revision was made

    @property
    def hospital_note_html(self):
        return mark_safe(self.content.get("hospital_note_html", ""))  # noqa: S308

    @property
    def numbered_references(self):
        return [{"position": ref["position"], "reference": ReferenceView(ref), "backlinks": ref.get("backlinks", [])}
                for ref in self.content.get("references", [])]  # fmt: skip

    @property
    def reviewers(self):
        return self.content.get("reviewers", [])
