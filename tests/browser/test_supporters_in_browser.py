import json
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cytokines.models import Donation, MonthlyGift
from cytokines.ops.mail import mail_send_queued
from cytokines.supporters import payments

from .conftest import PHONE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_donor_stops_a_monthly_gift_from_the_link_in_the_receipt(live_server, page_at, settings):
    settings.PAYMENT_WEBHOOK_SECRET = "secret"
    client = Client()
    client.post(reverse("cytokines:donate"), {
        "preset_amount": "50", "frequency": "monthly", "donor_name": "Pat Lee", "email": "pat@example.org",
        "idempotency_key": str(uuid.uuid4()),
    })  # fmt: skip
    pledge = Donation.objects.get()
    body = json.dumps({"event": "donation.paid", "reference": pledge.reference, "amount": "50.00"}).encode()
    client.post(reverse("cytokines:payment-webhook"), body, content_type="application/json",
                HTTP_X_PORTAL_SIGNATURE=payments.sign(body, "secret"))  # fmt: skip
    mail_send_queued()
    receipt = next(m for m in mail.outbox if "receipt" in m.subject.lower())
    path = receipt.body.split("(do not share it):\n", 1)[1].split()[0].split("testserver", 1)[1]

    page = page_at(PHONE, enforce_csp=True)
    page.goto(live_server.url + path)
    assert "$50.00 a month" in page.locator("main").inner_text()
    page.get_by_role("button", name="Stop my monthly gift").click()
    page.wait_for_load_state()
    assert "This monthly gift was stopped" in page.locator("main").inner_text()
    assert MonthlyGift.objects.get().status == MonthlyGift.Status.CANCELLED
    page = page_at(PHONE)
    page.goto(live_server.url + path)
    assert axe_violations(page) == []
