"""Agents (one therapy each) and their regulatory status, one row per regulator and use (indication)."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .languages import localized_reverse
from .library import CancerType, Contributor, Reference
from .reviewed import Language, ReviewedContent, ReviewedContentManager, Translatable, name_in_lists
from .trials import trial_search_url


class Agent(Translatable, ReviewedContent):
    Language = Language
    class AgentClass(models.TextChoices):
        INTERLEUKIN = "interleukin", _("Interleukin")
        INTERFERON = "interferon", _("Interferon")
        TNF = "tnf", _("Tumour necrosis factor")
        GROWTH_FACTOR = "growth_factor", _("Colony-stimulating / growth factor")
        CHEMOKINE = "chemokine", _("Chemokine")
        FUSION = "fusion", _("Cytokine fusion protein")
        OTHER = "other", _("Other")

    class Place(models.TextChoices):
        INTENSIVE_CARE = "intensive_care", _("In the hospital, with intensive-care support")
        HOSPITAL = "hospital", _("In the hospital")
        CLINIC = "clinic", _("In a clinic or day unit")
        HOME = "home", _("At home (injections you or a carer give)")
        NOT_KNOWN = "not_known", _("Not known")

    class Route(models.TextChoices):
        IV = "iv", _("Intravenous (into a vein)")
        SC = "sc", _("Subcutaneous (under the skin)")
        IM = "im", _("Intramuscular (into a muscle)")
        INTRALESIONAL = "intralesional", _("Intralesional (into the tumour)")
        INTRAVESICAL = "intravesical", _("Intravesical (into the bladder)")
        LIMB_PERFUSION = "limb_perfusion", _("Isolated limb perfusion")

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
    # Where it is given; "not known" is a real answer (the page then says so rather than guess).
    places = models.JSONField(
        default=list, blank=True, help_text="Where it is given: hospital, intensive care, clinic, home, or not known."
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
    # Kept (and kept current by its trigger) for the release before agent revisions, which searches it while an
    # upgrade runs; search now reads live revisions. A later release drops it.
    search_document = SearchVectorField(
        null=True, editable=False, help_text="Kept up to date by a database trigger on PostgreSQL (see search.py)."
    )
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translations",
        verbose_name="translation of", help_text="For a translation: the English fact sheet it translates.",
    )  # fmt: skip
    source_revision = models.ForeignKey(
        "AgentRevision", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+",
        help_text="The live English version this translation was based on; moved by “Bring up to date”.",
    )  # fmt: skip
    live_revision = models.OneToOneField(
        "AgentRevision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="live_for",
        help_text="What readers see now; only the workflow sets it (publish) or clears it (archive).",
    )
    history = HistoricalRecords(excluded_fields=["version", "search_document", "live_revision"])

    objects = ReviewedContentManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="agent_status_name")]
        constraints = [*ReviewedContent.review_date_constraints("agent"),
                       *Translatable.translation_constraints("agent")]  # fmt: skip

    def __str__(self):
        return name_in_lists(self.name, self.language)

    def save(self, *args, **kwargs):
        self.routes = sorted(set(self.routes or []))
        self.places = [place for place in self.Place.values if place in set(self.places or [])]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return localized_reverse("cytokines:agent-detail", self.language, slug=self.slug)

    def clean(self):
        super().clean()
        unknown = set(self.routes or []) - set(self.Route.values)
        if unknown:
            raise ValidationError({"routes": f"Unknown route(s): {', '.join(sorted(unknown))}."})
        places = set(self.places or [])
        unknown_places = places - set(self.Place.values)
        if unknown_places:
            raise ValidationError({"places": f"Unknown place(s): {', '.join(sorted(unknown_places))}."})
        if self.Place.NOT_KNOWN in places and len(places) > 1:
            raise ValidationError({"places": "“Not known” cannot be chosen together with a place."})

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
    def place_labels(self):
        return [self.Place(value).label for value in self.places if value in self.Place.values]


class RegulatoryApproval(models.Model):
    """A regulator's decision on one use (indication) of an agent, with where it can be checked."""

    class Regulator(models.TextChoices):
        FDA = "fda", _("FDA (United States)")
        EMA = "ema", _("EMA (European Union)")
        MHRA = "mhra", _("MHRA (United Kingdom)")

    class ApprovalStatus(models.TextChoices):
        APPROVED = "approved", _("Approved")
        INVESTIGATIONAL = "investigational", _("Investigational")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISCONTINUED = "discontinued", _("Discontinued by its maker")
        NOT_APPROVED = "not_approved", _("Not approved for cancer")

    ENDED = (ApprovalStatus.WITHDRAWN, ApprovalStatus.DISCONTINUED)

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="approvals")
    regulator = models.CharField(max_length=10, choices=Regulator.choices)
    indication = models.CharField(
        max_length=300, blank=True, help_text="The use in plain words, as the label states it, e.g. “adults with "
        "metastatic kidney cancer”.",
    )  # fmt: skip
    status = models.CharField(max_length=20, choices=ApprovalStatus.choices)
    year_approved = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text="The year the regulator approved this use.",
    )  # fmt: skip
    year_ended = models.PositiveSmallIntegerField(
        "year withdrawn or discontinued", null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text="Only for a withdrawn or discontinued medicine; never shown as an approval.",
    )  # fmt: skip
    cancer_types = models.ManyToManyField(CancerType, blank=True, related_name="approvals")
    source_url = models.URLField(
        "source", max_length=500, blank=True, help_text="The label or the regulator's page that shows this status."
    )
    checked_on = models.DateField(null=True, blank=True, help_text="When the source was last checked.")

    class Meta:
        ordering = ["agent", "regulator", "-year_approved", "indication"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "regulator", "indication"], name="approval_one_per_indication"),
            models.CheckConstraint(
                condition=Q(year_ended__isnull=True) | Q(status__in=["withdrawn", "discontinued"]),
                name="approval_end_year_only_when_ended",
            ),
            models.CheckConstraint(
                condition=Q(year_ended__isnull=True) | Q(year_approved__isnull=True)
                | Q(year_ended__gte=F("year_approved")),
                name="approval_ends_after_it_began",
            ),
        ]

    def __str__(self):
        use = f" ({self.indication[:40]})" if self.indication else ""
        return f"{self.agent}: {self.get_regulator_display()} {self.get_status_display().lower()}{use}"

    def clean(self):
        super().clean()
        if self.year_ended and self.status not in self.ENDED:
            raise ValidationError({"year_ended": "Only a withdrawn or discontinued use has an end year."})
        if self.year_ended and self.year_approved and self.year_ended < self.year_approved:
            raise ValidationError({"year_ended": "It cannot end before it was approved."})

    @property
    def is_approved(self):
        """Approved now: a withdrawn or discontinued use never counts, whatever year it was approved."""
        return self.status == self.ApprovalStatus.APPROVED

    @property
    def has_ended(self):
        return self.status in self.ENDED
