"""What every reviewed page shares: status, owner, the review dates readers see, and their reads."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


def add_months(day, months):
    """Return ``day`` moved by whole months, clamped to the end of shorter months (31 Jan + 1 = 28/29 Feb)."""
    return day + relativedelta(months=months)


class Language(models.TextChoices):
    """The languages pages are written in. English pages are sources; a page in another language is the
    translation of one English page (``Translatable``)."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


SOURCE_LANGUAGE = Language.ENGLISH


# What staff lists, reminders and calendar feeds call each reviewed kind (by model name).
KIND_WORDS = {"article": "Article", "agent": "Fact sheet", "glossaryterm": "Glossary term"}


def name_in_lists(name, language):
    """How staff lists name a page: a translation carries its language ("Interleucina-2 (es)")."""
    return name if language == Language.ENGLISH else f"{name} ({language})"


class ReviewedContentQuerySet(models.QuerySet):
    """Reads shared by everything that is published and periodically reviewed."""

    def published(self):
        """Pages readers can see: those with a live revision (articles) or published (agents)."""
        if any(f.name == "live_revision" for f in self.model._meta.fields):
            return self.filter(live_revision__isnull=False)
        return self.filter(status=self.model.Status.PUBLISHED)

    def review_overdue(self, today=None):
        return self.published().filter(next_review_due__lt=today or timezone.localdate())

    def in_language(self, language):
        return self.filter(language=language)

    def out_of_date_translations(self):
        """Published translations whose English source went live with other text after the version they
        translate (derived from the live revisions, never a stored flag that could drift)."""
        same_text = F("translation_of__live_revision__fingerprint")
        return self.published().filter(translation_of__isnull=False).exclude(
            live_revision__source_revision__fingerprint=same_text)

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.published().filter(
            next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=days)
        )


class ReviewedContentManager(models.Manager.from_queryset(ReviewedContentQuerySet)):
    def get_queryset(self):
        # A stored search document is for the database's search only; never load it into Python.
        queryset = super().get_queryset()
        if any(field.name == "search_document" for field in self.model._meta.concrete_fields):
            queryset = queryset.defer("search_document")
        return queryset


class ReviewedContent(models.Model):
    """Fields every reviewed page carries: status, owner and the three dates readers see."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        MEDICAL_REVIEW = "medical_review", "In medical review"
        EDITORIAL_REVIEW = "editorial_review", "In editorial review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member responsible for keeping this page up to date.",
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="When the page first went public.")
    last_revised = models.DateField(
        null=True, blank=True, help_text="When the published text last changed materially (minor edits do not count)."
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="When the latest full review was signed off.")
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    review_interval_months = models.PositiveSmallIntegerField(
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long a review stays valid. Next review due = last reviewed + this many months.",
    )
    review_needed = models.BooleanField(
        default=False, help_text="Set when facts this page relies on changed; cleared by the next review."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; an edit based on an older version is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_review_overdue(self):
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    def clean(self):
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            raise ValidationError({"next_review_due": "The next review must be due after the last review."})

    @classmethod
    def review_date_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(last_reviewed__isnull=True)
                | Q(next_review_due__gt=F("last_reviewed")),
                name=f"{prefix}_next_review_after_last_review",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(last_reviewed__isnull=False, next_review_due__isnull=False),
                name=f"{prefix}_published_has_review_dates",
            ),
        ]


class Translatable(models.Model):
    """A page's language and, for a translation, the English page it translates and the source revision
    (the live English version) it was based on. A translation is its own reviewed page: own workflow,
    revisions, dates and reviewers; it is *out of date* when the source's live text moved past that base."""

    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH,
                                db_default=Language.ENGLISH, db_index=True)  # fmt: skip

    class Meta:
        abstract = True

    @property
    def is_translation(self):
        return self.translation_of_id is not None

    def clean(self):
        super().clean()
        source = self.translation_of
        if source is None:
            if self.language != SOURCE_LANGUAGE:
                raise ValidationError({"translation_of": "A page in another language than English is a "
                                       "translation: choose the English page it translates."})  # fmt: skip
            return
        if self.language == SOURCE_LANGUAGE:
            raise ValidationError({"language": "A translation is in another language than its English source."})
        if source.language != SOURCE_LANGUAGE or source.translation_of_id is not None:
            raise ValidationError({"translation_of": "Translate the English page itself, not another translation."})
        if self.pk is not None and source.pk == self.pk:
            raise ValidationError({"translation_of": "A page cannot translate itself."})
        others = type(self)._default_manager.filter(translation_of=source, language=self.language).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"language": f"“{source}” already has a translation in "
                                   f"{Language(self.language).label}: edit that one."})  # fmt: skip

    @classmethod
    def translation_constraints(cls, prefix):
        return [
            models.UniqueConstraint(fields=["translation_of", "language"], condition=Q(translation_of__isnull=False),
                                    name=f"{prefix}_one_translation_per_language"),  # fmt: skip
            # English pages are the sources: a translation is never in English. (The other direction, every
            # non-English page translates one, is checked by clean(): pages written in Spanish before
            # translations existed must not stop the migration.)
            models.CheckConstraint(condition=Q(translation_of__isnull=True) | ~Q(language="en"),
                                   name=f"{prefix}_translation_not_english"),  # fmt: skip
            models.CheckConstraint(condition=Q(source_revision__isnull=True) | Q(translation_of__isnull=False),
                                   name=f"{prefix}_source_revision_only_for_translations"),  # fmt: skip
        ]
