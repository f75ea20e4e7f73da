"""Newsletter issues and their deliveries: what was sent to whom, so nobody gets an issue twice."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cytokines.content.reviewed import Language


class NewsletterIssue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved, ready to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=150)
    # Sent to the confirmed subscribers who signed up in this language, its frame (footer, dates) in it too.
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH,
                                db_default=Language.ENGLISH)
    introduction = models.TextField(help_text="Plain text at the top of the e-mail. Links are written out in full.")
    pages = models.ManyToManyField(
        "cytokines.Article", blank=True, related_name="newsletter_issues",
        help_text="Published pages to list, with their review dates.",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    send_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the last recipient's e-mail was queued."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by__isnull=False), name="newsletter_sent_only_if_approved"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("last_edited_by")),
                name="newsletter_approver_is_not_the_last_editor",
            ),
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        super().clean()
        if self.status != self.Status.DRAFT and not self.approved_by_id:
            raise ValidationError("An issue must be approved before it is sent.")
        if self.approved_by_id and self.approved_by_id == self.last_edited_by_id:
            raise ValidationError("The Editor who last edited an issue cannot approve it.")


class NewsletterDelivery(models.Model):
    """One recipient of one issue. Unique per pair: the guarantee that nobody receives an issue twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.PROTECT, related_name="deliveries")
    subscriber = models.ForeignKey(
        "cytokines.Subscriber", null=True, on_delete=models.SET_NULL, related_name="deliveries",
        help_text="Empty once the subscriber's data was erased; the count stays right.",
    )  # fmt: skip
    message_id = models.CharField(max_length=255, unique=True, help_text="The Message-ID header of this e-mail.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_one_delivery_per_subscriber"),
        ]

    def __str__(self):
        return f"{self.issue} → subscriber {self.subscriber_id}"
