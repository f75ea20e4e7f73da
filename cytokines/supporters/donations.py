"""Writes for donations: record a pledge once, mark it paid once, send the e-mails."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cytokines.ops.mail import send_safely
from cytokines.supporters.models import Donation
from cytokines.supporters.payments import get_provider


def donation_create(*, idempotency_key, **fields):
    """Record a donation; a second submission with the same key returns the first donation unchanged.

    Returns ``(donation, created)``.
    """
    provider = get_provider()
    existing = Donation.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            donation = Donation(idempotency_key=idempotency_key, provider=provider.name, **fields)
            donation.full_clean()
            donation.save()
            transaction.on_commit(lambda: _send_pledge_email(donation))
    except IntegrityError:
        # Two identical submissions raced past the check above; the unique key let one win.
        return Donation.objects.get(idempotency_key=idempotency_key), False
    return donation, True


@transaction.atomic
def donation_apply_payment_event(event):
    """Apply a verified provider event. Replays and events for unknown or mismatched donations change nothing."""
    donation = Donation.objects.select_for_update().filter(reference=event.reference).first()
    if donation is None:
        raise ValidationError(f"No donation with reference {event.reference}.")
    if event.amount != donation.amount:
        raise ValidationError(f"Amount {event.amount} does not match the pledge of {donation.amount}.")
    if donation.status == Donation.Status.PAID:
        return donation, False  # already applied: a webhook retried by the provider
    donation.status = Donation.Status.PAID if event.kind == "paid" else Donation.Status.FAILED
    donation.provider_reference = event.provider_reference[:100]
    if donation.status == Donation.Status.PAID:
        donation.paid_at = timezone.now()
        transaction.on_commit(lambda: _send_receipt(donation))
    donation.save()
    return donation, True


def _send_pledge_email(donation):
    return _mail(donation, "Thank you for your donation pledge", "cytokines/email/donation_pledge.txt",
          sent_field="pledge_email_sent_at")  # fmt: skip


def _send_receipt(donation):
    return _mail(donation, f"Your donation receipt {donation.reference}", "cytokines/email/donation_receipt.txt",
          sent_field="receipt_sent_at")  # fmt: skip


def _mail(donation, subject, template, *, sent_field):
    body = render_to_string(template, {"donation": donation, "portal": settings.PORTAL})
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [donation.email])
    sent = send_safely(message, what=f"{subject.lower()} for donation {donation.reference}")
    if sent:
        Donation.objects.filter(pk=donation.pk).update(**{sent_field: timezone.now()})
    return sent


def donations_send_owed_mail():
    """Send pledge e-mails and receipts that failed earlier; return how many went out."""
    pledges = Donation.objects.filter(pledge_email_sent_at__isnull=True)
    receipts = Donation.objects.filter(status=Donation.Status.PAID, receipt_sent_at__isnull=True)
    return sum(_send_pledge_email(d) for d in pledges) + sum(_send_receipt(d) for d in receipts)
