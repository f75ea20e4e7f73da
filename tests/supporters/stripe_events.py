"""Stripe webhook events for tests, written after Stripe's documented event shapes and signed with the
library's own helper (``stripe.WebhookSignature.generate_signature_header``)."""

import json
import uuid

import stripe
from django.urls import reverse

WEBHOOK_SECRET = "whsec_test_portal"


def event(kind, obj):
    return {
        "id": f"evt_test_{uuid.uuid4().hex[:16]}", "object": "event", "api_version": "2026-10-28.endive",
        "created": 1767225600, "livemode": False, "type": kind, "data": {"object": obj},
    }  # fmt: skip


def post(client, payload, *, secret=WEBHOOK_SECRET, header=None):
    body = json.dumps(payload)
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(body, secret)
    return client.post(
        reverse("cytokines:payment-webhook"), body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def checkout_completed(donation, *, session, amount_cents=None, subscription=None, customer="cus_test_1"):
    monthly = subscription is not None
    return event("checkout.session.completed", {
        "id": session, "object": "checkout.session", "client_reference_id": donation.reference,
        "amount_total": amount_cents if amount_cents is not None else int(donation.amount * 100),
        "currency": "usd", "mode": "subscription" if monthly else "payment", "payment_status": "paid",
        "status": "complete", "payment_intent": None if monthly else f"pi_test_{donation.reference}",
        "subscription": subscription, "customer": customer if monthly else None,
        "invoice": "in_first" if monthly else None, "metadata": {"donation": donation.reference},
    })  # fmt: skip


def invoice(kind, *, invoice_id, subscription, reference, amount_cents, reason, customer="cus_test_1"):
    paid = kind == "invoice.paid"
    return event(kind, {
        "id": invoice_id, "object": "invoice", "billing_reason": reason, "customer": customer,
        "amount_due": amount_cents, "amount_paid": amount_cents if paid else 0, "currency": "usd",
        "status": "paid" if paid else "open",
        "parent": {"type": "subscription_details", "subscription_details": {
            "subscription": subscription, "metadata": {"donation": reference}}},
    })  # fmt: skip


def charge(kind, *, payment_intent, amount_cents):
    if kind == "charge.dispute.created":
        return event(kind, {"id": "dp_test_1", "object": "dispute", "amount": amount_cents, "charge": "ch_test_1",
                            "payment_intent": payment_intent, "reason": "fraudulent", "status": "needs_response"})
    return event(kind, {"id": "ch_test_1", "object": "charge", "amount": amount_cents,
                        "amount_refunded": amount_cents, "payment_intent": payment_intent, "refunded": True})


def subscription_deleted(*, subscription, reference):
    return event("customer.subscription.deleted", {
        "id": subscription, "object": "subscription", "customer": "cus_test_1", "status": "canceled",
        "metadata": {"donation": reference},
    })  # fmt: skip
