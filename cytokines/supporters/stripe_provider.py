"""Stripe Checkout through Stripe's own Python library.

One-off gifts are Checkout sessions in ``payment`` mode, monthly gifts in ``subscription`` mode; the
donor pays on Stripe's hosted page and comes back to our thank-you page. Webhooks are verified with the
library's signature check and turned into ``ProviderEvent`` values; ``donations.payment_event_apply``
applies each one once. Every API call carries an idempotency key derived from our own record, so a
retried request (by the library, or by a donor pressing the button again) never creates a second
session or portal link.
"""

import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cytokines.content import site_reads
from cytokines.supporters.payments import EventKind, InvalidWebhook, PaymentUnavailable, ProviderEvent

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "HTTP_STRIPE_SIGNATURE"
UNAVAILABLE = (
    "We could not reach our payment service just now, so nothing has been charged. Your donation is saved "
    "as pending under reference {reference}. Please try again in a few minutes."
)
REFUSED = (
    "Our payment service could not start this payment, so nothing has been charged. Your donation is saved "
    "as pending under reference {reference}. Please try again later, or call us."
)


def cents(amount):
    return int((Decimal(amount) * 100).to_integral_value())


def dollars(value):
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _id(value):
    """An expandable field is an id or an object with an id."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value.get("id", ""))


class StripeProvider:
    name = "stripe"
    how_payment_works = (
        _("Pressing the button takes you to a secure payment page run by Stripe, our payment service, where you "
        "enter your card. You come back here when it is done and we e-mail your receipt. We never see or store "
        "card details; a monthly gift can be changed or stopped from the link in every receipt.")
    )
    sends_pledge_email = False  # Stripe's page confirms the payment; our receipt follows the webhook

    def __init__(self):
        self.client = stripe.StripeClient(
            settings.STRIPE_SECRET_KEY or "sk_test_missing",
            base_addresses={"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None,
            max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
            http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
        )

    def _call(self, reference, call):
        if not settings.STRIPE_SECRET_KEY:
            log.error("STRIPE_SECRET_KEY is not set; cannot start payment %s", reference)
            raise PaymentUnavailable(REFUSED.format(reference=reference))
        try:
            return call()
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as problem:
            log.warning("Stripe unavailable for %s: %s", reference, type(problem).__name__)
            raise PaymentUnavailable(UNAVAILABLE.format(reference=reference)) from problem
        except stripe.StripeError as problem:
            log.error("Stripe refused a request for %s: %s", reference, type(problem).__name__)
            raise PaymentUnavailable(REFUSED.format(reference=reference)) from problem

    def start(self, donation, *, base_url):
        """Create a hosted Checkout session and return its address."""
        monthly = donation.frequency == donation.Frequency.MONTHLY
        price = {
            "currency": donation.currency.lower(),
            "unit_amount": cents(donation.amount),
            "product_data": {
                "name": f"{'Monthly gift' if monthly else 'Gift'} to {site_reads.portal_values()['CHARITY_NAME']}"
            },
        }
        if monthly:
            price["recurring"] = {"interval": "month"}
        params = {
            "mode": "subscription" if monthly else "payment",
            "line_items": [{"price_data": price, "quantity": 1}],
            "customer_email": donation.email,
            "client_reference_id": donation.reference,
            "metadata": {"donation": donation.reference},
            "success_url": base_url + reverse("cytokines:donate-thanks", args=[donation.reference]),
            "cancel_url": base_url + reverse("cytokines:donate"),
        }
        if monthly:
            params["subscription_data"] = {"metadata": {"donation": donation.reference}}
        else:
            params["submit_type"] = "donate"
            params["payment_intent_data"] = {"metadata": {"donation": donation.reference}}
        options = {"idempotency_key": f"checkout-{donation.idempotency_key}"}
        session = self._call(donation.reference, lambda: self.client.v1.checkout.sessions.create(params, options))
        donation.provider_reference = session.id
        donation.save(update_fields=["provider_reference"])
        return session.url

    def manage_url(self, gift, *, return_url):
        """A short-lived link to Stripe's customer portal, where the donor changes the amount or cancels."""
        params = {"customer": gift.provider_customer, "return_url": return_url}
        session = self._call(
            gift.first_payment.reference, lambda: self.client.v1.billing_portal.sessions.create(params)
        )
        return session.url

    def cancel(self, gift):
        """Donors cancel in Stripe's portal; Stripe tells us with customer.subscription.deleted."""
        raise NotImplementedError("cancel in the customer portal")

    def payment_of_invoice(self, invoice_id):
        """The payment id behind an invoice (needed to recognise its refunds and disputes later)."""
        try:
            payments = self.client.v1.invoice_payments.list({"invoice": invoice_id, "limit": 1})
        except stripe.StripeError as problem:  # the payment is still recorded; only refund matching needs this
            log.warning("Could not read the payment of invoice %s: %s", invoice_id, type(problem).__name__)
            return ""
        for row in payments.data:
            return _id(row.to_dict().get("payment", {}).get("payment_intent"))
        return ""

    def parse_webhook(self, body, headers, *, now=None):
        try:
            event = stripe.Webhook.construct_event(
                body, headers.get(SIGNATURE_HEADER, ""), settings.STRIPE_WEBHOOK_SECRET
            ).to_dict()
        except (stripe.SignatureVerificationError, ValueError) as problem:
            raise InvalidWebhook(str(problem).split(".")[0]) from None
        try:
            return self._to_event(event)
        except (KeyError, AttributeError, TypeError) as problem:
            raise InvalidWebhook(f"malformed {event.get('type')} event: {problem}") from None

    def _to_event(self, event):
        kind, obj = event["type"], event["data"]["object"]
        base = {"event_id": event["id"], "provider_type": kind}
        if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded",
                    "checkout.session.async_payment_failed"):  # fmt: skip
            failed = kind.endswith("failed")
            unpaid = obj.get("payment_status") not in ("paid", "no_payment_required")
            if kind == "checkout.session.completed" and unpaid:  # e.g. a bank debit still on its way
                return ProviderEvent(kind=EventKind.OTHER, reference=obj.get("client_reference_id") or "", **base)
            return ProviderEvent(
                kind=EventKind.CHECKOUT_FAILED if failed else EventKind.CHECKOUT_PAID,
                reference=obj.get("client_reference_id") or "",
                amount=dollars(obj.get("amount_total")),
                payment=_id(obj.get("payment_intent")),
                invoice=_id(obj.get("invoice")),
                subscription=_id(obj.get("subscription")),
                customer=_id(obj.get("customer")),
                session=obj["id"],
                **base,
            )
        if kind in ("invoice.paid", "invoice.payment_failed"):
            details = (obj.get("parent") or {}).get("subscription_details") or {}
            subscription = _id(details.get("subscription"))
            first = obj.get("billing_reason") == "subscription_create"
            paid = kind == "invoice.paid"
            if not subscription:
                return ProviderEvent(kind=EventKind.OTHER, **base)
            if first:
                event_kind = EventKind.FIRST_MONTHLY_INVOICE_PAID if paid else EventKind.OTHER
            else:
                event_kind = EventKind.RENEWAL_PAID if paid else EventKind.RENEWAL_FAILED
            return ProviderEvent(
                kind=event_kind,
                reference=(details.get("metadata") or {}).get("donation", ""),
                amount=dollars(obj.get("amount_paid") if paid else obj.get("amount_due")),
                payment=self.payment_of_invoice(obj["id"]) if paid else "",
                invoice=obj["id"],
                subscription=subscription,
                customer=_id(obj.get("customer")),
                **base,
            )
        if kind == "charge.refunded":
            return ProviderEvent(
                kind=EventKind.REFUNDED, payment=_id(obj.get("payment_intent")),
                amount=dollars(obj.get("amount_refunded")), **base,
            )  # fmt: skip
        if kind == "charge.dispute.created":
            return ProviderEvent(
                kind=EventKind.DISPUTED, payment=_id(obj.get("payment_intent")), amount=dollars(obj.get("amount")),
                **base,
            )  # fmt: skip
        if kind == "customer.subscription.deleted":
            return ProviderEvent(
                kind=EventKind.GIFT_CANCELLED, subscription=obj["id"], customer=_id(obj.get("customer")),
                reference=(obj.get("metadata") or {}).get("donation", ""), **base,
            )  # fmt: skip
        return ProviderEvent(kind=EventKind.OTHER, **base)
