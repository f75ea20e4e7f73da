"""Gifts through Stripe Checkout, end to end against the local stub: form, hosted page, webhooks, receipts."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from cytokines.models import Donation, MonthlyGift, PaymentEvent

from . import stripe_events as events

pytestmark = pytest.mark.django_db


def give(client, amount="20", frequency="one_time", key=None):
    return client.post(reverse("cytokines:donate"), {
        "preset_amount": "other", "other_amount": amount, "frequency": frequency, "donor_name": "Maria Lopez",
        "email": "maria@example.org", "idempotency_key": key or str(uuid.uuid4()),
    })  # fmt: skip


def receipts(outbox):
    return [m for m in outbox if "receipt" in m.subject.lower()]


def test_a_one_off_gift_goes_from_the_form_to_paid_with_one_receipt(client, stripe_stub, deliver_mail):
    response = give(client, "35.50")
    donation = Donation.objects.get()
    session = donation.provider_reference
    assert response.status_code == 302 and response["Location"] == f"https://checkout.stripe.com/c/pay/{session}"
    (_, _, params, headers), = stripe_stub.calls("/v1/checkout/sessions")
    assert params["mode"] == "payment" and params["line_items[0][price_data][unit_amount]"] == "3550"
    assert params["client_reference_id"] == donation.reference and params["submit_type"] == "donate"
    assert headers["Idempotency-Key"] == f"checkout-{donation.idempotency_key}"
    assert deliver_mail() == []  # Stripe confirms the payment; nothing is mailed before it is paid

    completed = events.checkout_completed(donation, session=session)
    assert events.post(client, completed).content == b"ok"
    assert events.post(client, completed).content == b"already applied"  # Stripe redelivers: applied once
    donation.refresh_from_db()
    assert donation.status == "paid" and donation.provider_payment == f"pi_test_{donation.reference}"
    (receipt,) = receipts(deliver_mail())
    assert receipt.to == ["maria@example.org"] and "$35.50" in receipt.body and "One-time gift" in receipt.body
    assert "501(c)(3)" in receipt.body and "No goods or services" in receipt.body and "EIN" in receipt.body

    thanks = client.get(reverse("cytokines:donate-thanks", args=[donation.reference])).content.decode()
    assert "We have received your gift" in thanks


def test_a_monthly_gift_is_paid_renewed_refunded_and_cancelled(client, stripe_stub, deliver_mail):
    give(client, "25", frequency="monthly")
    first = Donation.objects.get()
    (_, _, params, _), = stripe_stub.calls("/v1/checkout/sessions")
    assert params["mode"] == "subscription" and params["line_items[0][price_data][recurring][interval]"] == "month"
    assert params["subscription_data[metadata][donation]"] == first.reference

    # Stripe may send the first invoice before the completed checkout; either order gives one paid gift.
    first_invoice = events.invoice("invoice.paid", invoice_id="in_first", subscription="sub_1",
                                   reference=first.reference, amount_cents=2500, reason="subscription_create")
    assert events.post(client, first_invoice).status_code == 200
    assert events.post(client, events.checkout_completed(first, session=first.provider_reference,
                                                         subscription="sub_1")).status_code == 200
    gift = MonthlyGift.objects.get()
    first.refresh_from_db()
    assert (first.status, first.monthly_gift, gift.provider_subscription) == ("paid", gift, "sub_1")
    assert first.provider_payment == "pi_for_in_first"  # asked of the stub's recorded invoice payments
    (first_receipt,) = receipts(deliver_mail())
    assert "Monthly gift (first payment)" in first_receipt.body and "/donate/monthly/" in first_receipt.body

    renewal_event = events.invoice("invoice.paid", invoice_id="in_2", subscription="sub_1",
                                   reference=first.reference, amount_cents=2500, reason="subscription_cycle")
    events.post(client, renewal_event)
    events.post(client, renewal_event)  # redelivered
    renewal = Donation.objects.get(provider_invoice="in_2")
    assert (renewal.status, renewal.monthly_gift, renewal.amount) == ("paid", gift, Decimal("25.00"))
    assert renewal.reference != first.reference and Donation.objects.count() == 2
    all_receipts = receipts(deliver_mail())
    assert len(all_receipts) == 2 and "Monthly gift (renewal)" in all_receipts[1].body

    failed = events.invoice("invoice.payment_failed", invoice_id="in_3", subscription="sub_1",
                            reference=first.reference, amount_cents=2500, reason="subscription_cycle")
    events.post(client, failed)
    assert Donation.objects.get(provider_invoice="in_3").status == "failed"

    events.post(client, events.charge("charge.refunded", payment_intent=renewal.provider_payment, amount_cents=2500))
    events.post(client, events.charge("charge.dispute.created", payment_intent=first.provider_payment,
                                      amount_cents=2500))
    renewal.refresh_from_db()
    first.refresh_from_db()
    assert (renewal.status, first.status) == ("refunded", "disputed")

    events.post(client, events.subscription_deleted(subscription="sub_1", reference=first.reference))
    gift.refresh_from_db()
    assert gift.status == "cancelled" and gift.cancelled_at
    assert len(receipts(deliver_mail())) == 2  # failures, refunds and cancellations send no receipt
    timeline = list(PaymentEvent.objects.filter(donation=first).values_list("kind", flat=True))
    assert timeline[:2] == ["invoice.paid", "checkout.session.completed"] and timeline[-1] == (
        "customer.subscription.deleted")  # fmt: skip


def test_the_receipt_link_opens_stripes_customer_portal(client, stripe_stub, deliver_mail):
    give(client, "25", frequency="monthly")
    first = Donation.objects.get()
    events.post(client, events.checkout_completed(first, session="cs_1", subscription="sub_9", customer="cus_9"))
    link = receipts(deliver_mail())[0].body.split("(do not share it):\n", 1)[1].split()[0]
    path = link.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200 and "Change or stop my monthly gift" in page.content.decode()
    response = client.post(path, {"action": "portal"})
    assert response.status_code == 302 and response["Location"].startswith("https://billing.stripe.com/")
    (_, _, params, _), = stripe_stub.calls("/v1/billing_portal/sessions")
    assert params["customer"] == "cus_9" and params["return_url"].endswith(path)
    assert client.get(path[:-5] + "XXXX/").status_code == 400  # a tampered link is refused


@pytest.mark.parametrize("failure", ["api_error", "invalid_request", "hang"])
def test_provider_errors_and_timeouts_keep_the_donation_pending_with_a_clear_message(client, stripe_stub, failure):
    stripe_stub.fail_next(failure, seconds=3)  # longer than the client's 2 s timeout
    key = str(uuid.uuid4())
    response = give(client, "50", key=key)
    donation = Donation.objects.get()
    assert response.status_code == 503 and donation.status == "pending"
    html = response.content.decode()
    assert "nothing has been charged" in html and donation.reference in html
    # Pressing the button again (same form, same key) reaches Stripe with the same idempotency key.
    retry = give(client, "50", key=key)
    assert retry.status_code == 302 and Donation.objects.count() == 1
    keys = {r[3].get("Idempotency-Key") for r in stripe_stub.calls("/v1/checkout/sessions")}
    assert keys == {f"checkout-{key}"}


@pytest.mark.parametrize(
    "header",
    ["", "t=1,v1=deadbeef", "garbage", None],
)
def test_unsigned_or_wrongly_signed_stripe_webhooks_change_nothing(client, stripe_stub, header):
    give(client, "20")
    donation = Donation.objects.get()
    payload = events.checkout_completed(donation, session="cs_1")
    response = events.post(client, payload, header=header, secret="whsec_wrong")
    assert response.status_code == 400
    donation.refresh_from_db()
    assert donation.status == "pending" and not PaymentEvent.objects.exists()


def test_a_stripe_webhook_with_another_amount_changes_nothing(client, stripe_stub):
    give(client, "20")
    donation = Donation.objects.get()
    response = events.post(client, events.checkout_completed(donation, session="cs_1", amount_cents=500))
    assert response.status_code == 400
    donation.refresh_from_db()
    assert donation.status == "pending" and not PaymentEvent.objects.exists()
