import io
import json
import time
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from cytokines.models import Donation
from cytokines.supporters import payments

pytestmark = pytest.mark.django_db
SECRET = "test-webhook-secret"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.PAYMENT_WEBHOOK_SECRET = SECRET


def donation_data(**overrides):
    data = {
        "preset_amount": "other",
        "other_amount": "20",
        "frequency": "one_time",
        "donor_name": "Maria Lopez",
        "email": "Maria@Example.org",
        "dedication": "",
        "dedication_name": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_donation_page_offers_presets_and_the_tax_notice(client):
    html = client.get(reverse("cytokines:donate")).content.decode()
    for amount in ("$25", "$50", "$100", "$250", "Other amount"):
        assert amount in html
    assert "tax-deductible" in html and "minimum gift is $5" in html


def test_a_pledge_is_recorded_and_the_donor_thanked_with_a_reference(client, deliver_mail):
    response = client.post(reverse("cytokines:donate"), donation_data(frequency="monthly", consent_to_contact="on"))
    donation = Donation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/donate/thanks/{donation.reference}/"
    assert (donation.amount, donation.frequency, donation.status) == (Decimal("20.00"), "monthly", "pending")
    assert donation.email == "maria@example.org" and donation.consent_to_contact
    thanks = client.get(response["Location"]).content.decode()
    assert donation.reference in thanks
    outbox = deliver_mail()
    assert outbox[0].to == ["maria@example.org"] and donation.reference in outbox[0].body


def test_preset_amount_and_dedication(client):
    client.post(
        reverse("cytokines:donate"),
        donation_data(preset_amount="100", other_amount="", dedication="memory", dedication_name="Ana Lopez"),
    )
    donation = Donation.objects.get()
    assert (donation.amount, donation.dedication, donation.dedication_name) == (Decimal("100"), "memory", "Ana Lopez")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"other_amount": "4.99"}, "other_amount", "The amount must be greater than or equal to $5"),
        ({"other_amount": "0"}, "other_amount", "The amount must be greater than or equal to $5"),
        ({"other_amount": "-5"}, "other_amount", "The amount must be greater than or equal to $5"),
        ({"other_amount": "abc"}, "other_amount", "Enter the amount in dollars and cents"),
        ({"other_amount": "1e12"}, "other_amount", "Enter the amount in dollars and cents"),
        ({"other_amount": "1000000"}, "other_amount", "please call us"),
        ({"other_amount": "NaN"}, "other_amount", "Enter the amount in dollars and cents"),
        ({"other_amount": "5.001"}, "other_amount", "two digits"),
        ({"other_amount": ""}, "other_amount", "Enter an amount"),
        ({"preset_amount": "30"}, "preset_amount", "Select a valid choice"),
        ({"donor_name": "<script>alert(1)</script>" * 20}, "donor_name", "at most 150 characters"),
        ({"donor_name": ""}, "donor_name", "This field is required"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"dedication": "honour", "dedication_name": ""}, "dedication_name", "Please give the name"),
        ({"idempotency_key": "forged"}, "idempotency_key", "Enter a valid UUID"),
    ],
)
def test_bad_donations_get_a_clear_message_next_to_the_field_and_write_nothing(client, overrides, field, message):
    response = client.post(reverse("cytokines:donate"), donation_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert f'id="id_{field}-errors"' in response.content.decode() or field == "idempotency_key"
    assert not Donation.objects.exists()
    assert mail.outbox == []


def test_a_script_tag_in_the_name_is_stored_as_text_and_escaped(client):
    response = client.post(reverse("cytokines:donate"), donation_data(donor_name="<script>alert(1)</script>"))
    donation = Donation.objects.get()
    assert donation.donor_name == "<script>alert(1)</script>"
    assert "<script>alert(1)" not in client.get(response["Location"]).content.decode()


def test_double_submission_creates_one_donation(client):
    data = donation_data()
    first = client.post(reverse("cytokines:donate"), data)
    second = client.post(reverse("cytokines:donate"), data)
    assert Donation.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_database_refuses_out_of_range_amounts_even_past_the_form():
    for amount in ("4.99", "25000.01"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Donation.objects.create(amount=Decimal(amount), donor_name="X", email="x@example.org", provider="t")


def test_honeypot_submissions_are_dropped(client):
    client.post(reverse("cytokines:donate"), donation_data(website="http://spam.example"))
    assert not Donation.objects.exists()


def test_donations_need_csrf():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("cytokines:donate"), donation_data()).status_code == 403
    assert not Donation.objects.exists()


def test_donation_form_is_rate_limited_per_client(client):
    statuses = [client.post(reverse("cytokines:donate"), donation_data()).status_code for _ in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    assert Donation.objects.count() == 10
    other_client = Client(REMOTE_ADDR="10.9.8.7")
    assert other_client.post(reverse("cytokines:donate"), donation_data()).status_code == 302


# --- webhook -----------------------------------------------------------------------------------


def webhook(client, payload, *, secret=SECRET, timestamp=None, signature=None):
    body = json.dumps(payload).encode()
    header = signature if signature is not None else payments.sign(body, secret, timestamp)
    return client.post(
        reverse("cytokines:payment-webhook"), body, content_type="application/json", HTTP_X_PORTAL_SIGNATURE=header
    )


@pytest.fixture
def pledge(client):
    client.post(reverse("cytokines:donate"), donation_data(other_amount="35.50"))
    return Donation.objects.get()


def paid_event(donation, **overrides):
    return {"event": "donation.paid", "reference": donation.reference, "amount": str(donation.amount), "id": "pi_1",
            **overrides}  # fmt: skip


def test_a_signed_webhook_marks_the_donation_paid_and_sends_a_receipt(client, pledge, deliver_mail):
    response = webhook(client, paid_event(pledge))
    assert response.status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == Donation.Status.PAID and pledge.paid_at and pledge.provider_payment == "pi_1"
    assert "receipt" in deliver_mail()[-1].subject.lower()


@pytest.mark.parametrize(
    "attack",
    [
        {"secret": "wrong-secret"},
        {"signature": ""},
        {"signature": "t=123,v1=deadbeef"},
        {"signature": "garbage"},
        {"timestamp": time.time() - 3600},  # a captured request replayed an hour later
    ],
)
def test_badly_signed_or_replayed_webhooks_change_nothing(client, pledge, attack):
    response = webhook(client, paid_event(pledge), **attack)
    assert response.status_code == 400
    pledge.refresh_from_db()
    assert pledge.status == Donation.Status.PENDING


def test_a_webhook_with_the_wrong_amount_or_reference_changes_nothing(client, pledge):
    assert webhook(client, paid_event(pledge, amount="5.00")).status_code == 400
    assert webhook(client, paid_event(pledge, reference="CP-NOPE")).status_code == 400
    assert webhook(client, {"event": "something.else"}).status_code == 400
    pledge.refresh_from_db()
    assert pledge.status == Donation.Status.PENDING


def test_a_retried_webhook_is_applied_once(client, pledge, deliver_mail):
    webhook(client, paid_event(pledge))
    first_paid_at = Donation.objects.get().paid_at
    response = webhook(client, paid_event(pledge))
    assert response.content == b"already applied"
    assert Donation.objects.get().paid_at == first_paid_at
    assert sum("receipt" in m.subject.lower() for m in deliver_mail()) == 1


def test_webhook_without_a_configured_secret_refuses_everything(client, pledge, settings):
    settings.PAYMENT_WEBHOOK_SECRET = ""
    assert webhook(client, paid_event(pledge), secret="").status_code == 400


def test_a_mail_outage_still_shows_the_donor_their_reference(client, settings):
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    response = client.post(reverse("cytokines:donate"), donation_data())
    assert response.status_code == 302 and Donation.objects.count() == 1


def test_e_mails_that_failed_are_sent_later_by_send_pending_mail(client, settings):
    from django.core.management import CommandError, call_command

    from cytokines.ops import mail as mail_queue

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    client.post(reverse("cytokines:donate"), donation_data())
    client.post(reverse("cytokines:newsletter"), {"email": "late@example.org", "consent": "on"})
    with pytest.raises(CommandError, match="mail server down"):  # cron sees a non-zero exit
        call_command("send_pending_mail", stdout=io.StringIO())
    assert mail.outbox == [] and mail_queue.mail_queue_stats()["retrying"] == 2

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    settings.MAIL_RETRY_FIRST_DELAY_SECONDS = 0  # (the back-off has passed)
    call_command("send_pending_mail", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["late@example.org", "maria@example.org"]
    call_command("send_pending_mail", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # nothing is sent twice
