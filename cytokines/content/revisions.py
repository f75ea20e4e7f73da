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

from .agents import Agent
from .articles import Article
from .library import CancerType


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

    objects = RevisionManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A published revision is a permanent record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A published revision is a permanent record and cannot be deleted.")

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
        return reverse("cytokines:article-detail", args=[self.slug])

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
