"""What the editorial checks found: per reference, its record check and its link check; per page, its reading level.

These are records for editors, never shown to readers. Fixing what a check found is an edit of the
working copy (``quality.fixes``), which goes through the review workflow like any other edit.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cytokines.content.library import Reference

# The fields compared with the published record, in the order editors see them.
COMPARED_FIELDS = {
    "title": "Title",
    "first_author": "First author",
    "year": "Year",
    "journal": "Journal",
    "volume": "Volume",
    "pages": "Pages",
}


class ReferenceCheck(models.Model):
    """The latest result of checking one reference against its DOI and PubMed records and its link."""

    class Status(models.TextChoices):
        VERIFIED = "verified", "Verified"
        MISMATCH = "mismatch", "Differs from the record"
        NOT_FOUND = "not_found", "Identifier not found"
        NOT_CHECKED = "not_checked", "Could not be checked (will retry)"
        NO_IDENTIFIER = "no_identifier", "No DOI or PubMed ID"

    class LinkStatus(models.TextChoices):
        NONE = "", "No link"
        OK = "ok", "Link works"
        DEAD = "dead", "Link is dead"
        NOT_CHECKED = "not_checked", "Could not be checked (will retry)"

    reference = models.OneToOneField(Reference, on_delete=models.CASCADE, related_name="verification")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_CHECKED, db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When the identifiers were last looked up.")
    verified_on = models.DateField(
        null=True, blank=True, help_text="When every compared field last matched the record."
    )
    # [{"field": "year", "source": "pmid", "ours": "1994", "record": "1995"}, ...]
    mismatches = models.JSONField(default=list, blank=True)
    not_found = models.JSONField(default=list, blank=True, help_text='Unknown identifiers: "doi", "pmid".')
    # What each service returned, by source ("doi", "pmid"): lets an editor accept the record's values later.
    records = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text="Why the last lookup could not finish.")

    link_status = models.CharField(max_length=20, choices=LinkStatus.choices, blank=True, default=LinkStatus.NONE)
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    link_error = models.CharField(max_length=300, blank=True)
    # What readers would see after the citation once an Editor confirms; empty when nothing is proposed.
    proposed_note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_on__isnull=False), name="reference_check_verified_has_date"
            ),
        ]
        indexes = [models.Index(fields=["checked_at"], name="reference_check_checked_at")]

    def __str__(self):
        return f"{self.reference}: {self.get_status_display()}"

    def clean(self):
        if self.status == self.Status.VERIFIED and self.verified_on is None:
            raise ValidationError("A verified reference needs the date it was verified.")

    @property
    def has_problem(self):
        return self.status in {self.Status.MISMATCH, self.Status.NOT_FOUND} or bool(self.proposed_note)

    def mismatch_rows(self):
        """Mismatches with the field's label and the source's name, for the admin and the dashboard."""
        return [
            {**m, "label": COMPARED_FIELDS.get(m["field"], m["field"]), "source_label": SOURCE_LABELS.get(m["source"])}
            for m in self.mismatches
        ]

    def sources_with_mismatches(self):
        return sorted({m["source"] for m in self.mismatches})


SOURCE_LABELS = {"doi": "Crossref (DOI)", "pmid": "PubMed"}


class ReadingLevel(models.Model):
    """How hard one page's working copy is to read, measured when its text last changed."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        AGENT = "agent", "Fact sheet"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    page_type = models.CharField(max_length=40, help_text="What editors call it: Overview, FAQ, Fact sheet...")
    grade = models.DecimalField(max_digits=4, decimal_places=1, help_text="US school grade (Flesch-Kincaid).")
    reading_ease = models.DecimalField(max_digits=5, decimal_places=1)
    words = models.PositiveIntegerField()
    sentences = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=64, help_text="Hash of the measured text: re-measured when it changes.")
    measured_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="reading_level_one_per_page"),
        ]
        indexes = [models.Index(fields=["-grade"], name="reading_level_grade")]

    def __str__(self):
        return f"{self.title}: grade {self.grade}"

    @property
    def reading_age(self):
        return round(float(self.grade)) + 5  # US grade 1 is about age 6
