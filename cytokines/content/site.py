"""What the site says about itself: its settings (one locale, set in one place) and its trust pages.

Both are words readers see, so a change is a *proposal* that a second Editor approves before it goes
live; the approved version is never edited again (a later change is a new proposal). The rules live
in ``cytokines/review/site_versions.py``; reads in ``cytokines/content/site_reads.py``.
"""

import copy
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cytokines.content.reviewed import Language


def written_in(obj, field, language):
    """``field`` as written for readers of ``language`` (its ``<field>_es`` column...), "" when there is none
    (English is the field itself: callers fall back to it)."""
    return getattr(obj, f"{field}_{(language or 'en').split('-')[0]}", "")


class ApprovedVersionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=ApprovedVersion.Status.LIVE)

    def proposed(self):
        return self.filter(status=ApprovedVersion.Status.PROPOSED)


class ApprovedVersion(models.Model):
    """A version that one Editor proposes and a different Editor makes live."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second Editor"
        LIVE = "live", "Live"
        REPLACED = "replaced", "Replaced by a later version"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False,
        help_text="Who saved this version last.",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApprovedVersionQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def approval_constraints(cls, prefix):
        return [
            # Four eyes: whoever proposed or last changed a version cannot approve it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("proposed_by")) & ~Q(approved_by=F("changed_by"))),
                name=f"{prefix}_approved_by_someone_else",
            ),
            # Live and replaced versions carry the approval time; the versions installed with the site
            # have no approving user (the migration wrote them), every later one does.
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(approved_at__isnull=False),
                name=f"{prefix}_live_versions_are_approved",
            ),
        ]

    @property
    def is_editable(self):
        return self.status == self.Status.PROPOSED

    def clean(self):
        super().clean()
        if self.approved_by_id and self.approved_by_id in (self.proposed_by_id, self.changed_by_id):
            raise ValidationError("A second Editor must approve this version: not the one who proposed or changed it.")


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name, for example America/New_York.")


# What each country the portal can serve dials and pays in: the settings must agree with one of these.
COUNTRY_RULES = {
    "US": {"currency_code": "USD", "emergency_number": "911", "crisis_line": "988", "spelling": "en-us"},
    "GB": {"currency_code": "GBP", "emergency_number": "999", "crisis_line": "116 123", "spelling": "en-gb"},
}


class SiteSettings(ApprovedVersion):
    """Organisation, helpline, emergency numbers, money and language: one version is live at a time."""

    class Country(models.TextChoices):
        US = "US", "United States"
        GB = "GB", "United Kingdom"

    class Spelling(models.TextChoices):
        US = "en-us", "US English (color, center)"
        UK = "en-gb", "UK English (colour, centre)"

    site_name = models.CharField(max_length=80, default="Cytokine Portal")
    organisation_name = models.CharField(
        "organization name", max_length=150, help_text="The charity that runs the site, as registered."
    )
    charity_number_label = models.CharField(
        max_length=40, default="EIN", help_text="What the registration number is called, e.g. EIN or Charity number."
    )
    charity_number = models.CharField(max_length=40)
    helpline_phone = models.CharField(max_length=40)
    helpline_hours = models.CharField(max_length=150)
    country = models.CharField(
        max_length=2, choices=Country.choices, default=Country.US,
        help_text="The one country whose emergency numbers, currency and spelling the site uses.",
    )  # fmt: skip
    emergency_number = models.CharField(
        max_length=20, default="911", help_text="Emergency services (ambulance), shown in “Get help now”."
    )
    crisis_line = models.CharField(
        max_length=20, default="988", help_text="Suicide and mental-health crisis line, shown in “Get help now”."
    )
    currency_code = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. USD.")
    currency_symbol = models.CharField(max_length=5, default="$")
    tax_wording = models.TextField(help_text="Shown on the donate page and in receipts.")
    funding_statement = models.TextField(help_text="How the content is funded; shown on every page.")
    spelling = models.CharField(max_length=5, choices=Spelling.choices, default=Spelling.US)
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    # The same words for Spanish readers; blank: they read the English (approved with the rest of the version).
    # (db_default: the previous release's code inserts versions without these columns while the new one starts)
    helpline_hours_es = models.CharField("helpline hours (Spanish)", max_length=150, blank=True, db_default="")
    tax_wording_es = models.TextField("tax wording (Spanish)", blank=True, db_default="")
    funding_statement_es = models.TextField("funding statement (Spanish)", blank=True, db_default="")

    # Free text readers see, written per language; numbers, names and codes are the same in every language.
    WORDED = ("helpline_hours", "tax_wording", "funding_statement")

    class Meta:
        verbose_name = verbose_name_plural = "site settings"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="live"), name="one_live_site_settings"),
            *ApprovedVersion.approval_constraints("site_settings"),
        ]

    def __str__(self):
        return f"Site settings ({self.get_status_display().lower()}, {self.created_at:%Y-%m-%d %H:%M})"

    def clean(self):
        super().clean()
        rules = COUNTRY_RULES.get(self.country)
        if rules is None:
            return
        wrong = {field: f"{self.get_country_display()} uses {expected} here."
                 for field, expected in rules.items() if str(getattr(self, field)).strip() != expected}  # fmt: skip
        if wrong:
            raise ValidationError(wrong)

    def in_language(self, language):
        """These settings as a reader of ``language`` sees them: the wording written for that language where
        there is some, the English otherwise. A copy, never saved."""
        worded = {field: written_in(self, field, language) for field in self.WORDED}
        if not any(worded.values()):
            return self
        localized = copy.copy(self)
        for field, text in worded.items():
            if text:
                setattr(localized, field, text)
        return localized

    def money(self, amount):
        """Format an amount the way the site's currency writes it: $50, $12.50."""
        amount = Decimal(amount)
        text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
        return f"{self.currency_symbol}{text}"


