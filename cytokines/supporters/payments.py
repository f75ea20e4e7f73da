"""Payment providers behind one small interface. The portal never sees card numbers.

A provider starts a payment for a donation (returning the address of its hosted payment page, or
nothing), turns a verified webhook into a ``ProviderEvent``, and says where a donor manages a monthly
gift. The default, ``PledgeProvider``, works offline: it records a pending pledge; a webhook signed with
our own scheme (from staff tooling, e.g. when a cheque arrives) marks it paid. The Stripe provider lives
in ``supporters/stripe_provider.py``.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

SIGNATURE_HEADER = "HTTP_X_PORTAL_SIGNATURE"
SIGNATURE_TOLERANCE_SECONDS = 300


class InvalidWebhook(Exception):
    """The webhook is unsigned, wrongly signed, too old or malformed; it must change nothing."""


class PaymentUnavailable(Exception):
    """The provider could not be reached or refused the request; the donation stays pending."""


class EventKind(StrEnum):
    CHECKOUT_PAID = "checkout_paid"  # a one-off gift, or the first payment of a monthly gift
    CHECKOUT_FAILED = "checkout_failed"
    FIRST_MONTHLY_INVOICE_PAID = "first_monthly_invoice_paid"  # the invoice behind a monthly gift's first payment
    RENEWAL_PAID = "renewal_paid"
    RENEWAL_FAILED = "renewal_failed"
    REFUNDED = "refunded"
    DISPUTED = "disputed"
    GIFT_CANCELLED = "gift_cancelled"
    OTHER = "other"  # recorded on the timeline, changes nothing


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    kind: EventKind
    provider_type: str  # the provider's own name for it, e.g. "invoice.paid"
    reference: str = ""  # our donation reference, when the provider echoes it back
    amount: Decimal | None = None
    payment: str = ""
    invoice: str = ""
    subscription: str = ""
    customer: str = ""
    session: str = ""


class PledgeProvider:
    name = "pledge"
    # Shown beside the donation form, so donors know what pressing the button does.
    how_payment_works = (
        _("Pressing the button records your pledge and e-mails you a confirmation; no money is taken yet. "
        "Our supporter care team then contacts you to complete the gift, and your receipt follows when the "
        "payment arrives. We never see or store card details.")
    )
    sends_pledge_email = True  # nothing is charged, so the donor gets a note that the pledge was recorded

    def start(self, donation, *, base_url):
        """Nothing to redirect to: the pledge is recorded and the donor sees the thank-you page."""
        return None

    def manage_url(self, gift, *, return_url):
        """No provider page: the donor cancels on our own signed page."""
        return None

    def cancel(self, gift):
        """Nothing to tell anyone: the pledge simply stops."""

    def parse_webhook(self, body, headers, *, now=None):
        verify_signature(body, headers.get(SIGNATURE_HEADER, ""), settings.PAYMENT_WEBHOOK_SECRET, now=now)
        try:
            data = json.loads(body)
            kind = {"donation.paid": EventKind.CHECKOUT_PAID, "donation.failed": EventKind.CHECKOUT_FAILED}[
                data["event"]
            ]
            reference = str(data["reference"])
            return ProviderEvent(
                # Our own scheme has no event ids: one "paid" (or "failed") per pledge is all there can be.
                event_id=str(data.get("event_id") or f"{data['event']}:{reference}"),
                kind=kind,
                provider_type=data["event"],
                reference=reference,
                amount=Decimal(str(data["amount"])),
                payment=str(data.get("id", ""))[:100],
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as problem:
            raise InvalidWebhook(f"malformed payload: {problem}") from None


def sign(body, secret, timestamp=None):
    """Return the signature header value for ``body``: ``t=<unix time>,v1=<hex HMAC-SHA256>``."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(body, header, secret, *, now=None):
    if not secret:
        raise InvalidWebhook("no webhook secret is configured")
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        expected = sign(body, secret, timestamp).split("v1=", 1)[1]
        given = parts["v1"]
    except (ValueError, KeyError):
        raise InvalidWebhook("missing or unreadable signature") from None
    if not hmac.compare_digest(expected, given):
        raise InvalidWebhook("signature does not match")
    # A captured request replayed later is refused: the timestamp is inside the signed bytes.
    if abs((now or time.time()) - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        raise InvalidWebhook("signature is too old")


def get_provider():
    return import_string(settings.PAYMENT_PROVIDER)()
