"""Payment providers behind one small interface. The portal never sees card numbers.

A provider starts a payment for a donation (returning where to send the donor, or nothing) and
verifies the webhooks it later sends. The default, ``PledgeProvider``, works offline: it records a
pending pledge; a signed webhook (from a real provider, or from staff tooling) marks it paid.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.module_loading import import_string

SIGNATURE_HEADER = "HTTP_X_PORTAL_SIGNATURE"
SIGNATURE_TOLERANCE_SECONDS = 300


class InvalidWebhook(Exception):
    """The webhook is unsigned, wrongly signed, too old or malformed; it must change nothing."""


@dataclass(frozen=True)
class PaymentEvent:
    kind: str  # "paid" or "failed"
    reference: str
    amount: Decimal
    provider_reference: str


class PledgeProvider:
    name = "pledge"

    def start(self, donation):
        """Nothing to redirect to: the pledge is recorded and the donor sees the thank-you page."""
        return None

    def parse_webhook(self, body, headers, *, now=None):
        verify_signature(body, headers.get(SIGNATURE_HEADER, ""), settings.PAYMENT_WEBHOOK_SECRET, now=now)
        try:
            data = json.loads(body)
            kind = {"donation.paid": "paid", "donation.failed": "failed"}[data["event"]]
            return PaymentEvent(kind, str(data["reference"]), Decimal(str(data["amount"])), str(data.get("id", "")))
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
