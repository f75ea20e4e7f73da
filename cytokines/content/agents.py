"""Agents (one therapy each) and their regulatory approvals, one row per regulator."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .library import CancerType, Contributor, Reference
from .reviewed import ReviewedContent, ReviewedContentManager
from .trials import trial_search_url


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
    # Not known (empty) is a real answer: the page then says nothing rather than something untrue.
    hospital_only = models.BooleanField(
        null=True, blank=True, default=None, help_text="Must be given in hospital? Leave as “Unknown” if not known."
    )
    hospital_note = models.CharField(max_length=300, blank=True)
    trial_search_term = models.CharField(
        max_length=120,
        blank=True,
        help_text="The medicine as ClinicalTrials.gov names it, usually the nonproprietary name (aldesleukin). "
        "Its page then links to a search for trials that are recruiting; leave empty for no link.",
    )
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
    def trial_search_url(self):
        return trial_search_url(intervention=self.trial_search_term)

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
