"""Donations and newsletter subscribers: the records we must never lose."""

import secrets
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cytokines.content.reviewed import Language

MIN_DONATION = Decimal("5.00")
MAX_DONATION = Decimal("25000.00")
zip_validator = RegexValidator(r"^\d{5}(-\d{4})?$", "Enter a US ZIP code: 5 digits, or ZIP+4 such as 20500-0003.")


def new_donation_reference():
    # 40 random bits in an unambiguous alphabet: short enough to read out on the phone, not guessable.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "CP-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Donation(models.Model):
    class Frequency(models.TextChoices):
        ONE_TIME = "one_time", _("One time")
        MONTHLY = "monthly", _("Monthly")

    class Dedication(models.TextChoices):
        NONE = "", _("No dedication")
        HONOUR = "honour", _("In honour of")
        MEMORY = "memory", _("In memory of")

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Payment failed"
        REFUNDED = "refunded", "Refunded"
        DISPUTED = "disputed", "Disputed"

    # Fields that identify a person: erasing a donor blanks these and keeps amounts, dates and references.
    PERSONAL_FIELDS = ("donor_name", "email", "dedication_name")

    reference = models.CharField(max_length=20, unique=True, default=new_donation_reference, editable=False)
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    amount = models.DecimalField(
        max_digits=9, decimal_places=2, validators=[MinValueValidator(MIN_DONATION), MaxValueValidator(MAX_DONATION)]
    )
    currency = models.CharField(max_length=3, default="USD", editable=False)
    # The language the person used our form in: every later e-mail to them is written in it.
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH,
                                db_default=Language.ENGLISH)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.ONE_TIME)
    donor_name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    dedication = models.CharField(max_length=10, choices=Dedication.choices, blank=True, default="")
    dedication_name = models.CharField(max_length=150, blank=True)
    consent_to_contact = models.BooleanField(default=False)
    consent_text = models.ForeignKey(
        "cytokines.ConsentText", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The wording the donor agreed to when they ticked the contact box (empty if they did not).",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    provider = models.CharField(max_length=50)
    provider_reference = models.CharField(
        max_length=100, blank=True, help_text="The provider's checkout session (or pledge payment) id."
    )
    provider_payment = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="The provider's payment id (refunds and disputes name it)."
    )
    provider_invoice = models.CharField(
        max_length=100, blank=True, help_text="For a monthly payment: the provider's invoice id."
    )
    monthly_gift = models.ForeignKey(
        "MonthlyGift", null=True, blank=True, on_delete=models.PROTECT, related_name="payments",
        help_text="The monthly gift this payment belongs to (its first payment, or a renewal).",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=MIN_DONATION, amount__lte=MAX_DONATION), name="donation_amount_in_range"
            ),
            models.CheckConstraint(
                condition=Q(dedication="") | ~Q(dedication_name=""), name="donation_dedication_has_a_name"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False), name="donation_paid_has_date"
            ),
            # One donation row per provider invoice: a renewal webhook delivered twice cannot add a second.
            models.UniqueConstraint(
                fields=["provider", "provider_invoice"], condition=~Q(provider_invoice=""),
                name="donation_one_row_per_invoice",
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.reference}: ${self.amount} {self.get_frequency_display().lower()}"

    def clean(self):
        super().clean()
        if self.dedication and not self.dedication_name.strip():
            raise ValidationError({"dedication_name": "Please give the name of the person this gift honours."})
        if self.status == self.Status.PAID and not self.paid_at:
            raise ValidationError("A paid donation needs the date it was paid.")

    @property
    def is_renewal(self):
        return self.monthly_gift_id is not None and self.monthly_gift.first_payment_id != self.pk

    @property
    def gift_type(self):
        """How a receipt describes the gift."""
        if self.frequency == self.Frequency.ONE_TIME:
            return _("One-time gift")
        return _("Monthly gift (renewal)") if self.is_renewal else _("Monthly gift (first payment)")


class MonthlyGift(models.Model):
    """A donor's standing monthly gift: a subscription at the provider. Its payments are Donation rows."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"

    first_payment = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="started_gift")
    provider = models.CharField(max_length=50)
    provider_subscription = models.CharField(max_length=100, blank=True)
    provider_customer = models.CharField(max_length=100, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, help_text="The latest monthly amount.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_subscription"], condition=~Q(provider_subscription=""),
                name="monthly_gift_one_per_subscription",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False), name="monthly_gift_cancelled_has_date"
            ),
        ]

    def __str__(self):
        return f"${self.amount} monthly from {self.first_payment.reference} ({self.get_status_display().lower()})"

    def clean(self):
        super().clean()
        if self.status == self.Status.CANCELLED and not self.cancelled_at:
            raise ValidationError("A cancelled monthly gift needs the date it was cancelled.")


class PaymentEvent(models.Model):
    """One webhook event from a payment provider, recorded once: the donation's timeline.

    The unique event id is what makes a redelivered webhook change nothing. Only ids, amounts and a
    summary are kept, never the provider's payload (it holds names and addresses).
    """

    provider = models.CharField(max_length=50)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=100, help_text="The provider's event type, e.g. invoice.paid.")
    donation = models.ForeignKey(Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    summary = models.CharField(max_length=300)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payment_event_applied_once"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.event_id})"


def new_subscriber_token():
    """The random key behind a subscriber's confirm and unsubscribe links: links never carry the address."""
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        SUPPRESSED = "suppressed", "Suppressed (bounced or complained)"

    PERSONAL_FIELDS = ("email", "name", "zip_code")

    class Interest(models.TextChoices):
        INTERLEUKINS = "interleukins", _("Interleukins")
        INTERFERONS = "interferons", _("Interferons")
        CLINICAL_TRIALS = "clinical_trials", _("Clinical trials")
        LIVING_WITH_CANCER = "living_with_cancer", _("Living with cancer")
        FUNDRAISING = "fundraising", _("Events and fundraising")

    email = models.EmailField(max_length=254, help_text="Stored in lower case; unique whatever its spelling.")
    name = models.CharField(max_length=150, blank=True)
    zip_code = models.CharField("ZIP code", max_length=10, blank=True, validators=[zip_validator])
    # The language the person used our form in: every later e-mail to them is written in it.
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH,
                                db_default=Language.ENGLISH)
    interests = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PENDING, db_index=True)
    consent_at = models.DateTimeField(help_text="When the subscriber ticked the consent box.")
    consent_text = models.ForeignKey(
        "cytokines.ConsentText", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The wording shown next to the box when it was ticked (recorded on confirmation).",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_reason = models.CharField(max_length=200, blank=True, help_text="What the e-mail service reported.")
    created_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=40, unique=True, default=new_subscriber_token, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_unique_email_any_case"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False), name="subscriber_confirmed_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


def normalize_email(email):
    """Lower-case and trim: mailbox names are case-insensitive in practice, and people type them both ways."""
    return (email or "").strip().lower()
