"""The content model: agents, cancer types, articles, references and contributors.

Invariants live in the database (constraints) and are mirrored in ``clean()`` so
the admin shows a friendly message before the database has to say no.
"""

import datetime
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
doi_validator = RegexValidator(
    DOI_PATTERN, "A DOI starts with 10. followed by a registrant code, e.g. 10.1200/JCO.1995.13.3.688."
)
pmid_validator = RegexValidator(r"^[1-9]\d{0,8}$", "A PubMed ID is a number of up to 9 digits, e.g. 7884429.")


def add_months(day, months):
    """Return ``day`` moved by whole months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise ValueError(f"cannot move {day} by {months} months")  # pragma: no cover


class CancerType(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="Two or three plain-language sentences for the cancer type page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cytokines:cancer-type-detail", args=[self.slug])


class ReferenceQuerySet(models.QuerySet):
    def find_duplicate(self, *, doi="", pmid=""):
        """Return the stored reference with this DOI or PMID, if there is one."""
        condition = Q()
        if doi:
            condition |= Q(doi__iexact=doi)
        if pmid:
            condition |= Q(pmid=pmid)
        return self.filter(condition).first() if condition else None


class Reference(models.Model):
    authors = models.TextField(help_text="Surname and initials, comma-separated, as printed: Rosenberg SA, Lotze MT.")
    title = models.CharField(max_length=500)
    container = models.CharField(
        "journal or publisher", max_length=300, help_text="Journal abbreviation (J Clin Oncol) or book publisher."
    )
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1800), MaxValueValidator(2100)])
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[doi_validator])
    pmid = models.CharField("PubMed ID", max_length=9, blank=True, validators=[pmid_validator])
    url = models.URLField("URL", max_length=500, blank=True)
    accessed_on = models.DateField(null=True, blank=True, help_text="For web pages: when we last checked the page.")
    availability_note = models.CharField(
        max_length=200, blank=True, help_text='Shown after the citation, e.g. "Content no longer available".'
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["authors", "year"]
        constraints = [
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="reference_unique_doi_when_present"),
            models.UniqueConstraint(fields=["pmid"], condition=~Q(pmid=""), name="reference_unique_pmid_when_present"),
            models.CheckConstraint(condition=Q(year__gte=1800, year__lte=2100), name="reference_year_plausible"),
        ]

    def __str__(self):
        first_author = self.authors.split(",")[0].strip()
        return f"{first_author} ({self.year}) {self.title[:60]}"

    def save(self, *args, **kwargs):
        # DOIs are case-insensitive; store one spelling so the unique constraint catches duplicates.
        self.doi = normalize_doi(self.doi)
        self.pmid = self.pmid.strip()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Editors paste "https://doi.org/10..." or "doi:10..."; store and validate the bare DOI.
        self.doi = normalize_doi(self.doi)
        self.pmid = (self.pmid or "").strip()
        super().clean_fields(exclude)

    def clean(self):
        duplicate = Reference.objects.exclude(pk=self.pk).find_duplicate(doi=self.doi, pmid=self.pmid)
        if duplicate:
            raise ValidationError(f"This reference is already in the library as “{duplicate}” (same DOI or PubMed ID).")

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def citation(self):
        """Format the reference in Vancouver style, without links (templates add those)."""
        authors = [a.strip() for a in self.authors.split(",") if a.strip()]
        if len(authors) > 6:
            authors = authors[:6] + ["et al"]
        text = f"{', '.join(authors)}. {self.title.rstrip('.')}. {self.container}. {self.year}"
        if self.volume:
            text += f";{self.volume}"
            if self.issue:
                text += f"({self.issue})"
        if self.pages:
            text += f":{self.pages}"
        return text + "."


def normalize_doi(doi):
    doi = (doi or "").strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return doi.lower()


class Contributor(models.Model):
    class Role(models.TextChoices):
        WRITER = "writer", "Writer"
        MEDICAL_REVIEWER = "medical_reviewer", "Medical reviewer"
        EDITOR = "editor", "Editor"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text="The admin login of this person, if they work in the admin.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.WRITER)
    credentials = models.CharField(
        max_length=150, blank=True, help_text="Shown after the name: MD, PhD; Oncology Certified Nurse; Senior Editor."
    )
    job_title = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    conflict_of_interest = models.TextField(
        blank=True,
        default="None declared.",
        help_text="Every financial or professional interest in the topics reviewed, or “None declared.”",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ReviewedContentQuerySet(models.QuerySet):
    """Reads shared by everything that is published and periodically reviewed."""

    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def review_overdue(self, today=None):
        return self.published().filter(next_review_due__lt=today or timezone.localdate())

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.published().filter(
            next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=days)
        )


class ReviewedContentManager(models.Manager.from_queryset(ReviewedContentQuerySet)):
    def get_queryset(self):
        # The stored search document is for the database's search only; never load it into Python.
        return super().get_queryset().defer("search_document")


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


class Agent(ReviewedContent):
    class AgentClass(models.TextChoices):
        INTERLEUKIN = "interleukin", "Interleukin"
        INTERFERON = "interferon", "Interferon"
        TNF = "tnf", "Tumour necrosis factor"
        GROWTH_FACTOR = "growth_factor", "Colony-stimulating / growth factor"
        CHEMOKINE = "chemokine", "Chemokine"
        FUSION = "fusion", "Cytokine fusion protein"
        OTHER = "other", "Other"

    class Route(models.TextChoices):
        IV = "iv", "Intravenous (into a vein)"
        SC = "sc", "Subcutaneous (under the skin)"
        IM = "im", "Intramuscular (into a muscle)"
        INTRALESIONAL = "intralesional", "Intralesional (into the tumour)"
        INTRAVESICAL = "intravesical", "Intravesical (into the bladder)"
        LIMB_PERFUSION = "limb_perfusion", "Isolated limb perfusion"

    name = models.CharField(max_length=150, unique=True, help_text="Common name, e.g. Interleukin-2.")
    slug = models.SlugField(max_length=150, unique=True)
    agent_class = models.CharField(max_length=20, choices=AgentClass.choices, db_index=True)
    nonproprietary_name = models.CharField(
        max_length=150, blank=True, help_text="International nonproprietary name, e.g. aldesleukin."
    )
    brand_names = models.CharField(max_length=300, blank=True, help_text="Comma-separated: Proleukin, Intron A.")
    summary = models.CharField(max_length=300, help_text="One sentence for lists and search results.")
    mechanism = models.TextField("how it works", help_text="A short, plain-language explanation.")
    routes = models.JSONField(default=list, blank=True, help_text="How the medicine is given.")
    common_side_effects = models.TextField(blank=True, help_text="One per line.")
    serious_side_effects = models.TextField("rare but serious side effects", blank=True, help_text="One per line.")
    hospital_only = models.BooleanField(default=False, help_text="Must be given in hospital.")
    hospital_note = models.CharField(max_length=300, blank=True)
    references = models.ManyToManyField(Reference, blank=True, related_name="agents")
    reviewers = models.ManyToManyField(Contributor, blank=True, related_name="reviewed_agents")
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long a review stays valid. Agent facts change fast, so the default is 12 months.",
    )
    search_document = SearchVectorField(
        null=True, editable=False, help_text="Kept up to date by a database trigger on PostgreSQL (see search.py)."
    )
    history = HistoricalRecords(excluded_fields=["version", "search_document"])

    objects = ReviewedContentManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="agent_status_name")]
        constraints = ReviewedContent.review_date_constraints("agent")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.routes = sorted(set(self.routes or []))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cytokines:agent-detail", args=[self.slug])

    def clean(self):
        super().clean()
        unknown = set(self.routes or []) - set(self.Route.values)
        if unknown:
            raise ValidationError({"routes": f"Unknown route(s): {', '.join(sorted(unknown))}."})

    @property
    def brand_name_list(self):
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]

    @property
    def route_labels(self):
        return [self.Route(value).label for value in self.routes if value in self.Route.values]

    @property
    def common_side_effect_list(self):
        return [line.strip() for line in self.common_side_effects.splitlines() if line.strip()]

    @property
    def serious_side_effect_list(self):
        return [line.strip() for line in self.serious_side_effects.splitlines() if line.strip()]


class RegulatoryApproval(models.Model):
    class Regulator(models.TextChoices):
        FDA = "fda", "FDA (United States)"
        EMA = "ema", "EMA (European Union)"
        MHRA = "mhra", "MHRA (United Kingdom)"

    class ApprovalStatus(models.TextChoices):
        APPROVED = "approved", "Approved"
        INVESTIGATIONAL = "investigational", "Investigational"
        WITHDRAWN = "withdrawn", "Withdrawn or discontinued"
        NOT_APPROVED = "not_approved", "Not approved for cancer"

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="approvals")
    regulator = models.CharField(max_length=10, choices=Regulator.choices)
    status = models.CharField(max_length=20, choices=ApprovalStatus.choices)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    cancer_types = models.ManyToManyField(CancerType, blank=True, related_name="approvals")
    note = models.CharField(max_length=300, blank=True, help_text="Plain-language detail, e.g. the exact indication.")

    class Meta:
        ordering = ["agent", "regulator"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "regulator"], name="approval_one_per_regulator"),
        ]

    def __str__(self):
        return f"{self.agent}: {self.get_regulator_display()} {self.get_status_display().lower()}"


class Article(ReviewedContent):
    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview"
        TREATMENT = "treatment", "Treatment"
        SIDE_EFFECTS = "side_effects", "Side effects"
        FAQ = "faq", "Questions and answers"
        NEWS = "news", "News"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences; used in lists, search and meta tags.")
    body = models.TextField(
        help_text="Markdown. Tables are allowed. Cite references as [1], [2] by their position in the list below."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OVERVIEW, db_index=True)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
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
    published_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Hash of the text as last published."
    )
    search_document = SearchVectorField(
        null=True, editable=False, help_text="Kept up to date by a database trigger on PostgreSQL (see search.py)."
    )
    history = HistoricalRecords(excluded_fields=["version", "published_fingerprint", "search_document"])

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
        constraints = ReviewedContent.review_date_constraints("article")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cytokines:article-detail", args=[self.slug])


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