class ImpactLine(models.Model):
    """What a gift does, shown on the donate page: part of the settings version it belongs to."""

    settings_version = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="impact_lines")
    amount = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("1"))])
    description = models.CharField(max_length=200, help_text="Starts with a verb: “pays for a nurse to answer …”.")
    description_es = models.CharField("description (Spanish)", max_length=200, blank=True, db_default="",
                                      help_text="For Spanish readers; blank: they read the English.")

    class Meta:
        ordering = ["amount"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="impact_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount}: {self.description}"

    def description_in(self, language):
        return written_in(self, "description", language) or self.description


class TrustPage(ApprovedVersion):
    """About us, Editorial policy, Privacy notice, Contact, Accessibility statement, Terms."""

    class Kind(models.TextChoices):
        ABOUT = "about", _("About us")
        EDITORIAL_POLICY = "editorial-policy", _("Editorial policy")
        PRIVACY = "privacy", _("Privacy notice")
        CONTACT = "contact", _("Contact us")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        TERMS = "terms", _("Terms of use")

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # One live page per kind and language; a Spanish reader without a Spanish version reads the English one.
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH,
                                db_default=Language.ENGLISH, editable=False)  # fmt: skip
    title = models.CharField(max_length=150)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences; shown under the title and to search engines."
    )
    body = models.TextField(help_text="Markdown. Use ## for sections; they become the page's contents list.")

    class Meta:
        ordering = ["kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], condition=Q(status="live"),
                                    name="one_live_trust_page_per_kind_and_language"),
            *ApprovedVersion.approval_constraints("trust_page"),
        ]

    def __str__(self):
        language = "" if self.language == Language.ENGLISH else f", {self.get_language_display()}"
        return f"{self.get_kind_display()} ({self.get_status_display().lower()}{language})"

    def get_absolute_url(self):
        from django.urls import reverse
        from django.utils import translation

        with translation.override(self.language):  # /es/about/... for the Spanish version
            if self.kind == self.Kind.ABOUT:
                return reverse("cytokines:about")
            return reverse("cytokines:trust-page", args=[self.kind])

    def behind(self, english):
        """Whether this translation is older than ``english``, the live English page of its kind (approved after
        it): its readers are told, and Editors see it on the dashboard."""
        return self.language != Language.ENGLISH and english is not None and english.approved_at > self.approved_at
