import re

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Subscriber
from cytokines.ops.mail import mail_send_queued
from cytokines.supporters import newsletter

pytestmark = pytest.mark.django_db


def sign_up(client, **overrides):
    data = {"email": "Reader@Example.org", "name": "Sam", "zip_code": "02139", "interests": ["interferons"],
            "consent": "on"}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("cytokines:newsletter"), data)


def sent():
    """Run the mail queue (sign-ups only queue their e-mails) and return everything sent so far."""
    mail_send_queued()
    return mail.outbox


def link_in(message, name):
    return re.search(rf"(http://testserver/newsletter/{name}/[^\s]+/)", message.body).group(1)


def test_sign_up_stores_a_pending_subscriber_and_mails_a_confirmation_link(client):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("cytokines:newsletter-check-inbox")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.zip_code) == ("reader@example.org", "pending", "02139")
    assert subscriber.interests == ["interferons"]
    assert "/newsletter/confirm/" in sent()[0].body


def test_the_link_confirms_the_subscription(client):
    sign_up(client)
    response = client.get(link_in(sent()[0], "confirm"))
    assert response.status_code == 200 and "You are subscribed" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_tampered_token_is_refused(client):
    sign_up(client)
    link = link_in(sent()[0], "confirm")
    tampered = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]
    assert client.get(tampered).status_code == 400
    forged = newsletter.signing.TimestampSigner(salt="other").sign_object({"id": 1, "email": "reader@example.org"})
    assert client.get(reverse("cytokines:newsletter-confirm", args=[forged])).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_an_expired_token_is_refused(client, monkeypatch):
    sign_up(client)
    link = link_in(sent()[0], "confirm")
    later = timezone.now().timestamp() + newsletter.CONFIRM_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_answer_is_the_same_for_new_and_known_addresses(client):
    first = sign_up(client)
    client.get(link_in(sent()[0], "confirm"))
    again = sign_up(client, email="READER@example.org ", name="Someone else")
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().name == "Sam"  # a confirmed reader's details are not overwritten
    assert "already subscribed" in sent()[-1].body


def test_email_is_unique_whatever_its_case_in_the_database():
    Subscriber.objects.create(email="a@example.org", consent_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.bulk_create([Subscriber(email="A@EXAMPLE.ORG", consent_at=timezone.now())])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an e-mail address"),
        ({"email": "a@b"}, "email", "Enter an e-mail address"),
        ({"email": ""}, "email", "required"),
        ({"email": "x" * 250 + "@example.org"}, "email", "at most 254"),
        ({"consent": ""}, "consent", "Please tick the box"),
        ({"zip_code": "ABCDE"}, "zip_code", "US ZIP code"),
        ({"name": "<script>" * 30}, "name", "at most 150"),
        ({"interests": ["spam"]}, "interests", "Select a valid choice"),
    ],
)
def test_bad_sign_ups_get_a_message_next_to_the_field_and_write_nothing(client, overrides, field, message):
    response = sign_up(client, **overrides)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_honeypot_sign_ups_look_accepted_but_store_nothing(client):
    response = sign_up(client, website="bot-filled")
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_sign_up_needs_csrf():
    assert sign_up(Client(enforce_csrf_checks=True)).status_code == 403
    assert not Subscriber.objects.exists()


def test_sign_up_is_rate_limited(client):
    statuses = [sign_up(client, email=f"r{i}@example.org").status_code for i in range(12)]
    assert statuses.count(429) == 2
    assert Subscriber.objects.count() == 10


def confirmed_subscriber(client, email="reader@example.org"):
    sign_up(client, email=email)
    client.get(link_in(sent()[-1], "confirm"))
    return Subscriber.objects.get(email=email)


def test_a_forged_unsubscribe_token_changes_nothing(client):
    subscriber = confirmed_subscriber(client)
    forged = signing.Signer(salt="wrong").sign_object({"id": subscriber.pk, "email": subscriber.email})
    assert client.post(reverse("cytokines:newsletter-unsubscribe", args=[forged])).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_mail_outage_does_not_turn_a_stored_sign_up_into_an_error_page(client, settings):
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    response = sign_up(client)
    assert response.status_code == 302
    assert Subscriber.objects.get().email == "reader@example.org"
    assert mail_send_queued() == (0, 1) and mail.outbox == []  # deferred, kept for a retry


def test_confirm_and_unsubscribe_links_do_not_carry_the_address(client):
    import base64

    sign_up(client)
    subscriber = Subscriber.objects.get()
    links = [link_in(sent()[0], "confirm"), newsletter.unsubscribe_url(subscriber, "http://testserver")]
    for link in links:
        assert "reader" not in link.lower() and "%40" not in link
        for part in link.rstrip("/").rsplit("/", 1)[1].split(":"):  # every piece of the signed value
            decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
            assert b"reader" not in decoded.lower() and b"example.org" not in decoded.lower()
    assert client.get(links[0]).status_code == 200  # and they still work
    assert client.post(links[1]).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
