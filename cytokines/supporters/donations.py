"""Writes for donations: record a gift once, apply each provider event once, queue the e-mails.

Every e-mail is queued in the same transaction as the change it reports (see ``ops/mail.py``), so a
receipt exists exactly when a payment was recorded, and a request never waits for a mail server.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from cytokines.content import site_reads
from cytokines.ops.mail import URGENT, mail_queue, mail_recipient_allowed
from cytokines.supporters.models import MAX_DONATION, MIN_DONATION, Donation, MonthlyGift, PaymentEvent
from cytokines.supporters.payments import EventKind, get_provider

log = logging.getLogger(__name__)

REPLAYED_WITH_CHANGES = gettext_lazy(
    "This form was already sent with different details, so we have not changed your first gift ({amount}, "
    "reference {reference}). To make another donation, please reload the page and fill the form in again."
)
MANAGE_SALT = "monthly-gift-manage"
MANAGE_MAX_AGE = 60 * 60 * 24 * 400  # a year of receipts' links, plus slack


def donation_create(*, idempotency_key, **fields):
    """Record a donation. A resubmitted form (same key, same details) returns the first donation unchanged;
    the same key with other details is refused, so nobody is thanked for an amount they did not choose.

    Returns ``(donation, created)``.
    """
    provider = get_provider()
    existing = Donation.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return _same_details_or_refuse(existing, fields), False
    try:
        with transaction.atomic():
            donation = Donation(idempotency_key=idempotency_key, provider=provider.name, **fields)
            donation.full_clean()
            donation.save()
            if provider.sends_pledge_email and mail_recipient_allowed(donation.email, kind="pledge"):
                subject = gettext_lazy("Thank you for your donation pledge")
                _queue(donation, subject, "cytokines/email/donation_pledge.txt")
    except IntegrityError:
        # Two submissions raced past the check above; the unique key let one win.
        existing = Donation.objects.get(idempotency_key=idempotency_key)
        return _same_details_or_refuse(existing, fields), False
    return donation, True


def _same_details_or_refuse(donation, fields):
    if any(getattr(donation, name) != value for name, value in fields.items()):
        raise ValidationError(REPLAYED_WITH_CHANGES.format(amount=f"${donation.amount}", reference=donation.reference))
    return donation


@transaction.atomic
def payment_event_apply(provider_name, event):
    """Apply a verified provider event once; return ``(PaymentEvent, applied)``.

    A redelivered event (same id) changes nothing. Events naming no donation of ours, or an amount that
    does not match, raise ValidationError and record nothing, so the provider retries and staff see it.
    """
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                provider=provider_name, event_id=event.event_id, kind=event.provider_type[:100],
                amount=event.amount, summary="",
            )  # fmt: skip
    except IntegrityError:
        return PaymentEvent.objects.get(provider=provider_name, event_id=event.event_id), False
    handler = HANDLERS.get(event.kind, _other)
    donation, summary = handler(provider_name, event)
    record.donation, record.summary = donation, summary[:300]
    record.save(update_fields=["donation", "summary"])
    return record, True


def _donation_by_reference(reference):
    donation = Donation.objects.select_for_update().filter(reference=reference).first() if reference else None
    if donation is None:
        raise ValidationError(f"No donation with reference {reference or '(none)'}.")
    return donation


def _check_amount(donation, amount):
    if amount is not None and amount != donation.amount:
        raise ValidationError(f"Amount {amount} does not match the donation of {donation.amount}.")


def _mark_paid(donation, *, payment=""):
    donation.status = Donation.Status.PAID
    donation.paid_at = timezone.now()
    donation.provider_payment = donation.provider_payment or payment[:100]
    donation.save()
    _queue_receipt(donation)


def _ensure_gift(provider_name, donation, event):
    """The monthly gift a first payment starts; created by whichever of its events arrives first."""
    gift = MonthlyGift.objects.filter(first_payment=donation).first()
    if gift is None:
        gift = MonthlyGift.objects.create(
            first_payment=donation, provider=provider_name, amount=donation.amount,
            provider_subscription=event.subscription[:100], provider_customer=event.customer[:100],
        )  # fmt: skip
    elif event.subscription and not gift.provider_subscription:
        gift.provider_subscription, gift.provider_customer = event.subscription[:100], event.customer[:100]
        gift.save(update_fields=["provider_subscription", "provider_customer"])
    if donation.monthly_gift_id != gift.pk:
        donation.monthly_gift = gift
        donation.save(update_fields=["monthly_gift"])
    return gift


def _checkout_paid(provider_name, event):
    donation = _donation_by_reference(event.reference)
    _check_amount(donation, event.amount)
    if event.payment and not donation.provider_payment:
        donation.provider_payment = event.payment[:100]
    if event.session and not donation.provider_reference:
        donation.provider_reference = event.session[:100]
    donation.save()
    summary = ""
    if donation.frequency == Donation.Frequency.MONTHLY and (event.subscription or provider_name == "pledge"):
        _ensure_gift(provider_name, donation, event)  # first, so the receipt links to managing the gift
        summary = "monthly gift active; "
    if donation.status in (Donation.Status.PENDING, Donation.Status.FAILED):
        _mark_paid(donation)
        return donation, summary + "paid: receipt queued"
    return donation, summary + f"already {donation.get_status_display().lower()}: nothing changed"


def _checkout_failed(provider_name, event):
    donation = _donation_by_reference(event.reference)
    if donation.status != Donation.Status.PENDING:
        return donation, f"Already {donation.get_status_display().lower()}: nothing changed"
    donation.status = Donation.Status.FAILED
    donation.save(update_fields=["status"])
    return donation, "Payment failed"


def _first_invoice_paid(provider_name, event):
    donation = _donation_by_reference(event.reference)
    _check_amount(donation, event.amount)
    donation.provider_invoice = donation.provider_invoice or event.invoice[:100]
    donation.provider_payment = donation.provider_payment or event.payment[:100]
    donation.save(update_fields=["provider_invoice", "provider_payment"])
    _ensure_gift(provider_name, donation, event)
    if donation.status == Donation.Status.PENDING:
        _mark_paid(donation)
        return donation, "First monthly payment paid: receipt queued"
    return donation, "First monthly invoice recorded"


def _gift_for(provider_name, event):
    gift = (
        MonthlyGift.objects.select_for_update()
        .select_related("first_payment")
        .filter(provider=provider_name, provider_subscription=event.subscription)
        .first()
    )
    if gift is None:
        raise ValidationError(f"No monthly gift with subscription {event.subscription or '(none)'}.")
    return gift


def _renewal(provider_name, event, *, paid):
    gift = _gift_for(provider_name, event)
    if event.amount is None or not MIN_DONATION <= event.amount <= MAX_DONATION:
        return gift.first_payment, f"Renewal of {event.amount} is outside the gift range: not recorded"
    first = gift.first_payment
    donation, created = Donation.objects.select_for_update().get_or_create(
        provider=provider_name, provider_invoice=event.invoice[:100],
        defaults={
            "amount": event.amount, "frequency": Donation.Frequency.MONTHLY, "monthly_gift": gift,
            "donor_name": first.donor_name, "email": first.email, "consent_to_contact": first.consent_to_contact,
            "consent_text": first.consent_text, "language": first.language,
            "status": Donation.Status.FAILED if not paid else Donation.Status.PENDING,
        },
    )  # fmt: skip
    if not paid:
        return donation, "Renewal payment failed; the provider retries it"
    if donation.status == Donation.Status.PAID:
        return donation, "Renewal already paid: nothing changed"
    donation.amount = event.amount
    _mark_paid(donation, payment=event.payment)
    gift.amount = event.amount
    gift.save(update_fields=["amount"])
    return donation, "Renewal paid: receipt queued"


def _renewal_paid(provider_name, event):
    return _renewal(provider_name, event, paid=True)


def _renewal_failed(provider_name, event):
    return _renewal(provider_name, event, paid=False)


def _payment_state(status, label):
    def handler(provider_name, event):
        donation = Donation.objects.select_for_update().filter(provider=provider_name, provider_payment=event.payment)
        donation = donation.first() if event.payment else None
        if donation is None:
            raise ValidationError(f"No donation with payment {event.payment or '(none)'}.")
        donation.status = status
        donation.save(update_fields=["status"])
        return donation, f"{label} ({event.amount})"

    return handler


def _gift_cancelled(provider_name, event):
    gift = _gift_for(provider_name, event)
    if gift.status != MonthlyGift.Status.CANCELLED:
        gift.status, gift.cancelled_at = MonthlyGift.Status.CANCELLED, timezone.now()
        gift.save(update_fields=["status", "cancelled_at"])
    return gift.first_payment, "Monthly gift cancelled"


def _other(provider_name, event):
    donation = Donation.objects.filter(reference=event.reference).first() if event.reference else None
    return donation, "Recorded; nothing to change"


HANDLERS = {
    EventKind.CHECKOUT_PAID: _checkout_paid,
    EventKind.CHECKOUT_FAILED: _checkout_failed,
    EventKind.FIRST_MONTHLY_INVOICE_PAID: _first_invoice_paid,
    EventKind.RENEWAL_PAID: _renewal_paid,
    EventKind.RENEWAL_FAILED: _renewal_failed,
    EventKind.REFUNDED: _payment_state(Donation.Status.REFUNDED, "Refunded"),
    EventKind.DISPUTED: _payment_state(Donation.Status.DISPUTED, "Disputed by the card holder"),
    EventKind.GIFT_CANCELLED: _gift_cancelled,
}


@transaction.atomic
def monthly_gift_cancel(gift):
    """Cancel a monthly gift on our own page (providers without a portal of their own)."""
    gift = MonthlyGift.objects.select_for_update().get(pk=gift.pk)
    if gift.status == MonthlyGift.Status.ACTIVE:
        get_provider().cancel(gift)
        gift.status, gift.cancelled_at = MonthlyGift.Status.CANCELLED, timezone.now()
        gift.save(update_fields=["status", "cancelled_at"])
    return gift


def manage_token(gift):
    return signing.TimestampSigner(salt=MANAGE_SALT).sign_object({"g": gift.pk})


def gift_from_manage_token(token):
    """The gift a signed manage link names; raises BadSignature (or SignatureExpired)."""
    data = signing.TimestampSigner(salt=MANAGE_SALT).unsign_object(token, max_age=MANAGE_MAX_AGE)
    gift = MonthlyGift.objects.select_related("first_payment").filter(pk=data.get("g")).first()
    if gift is None:
        raise signing.BadSignature("unknown gift")
    return gift


def _queue_receipt(donation):
    subject = gettext_lazy("Your donation receipt {reference}")
    _queue(donation, subject, "cytokines/email/donation_receipt.txt", reference=donation.reference)


def _queue(donation, subject, template, **subject_values):
    """Queue an e-mail to the donor, written in the language they gave in (the form's language)."""
    with translation.override(donation.language):
        _queue_in_language(donation, str(subject).format(**subject_values), template)


def _queue_in_language(donation, subject, template):
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    gift = donation.monthly_gift if donation.monthly_gift_id else None
    context = {
        "donation": donation,
        "portal": site_reads.portal_values(),
        "manage_url": base_url + reverse("cytokines:donate-manage", args=[manage_token(gift)]) if gift else "",
    }
    body = render_to_string(template, context)
    mail_queue(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [donation.email]), priority=URGENT)
