"""The shared library pages cite and name: cancer types, references and contributors.

Invariants live in the database (constraints) and are mirrored in ``clean()`` so the admin shows a
friendly message before the database has to say no.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from .citation_style import vancouver
from .trials import trial_search_url

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
doi_validator = RegexValidator(
    DOI_PATTERN, "A DOI starts with 10. followed by a registrant code, e.g. 10.1200/JCO.1995.13.3.688."
)
pmid_validator = RegexValidator(r"^[1-9]\d{0,8}$", "A PubMed ID is a number of up to 9 digits, e.g. 7884429.")


class CancerType(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="Two or three plain-language sentences for the cancer type page.")
    trial_search_term = models.CharField(
        max_length=120,
        blank=True,
        help_text="The condition as ClinicalTrials.gov names it, e.g. “Renal Cell Carcinoma”. Pages about this "
        "cancer then link to a search for trials that are recruiting; leave empty for no link.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cytokines:cancer-type-detail", args=[self.slug])

    @property
    def trial_search_url(self):
        return trial_search_url(condition=self.trial_search_term)


class ReferenceQuerySet(models.QuerySet):
    def with_doi_in(self, dois):
        """References whose DOI is one of ``dois`` in any case (DOIs are case-blind), through the index."""
        lowered = [doi.lower() for doi in dois if doi]
        # The condition repeats the partial index's own (doi <> ''), so PostgreSQL can use it.
        return self.exclude(doi="").alias(doi_lower=Lower("doi")).filter(doi_lower__in=lowered)

    def find_duplicate(self, *, doi="", pmid=""):
        """Return the stored reference with this DOI (in any case) or PMID, if there is one."""
        if doi:
            found = self.with_doi_in([doi]).first()
            if found:
                return found
        return self.filter(pmid=pmid).first() if pmid else None


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
            # DOIs are case-blind: one paper, one row, whatever the spelling; the spelling given is kept.
            models.UniqueConstraint(
                Lower("doi"), condition=~Q(doi=""), name="reference_unique_doi_any_case_when_present"
            ),
            models.UniqueConstraint(fields=["pmid"], condition=~Q(pmid=""), name="reference_unique_pmid_when_present"),
            models.CheckConstraint(condition=Q(year__gte=1800, year__lte=2100), name="reference_year_plausible"),
        ]

    def __str__(self):
        first_author = self.authors.split(",")[0].strip()
        return f"{first_author} ({self.year}) {self.title[:60]}"

    def save(self, *args, **kwargs):
        self.normalize_identifiers()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.normalize_identifiers()
        super().clean_fields(exclude)

    def clean(self):
        duplicate = Reference.objects.exclude(pk=self.pk).find_duplicate(doi=self.doi, pmid=self.pmid)
        if duplicate:
            raise ValidationError(f"This reference is already in the library as “{duplicate}” (same DOI or PubMed ID).")

    def normalize_identifiers(self):
        # Editors paste "https://doi.org/10..." or "doi:10..."; store and validate the bare DOI.
        self.doi = normalize_doi(self.doi)
        self.pmid = (self.pmid or "").strip()

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def citation(self):
        """The reference in Vancouver style, without links (templates add those)."""
        return vancouver(self)


def normalize_doi(doi):
    """The bare DOI in the spelling it was given (publishers print 10.1200/JCO...; readers see that).

    Matching is case-blind (``ReferenceQuerySet.with_doi_in`` and the unique index on lower(doi)).
    """
    doi = (doi or "").strip()
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)


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
    # The languages this person reads well enough to review a page in: a Spanish page's medical approval
    # needs a reviewer who reads Spanish (review.rules).
    reads_languages = models.CharField(
        "languages they read", max_length=50, blank=True, default="", db_default="",
        help_text="Languages this person reviews pages in, besides English: language codes, comma-separated (es).",
    )  # fmt: skip

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def reads(self, language):
        """English is every contributor's working language; others as recorded on the profile."""
        return language == "en" or language in self.language_codes

    @property
    def language_codes(self):
        return [code.strip() for code in (self.reads_languages or "").split(",") if code.strip()]
