"""Articles, their numbered reference lists and FAQ items."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agents import Agent
from .languages import localized_reverse
from .library import CancerType, Contributor, Reference
from .reviewed import Language, ReviewedContent, ReviewedContentManager, Translatable, name_in_lists


class Article(Translatable, ReviewedContent):
    class Kind(models.TextChoices):
        OVERVIEW = "overview", _("Overview")
        TREATMENT = "treatment", _("Treatment")
        SIDE_EFFECTS = "side_effects", _("Side effects")
        FAQ = "faq", _("Questions and answers")
        NEWS = "news", _("News")

    Language = Language  # the shared choices (kept here: migrations and imports name Article.Language)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences; used in lists, search and meta tags.")
    body = models.TextField(
        help_text="Markdown. Tables are allowed. Cite references as [1], [2] by their position in the list below."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OVERVIEW, db_index=True)
    is_featured = models.BooleanField(default=False, help_text="Show on the home page.")
    cancer_types = models.ManyToManyField(CancerType, blank=True, related_name="articles")
    agents = models.ManyToManyField(Agent, blank=True, related_name="articles")
    references = models.ManyToManyField(Reference, through="ArticleReference", blank=True, related_name="articles")
    authors = models.ManyToManyField(Contributor, blank=True, related_name="authored_articles")
    reviewers = models.ManyToManyField(Contributor, blank=True, related_name="reviewed_articles")
    medical_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The medical reviewer assigned to the next review.",
    )
    live_revision = models.OneToOneField(
        "ArticleRevision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="live_for",
        help_text="What readers see now; only the workflow sets it (publish) or clears it (archive).",
    )
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translations",
        verbose_name="translation of", help_text="For a translation: the English article it translates.",
    )  # fmt: skip
    source_revision = models.ForeignKey(
        "ArticleRevision", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+",
        help_text="The live English version this translation was based on; moved by “Bring up to date”.",
    )  # fmt: skip
    history = HistoricalRecords(excluded_fields=["version", "live_revision"])

    objects = ReviewedContentManager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "next_review_due"], name="article_status_due"),
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["status", "is_featured"], name="article_status_featured"),
            # The review dashboard's lists: recently reviewed, waiting in a review stage, flagged.
            models.Index(fields=["status", "-last_reviewed"], name="article_status_reviewed"),
            models.Index(fields=["status", "updated_at"], name="article_status_updated"),
            models.Index(fields=["next_review_due"], condition=Q(review_needed=True), name="article_review_needed_due"),
        ]
        constraints = [*ReviewedContent.review_date_constraints("article"),
                       *Translatable.translation_constraints("article")]  # fmt: skip

    def __str__(self):
        return name_in_lists(self.title, self.language)

    def get_absolute_url(self):
        return localized_reverse("cytokines:article-detail", self.language, slug=self.slug)


class ArticleReference(models.Model):
    """A reference's place in an article's numbered list: position 1 is cited as [1]."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_references")
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="article_links")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="article_reference_unique_position"),
            models.UniqueConstraint(fields=["article", "reference"], name="article_reference_cited_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="article_reference_position_positive"),
        ]

    def __str__(self):
        return f"[{self.position}] {self.reference}"


class FaqItem(models.Model):
    """One question and answer of an FAQ article, in reading order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faq_items")
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown. May cite references as [1].")
    position = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="faq_item_unique_position"),
        ]

    def __str__(self):
        return self.question
