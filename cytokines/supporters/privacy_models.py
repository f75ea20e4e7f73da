"""What the charity must be able to answer for: consent given, addresses never to mail, requests handled.

- ``ConsentText``: each wording a supporter may agree to, versioned; a new wording is a new row, never an edit.
- ``ConsentRecord``: who agreed to which version, when they ticked the box and when they confirmed.
- ``SuppressedAddress``: a hash of an address the portal must not mail again (erased, unsubscribed,
  bounced, complained). Only the hash: the list must not itself be a list of supporters' addresses.
- ``PersonalDataRequest``: the audit of a search, export or erasure: who, when, how many records of each
  kind. Never the address (nor its hash): the audit must outlive the erasure it records.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from cytokines.content.reviewed import Language


class ConsentText(models.Model):
    class Purpose(models.TextChoices):
        NEWSLETTER = "newsletter", "Newsletter by e-mail"
        DONOR_CONTACT = "donor_contact", "News of our work after a gift"

    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.NEWSLETTER)
    version = models.PositiveIntegerField(editable=False)
    wording = models.TextField(help_text="Exactly what the box next to the tick says.")
    # Readers see the newest wording in their own language; version numbers count per purpose across languages.
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH,
                                db_default=Language.ENGLISH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_one_row_per_version"),
            models.CheckConstraint(condition=~models.Q(wording=""), name="consent_text_has_wording"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}, version {self.version}"


class ConsentRecord(models.Model):
    """One subscriber's confirmed agreement to one version of the wording. Deleted with the subscriber."""

    subscriber = models.ForeignKey("cytokines.Subscriber", on_delete=models.CASCADE, related_name="consents")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="records")
    agreed_at = models.DateTimeField(help_text="When the box was ticked on the sign-up form.")
    confirmed_at = models.DateTimeField(help_text="When the link in the confirmation e-mail was opened.")

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(confirmed_at__gte=models.F("agreed_at")),
                                   name="consent_confirmed_after_agreed"),  # fmt: skip
        ]

    def __str__(self):
        return f"Subscriber {self.subscriber_id} agreed to {self.consent_text} on {self.agreed_at:%Y-%m-%d}"


class SuppressedAddress(models.Model):
    class Reason(models.TextChoices):
        ERASED = "erased", "Data erased on request: no e-mail at all"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed: no newsletter"
        BOUNCED = "bounced", "Bounced: no newsletter"
        COMPLAINED = "complained", "Marked as spam: no newsletter"

    # Reasons that stop every e-mail; the others stop newsletter mail only (a receipt still reaches a donor).
    BLOCKS_ALL_MAIL = (Reason.ERASED,)

    address_hash = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(max_length=15, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "suppressed addresses"

    def __str__(self):
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"


def new_request_reference():
    return "PD-" + secrets.token_hex(4).upper()


class PersonalDataRequest(models.Model):
    """The audit of a supporter care action on one person's data. Holds no personal data."""

    class Action(models.TextChoices):
        EXPORT = "export", "Exported"
        ERASE = "erase", "Erased"

    reference = models.CharField(max_length=20, unique=True, default=new_request_reference, editable=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(default=timezone.now, db_index=True)
    records = models.PositiveIntegerField(help_text="How many records were exported or erased.")
    counts = models.JSONField(default=dict, help_text="How many of each kind, e.g. {\"donations\": 2}.")

    class Meta:
        ordering = ["-performed_at"]
        permissions = [("handle_personal_data", "Can find, export and erase one supporter's data")]

    def __str__(self):
        return f"{self.reference}: {self.get_action_display().lower()} {self.records} records"
