"""Glossary terms: medical words with plain-language definitions, reviewed like every page readers see.

A term is a working copy (``GlossaryTerm``) that editors change; readers see its live revision
(``GlossaryTermRevision`` in ``revisions.py``), made by the workflow when the term is published.
"""

import re

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .agents import Agent
from .library import Contributor
from .reviewed import ReviewedContent, ReviewedContentManager
from .revisions import Revision

MAX_SYNONYMS = 8


def split_synonyms(text):
    """The other names of a term, as editors typed them (comma-separated), without blanks or repeats."""
    seen, names = set(), []
    for name in (text or "").split(","):
        name = " ".join(name.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


class GlossaryTerm(ReviewedContent):
    name = models.CharField(max_length=100, unique=True, help_text="The word as readers meet it, e.g. “cytokine”.")
    slug = models.SlugField(max_length=100, unique=True)
    synonyms = models.CharField(
        "other names", max_length=300, blank=True,
        help_text="Other words for the same thing, comma-separated (e.g. “IL-2” for interleukin-2). Each is linked "
        "in articles like the term itself.",
    )  # fmt: skip
    definition = models.TextField(
        help_text="Two or three short sentences in plain words (US grade 6–8). Say what it is and why it matters "
        "to a patient; no other medical words unless the glossary explains them too.",
    )  # fmt: skip
    agents = models.ManyToManyField(
        Agent, blank=True, related_name="glossary_terms",
        help_text="Medicines the definition is about: a medical reviewer with a declared interest in one of them "
        "may not approve it.",
    )  # fmt: skip
    authors = models.ManyToManyField(Contributor, blank=True, related_name="authored_glossary_terms")
    reviewers = models.ManyToManyField(Contributor, blank=True, related_name="reviewed_glossary_terms")
    live_revision = models.OneToOneField(
        "GlossaryTermRevision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="live_for",
        help_text="What readers see now; only the workflow sets it (publish) or clears it (archive).",
    )
    history = HistoricalRecords(excluded_fields=["version", "live_revision"])

    objects = ReviewedContentManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "glossary term"
        constraints = [
            *ReviewedContent.review_date_constraints("glossaryterm"),
            models.CheckConstraint(condition=~models.Q(definition=""), name="glossaryterm_has_definition"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cytokines:glossary-term", args=[self.slug])

    @property
    def synonym_list(self):
        return split_synonyms(self.synonyms)

    def clean(self):
        super().clean()
        if not (self.definition or "").strip():
            raise ValidationError({"definition": "Write the definition readers will see."})
        names = self.synonym_list
        if len(names) > MAX_SYNONYMS:
            raise ValidationError({"synonyms": f"At most {MAX_SYNONYMS} other names; keep the ones readers meet."})
        if any(not re.search(r"\w", name) for name in names):
            raise ValidationError({"synonyms": "Each other name needs at least one letter or digit."})


class GlossaryTermRevision(Revision):
    """A term as readers see it: its name, other names and definition, and who wrote and reviewed it, frozen.

    Kept here beside its working copy (``revisions.py`` holds what every kind's revision shares)."""

    glossaryterm = models.ForeignKey(GlossaryTerm, on_delete=models.PROTECT, related_name="revisions")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, db_index=True)
    synonyms = models.CharField(max_length=300, blank=True)
    definition = models.TextField()
    search_document = SearchVectorField(null=True, editable=False, help_text="Kept current by a trigger (PostgreSQL).")

    class Meta:
        ordering = ["glossaryterm", "-number"]
        verbose_name = "glossary term revision"
        constraints = [
            models.UniqueConstraint(fields=["glossaryterm", "number"], name="glossaryterm_revision_unique_number")
        ]

    def __str__(self):
        return f"{self.name} (revision {self.number})"

    def get_absolute_url(self):
        return reverse("cytokines:glossary-term", args=[self.slug])

    @property
    def title(self):
        return self.name

    @property
    def is_translation(self):
        return False  # terms are written in English only, for now

    @property
    def synonym_list(self):
        return split_synonyms(self.synonyms)

    @property
    def anchor(self):
        """The term's id on the A–Z page."""
        return f"term-{self.slug}"

    # The term's dates belong to the term (the workflow writes them); readers see them with the revision.
    @property
    def last_revised(self):
        return self.glossaryterm.last_revised

    @property
    def last_reviewed(self):
        return self.glossaryterm.last_reviewed

    @property
    def next_review_due(self):
        return self.glossaryterm.next_review_due

    @property
    def is_review_overdue(self):
        return self.glossaryterm.is_review_overdue

    @property
    def authors(self):
        return self.content.get("authors", [])

    @property
    def reviewers(self):
        return self.content.get("reviewers", [])


def published_term_names():
    """Every name and other name of the live glossary terms (one query): the words the glossary explains."""
    names = []
    for name, synonyms in GlossaryTermRevision.objects.live().values_list("name", "synonyms"):
        names += [name, *split_synonyms(synonyms)]
    return names
