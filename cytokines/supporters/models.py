"""Donations and newsletter subscribers: the records we must never lose."""

import secrets
import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

MIN_DONATION = Decimal("5.00")
MAX_DONATION = Decimal("25000.00")
zip_validator = RegexValidator(r"^\d{5}(-\d{4})?$", "Enter a US ZIP code: 5 digits, or ZIP+4 such as 20500-0003.")


def new_donation_reference():
    # 40 random bits in an unambiguous alphabet: short enough to read out on the phone, not guessable.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "CP-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Donation(models.Model):
    class Frequency(models.TextChoices):
        ONE_TIME = "one_time", "One time"
        MONTHLY = "monthly", "Monthly"

    class Dedication(models.TextChoices):
        NONE = "", "No dedication"
        HONOUR = "honour", "In honour of"
        MEMORY = "memory", "In memory of"

    class Status(models.TextChoices):
        PENDING = "pending", "Pledged, payment pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Payment failed"

    reference = models.CharField(max_length=20, unique=True, default=new_donation_reference, editable=False)
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    amount = models.DecimalField(
        max_digits=9, decimal_places=2, validators=[MinValueValidator(MIN_DONATION), MaxValueValidator(MAX_DONATION)]
    )
    currency = models.CharField(max_length=3, default="USD", editable=False)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.ONE_TIME)
    donor_name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    dedication = models.CharField(max_length=10, choices=Dedication.choices, blank=True, default="")
    dedication_name = models.CharField(max_length=150, blank=True)
    consent_to_contact = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    provider = models.CharField(max_length=50)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # When each e-mail actually went out; empty means it is still owed (send_pending_mail retries it).
    pledge_email_sent_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

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
        ]

    def __str__(self):
        return f"{self.reference}: ${self.amount} {self.get_frequency_display().lower()} from {self.donor_name}"


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    class Interest(models.TextChoices):
        INTERLEUKINS = "interleukins", "Interleukins"
        INTERFERONS = "interferons", "Interferons"
        CLINICAL_TRIALS = "clinical_trials", "Clinical trials"
        LIVING_WITH_CANCER = "living_with_cancer", "Living with cancer"
        FUNDRAISING = "fundraising", "Events and fundraising"

    email = models.EmailField(max_length=254, help_text="Stored in lower case; unique whatever its spelling.")
    name = models.CharField(max_length=150, blank=True)
    zip_code = models.CharField("ZIP code", max_length=10, blank=True, validators=[zip_validator])
    interests = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PENDING, db_index=True)
    consent_at = models.DateTimeField(help_text="When the subscriber ticked the consent box.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the confirmation e-mail is still owed."
    )
    created_at = models.DateTimeField(default=timezone.now)

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
