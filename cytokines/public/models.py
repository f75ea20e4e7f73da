"""What readers send back about pages."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cytokines.content.articles import Article


class PageFeedback(models.Model):
    """A reader's answer to "Was this page helpful?", for editors to act on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "page feedback"

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"


class ProblemReport(models.Model):
    """A reader's "Report a problem" about a public page, for Editors, until one of them resolves it.

    It points at what the reader saw: the page's address and title and, for reviewed pages, the live
    revision shown then (any revision kind, hence the generic relation). The reader's e-mail, if given, is
    the only personal data here and lives in ``reporter_email`` alone (see PERSONAL_FIELDS).
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    PERSONAL_FIELDS = ("reporter_email",)
    DESCRIPTION_MAX = 2000

    page_path = models.CharField(max_length=300, help_text="The address of the page, on this site.")
    page_title = models.CharField(max_length=200, blank=True)
    # Which revision readers were shown: its model name (any reviewed kind) and id. Revisions are never deleted.
    # A model name rather than a content-type id, so a backup restores into any database unchanged.
    revision_model = models.CharField(max_length=40, blank=True)
    revision_id = models.PositiveBigIntegerField(null=True, blank=True)
    description = models.TextField("what is wrong", max_length=DESCRIPTION_MAX)
    reporter_email = models.EmailField(
        "reader's e-mail", blank=True, help_text="Only if the reader wants an answer; erase it once answered."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.CharField(max_length=500, blank=True, help_text="What was done (for the other editors).")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="problem_report_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True) | Q(status="resolved", resolved_at__isnull=False),
                name="problem_report_resolved_has_date",
            ),
            models.CheckConstraint(condition=Q(page_path__startswith="/"), name="problem_report_path_on_site"),
        ]

    def __str__(self):
        return f"{self.page_title or self.page_path}: {self.description[:60]}"

    @property
    def revision(self):
        if not self.revision_model or self.revision_id is None:
            return None
        return apps.get_model("cytokines", self.revision_model).objects.filter(pk=self.revision_id).first()

    def clean(self):
        if (self.status == self.Status.RESOLVED) != (self.resolved_at is not None):
            raise ValidationError("A resolved report has the date it was resolved; an open one has none.")
        if not self.page_path.startswith("/"):
            raise ValidationError({"page_path": "The address must be a page on this site."})
