"""Records the review workflow keeps: events, reminders sent, calendar-feed tokens."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTerm
from cytokines.content.reviewed import ReviewedContent

# What each recorded step is called in the history editors read: the past tense of the button they pressed
# (review.rules.TRANSITIONS names the buttons), plus the records the workflow writes on its own.
ACTION_WORDS = {
    "submit": "Sent for medical review",
    "approve_medical": "Approved medical content",
    "request_changes": "Requested changes",
    "publish": "Published",
    "publish_typo_fix": "Published as a typo correction",
    "confirm_review": "Confirmed review: content still correct",
    "archive": "Unpublished and archived",
    "restore": "Restored to draft",
    "edited": "Edited",
    "flag_review_needed": "Flagged “review needed” (the medicine's facts changed)",
    "preview_link_created": "Made a preview link for an outside reviewer",
    "preview_link_revoked": "Revoked a preview link",
    "preview_link_used": "Preview link opened",
}


def action_in_words(action):
    """The history's words for a recorded step; an unknown code is shown readable rather than raw."""
    return ACTION_WORDS.get(action) or action.replace("_", " ").capitalize()


def exactly_one_page():
    """The condition of a row filed under exactly one reviewed page: an article, an agent or a glossary term."""
    return (Q(article__isnull=False, agent__isnull=True, glossaryterm__isnull=True)
            | Q(article__isnull=True, agent__isnull=False, glossaryterm__isnull=True)
            | Q(article__isnull=True, agent__isnull=True, glossaryterm__isnull=False))  # fmt: skip


class FiledUnderOnePage:
    """For a model with one nullable key per reviewed kind (``article``, ``agent``, ``glossaryterm``), exactly
    one of them set (``exactly_one_page``)."""

    @property
    def page(self):
        """The reviewed page (article, agent or glossary term) this row belongs to."""
        if self.article_id is not None:
            return self.article
        return self.agent if self.agent_id is not None else self.glossaryterm

    @classmethod
    def page_field(cls, page):
        """``{"article": page}``, ``{"agent": page}``...: how to file a row under ``page``."""
        return {page._meta.model_name: page}


class ReviewEvent(FiledUnderOnePage, models.Model):
    """One step of an article's review, written by the workflow and never changed afterwards."""

    class Role(models.TextChoices):
        WRITER = "writer", "Writer"
        MEDICAL_REVIEWER = "medical_reviewer", "Medical reviewer"
        EDITOR = "editor", "Editor"
        TRANSLATOR = "translator", "Translator"
        ADMINISTRATOR = "administrator", "Administrator"
        SYSTEM = "system", "System"

    # PROTECT: a page with a review history is archived, never deleted, so the record survives. Each event
    # belongs to exactly one reviewed page: one column per reviewed kind (``page`` reads whichever is set).
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT, related_name="review_events"
    )
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="review_events")
    glossaryterm = models.ForeignKey(
        GlossaryTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="review_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_events"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept even if the account is later deleted.")
    role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ReviewedContent.Status.choices)
    to_status = models.CharField(max_length=20, choices=ReviewedContent.Status.choices)
    comment = models.TextField(blank=True)
    # For a medical approval: the checklist as the reviewer saw and confirmed it, [{"item": ..., "checked": true}].
    checklist = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "-created_at"], name="review_event_article_recent")]
        constraints = [
            models.CheckConstraint(condition=exactly_one_page(), name="review_event_one_page"),
        ]

    def __str__(self):
        return f"{self.page}: {self.get_from_status_display()} → {self.get_to_status_display()} by {self.actor_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Review events are a permanent record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Review events are a permanent record and cannot be deleted.")

    @property
    def action_words(self):
        return action_in_words(self.action)



class ChecklistItem(models.Model):
    """One point the medical reviewer confirms before approving; Editors keep the list."""

    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Untick to stop asking it (past approvals keep it).")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "medical review checklist item"

    def __str__(self):
        return self.text


class ReminderLog(FiledUnderOnePage, models.Model):
    """A reminder that was sent, so the same one is never sent twice for the same due date."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Escalated to editors"
        TRANSLATION = "translation", "Translation out of date"  # due date: the day the English page changed

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The page reminded about: exactly one of the three (fact sheets and glossary terms are reviewed too).
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reminders", null=True, blank=True)
    # Their indexes are built CONCURRENTLY by migration 0049 (PostgreSQL), so adding them never locks the table.
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="reminders", null=True, blank=True,
                              db_index=False)
    glossaryterm = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="reminders", null=True,
                                     blank=True, db_index=False, verbose_name="glossary term")  # fmt: skip
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField(help_text="The next-review-due date the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "article", "kind", "due_date"], name="reminder_once_per_window"
            ),
            models.UniqueConstraint(
                fields=["recipient", "agent", "kind", "due_date"], name="agent_reminder_once_per_window"
            ),
            models.UniqueConstraint(
                fields=["recipient", "glossaryterm", "kind", "due_date"], name="term_reminder_once_per_window"
            ),
            models.CheckConstraint(condition=exactly_one_page(), name="reminder_one_page"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} about {self.page} (due {self.due_date})"


class CalendarToken(models.Model):
    """The secret in a reviewer's calendar-feed URL; calendar apps cannot log in, so the URL is the key."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False,
        help_text="Of the password the user had when the token was made; a new password revokes the feed.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class PreviewLink(models.Model):
    """A read-only link to a page's pending revision for an outside reviewer without an admin login.

    The secret in the link is random and only its SHA-256 hash is stored, so the table alone opens
    nothing; the link works until it expires or is revoked. Each use is a review event. Any reviewed
    kind: the page is a (content type, id) pair.
    """

    DEFAULT_DAYS = 7
    MAX_DAYS = 30

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reviewer_name = models.CharField(max_length=150, help_text="Who the link is for, as the review history shows it.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uses = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="preview_link_page")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="preview_link_expires_after_creation"),
        ]  # fmt: skip

    def __str__(self):
        return f"Preview link for {self.reviewer_name} ({self.get_state_display()})"

    @property
    def page(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)

    def state(self, now=None):
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= (now or timezone.now()) else "active"

    def get_state_display(self):
        return self.state()
