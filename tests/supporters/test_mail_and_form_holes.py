"""The holes found from outside in mail and the supporter forms (reliability and security reviews).

Each test drives only public behaviour (pages, commands, settings), so it also runs against the code
from before the fix, where it fails.
"""

import datetime
import io
import smtplib
import threading
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Article, Donation, Subscriber

from ..factories import ArticleFactory, UserFactory

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
PHISH = "Your account is locked, visit http://evil.example.net now"


def use_backend(settings, path):
    """Point both the direct and the queued transports at ``path`` (whichever the code uses)."""
    settings.EMAIL_BACKEND = settings.MAILER_EMAIL_BACKEND = path


def send_pending_mail():
    try:
        call_command("send_pending_mail", stdout=io.StringIO())
    except Exception:  # a run that could send nothing may exit non-zero; the test checks the outbox
        pass


def donate(client, **overrides):
    data = {"preset_amount": "other", "other_amount": "20", "frequency": "one_time", "donor_name": "Maria Lopez",
            "email": "maria@example.org", "idempotency_key": str(uuid.uuid4())}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("cytokines:donate"), data)


def sign_up(client, **overrides):
    return client.post(reverse("cytokines:newsletter"), {"email": "reader@example.org", "consent": "on", **overrides})


# --- issue 13: reminders and owed mail per recipient ------------------------------------------------------


class RefusesOneAddress(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            if "refused@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"No such user")})
        return super().send_messages(messages)


@pytest.mark.django_db
def test_one_refused_address_does_not_stop_the_other_reminders_and_is_retried(settings):
    use_backend(settings, f"{__name__}.RefusesOneAddress")
    settings.MAIL_RETRY_FIRST_DELAY_SECONDS = 0
    refused, fine = UserFactory(email="refused@example.org"), UserFactory(email="fine@example.org")
    for owner in (refused, fine):
        article = ArticleFactory(owner=owner)
        Article.objects.filter(pk=article.pk).update(next_review_due=timezone.localdate() - datetime.timedelta(days=3))

    call_command("send_review_reminders", stdout=io.StringIO())
    send_pending_mail()
    assert [m.to for m in mail.outbox] == [["fine@example.org"]]

    use_backend(settings, LOCMEM)  # the address works again: the next run delivers the deferred digest
    send_pending_mail()
    assert sorted(m.to[0] for m in mail.outbox) == ["fine@example.org", "refused@example.org"]


class RunsASecondWorkerMidSend(EmailBackend):
    """While the first message is being sent, a second cron run of the mail command starts (another connection)."""

    started = False

    def send_messages(self, messages):
        if not RunsASecondWorkerMidSend.started:
            RunsASecondWorkerMidSend.started = True

            def second_run():
                try:
                    send_pending_mail()
                finally:
                    connection.close()

            worker = threading.Thread(target=second_run)
            worker.start()
            worker.join()
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_overlapping_mail_runs_send_a_pledge_email_once(settings):
    use_backend(settings, f"{__name__}.RunsASecondWorkerMidSend")
    RunsASecondWorkerMidSend.started = False
    assert donate(Client()).status_code == 302
    send_pending_mail()
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


@pytest.mark.django_db
def test_a_replayed_donation_key_with_another_amount_is_refused_never_thanked(client):
    key = str(uuid.uuid4())
    assert donate(client, idempotency_key=key, other_amount="25").status_code == 302
    replay = donate(client, idempotency_key=key, other_amount="500")
    assert replay.status_code == 409
    assert "already sent with different details" in replay.content.decode()
    assert "$25.00" in replay.content.decode()  # says which gift stands
    assert [d.amount for d in Donation.objects.all()] == [25]
    assert donate(client, idempotency_key=key, other_amount="25").status_code == 302  # a true resubmission


# --- issue 22: mail and forms -------------------------------------------------------------------------------


class HungServer(EmailBackend):
    calls = 0

    def send_messages(self, messages):
        HungServer.calls += 1
        raise TimeoutError("the server accepted the connection and never answered")


@pytest.mark.django_db
def test_a_hung_mail_server_is_never_waited_for_in_a_request(client, settings):
    use_backend(settings, f"{__name__}.HungServer")
    HungServer.calls = 0
    assert sign_up(client).status_code == 302
    assert donate(client).status_code == 302
    assert HungServer.calls == 0  # the request only queued the e-mails
    assert 0 < django_settings.EMAIL_TIMEOUT <= 15  # and the worker gives up on a hung server quickly


@pytest.mark.django_db
def test_names_typed_into_the_forms_are_not_relayed_to_unverified_addresses(client):
    sign_up(client, email="victim@example.org", name=PHISH)
    donate(client, email="victim2@example.org", donor_name=PHISH, dedication="memory", dedication_name=PHISH)
    send_pending_mail()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "evil.example" not in message.body and "locked" not in message.body + message.subject


@pytest.mark.django_db
def test_one_address_gets_at_most_three_confirmation_e_mails_a_day(client):
    for i in range(6):  # from six different clients, so the per-client rate limit does not apply
        Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post(
            reverse("cytokines:newsletter"), {"email": "victim@example.org", "consent": "on"}
        )
    send_pending_mail()
    assert 1 <= len(mail.outbox) <= 3


@pytest.mark.django_db
def test_an_old_confirmation_link_does_not_resubscribe_someone_who_unsubscribed(client):
    sign_up(client)
    send_pending_mail()
    confirm = mail.outbox[0].body.split("/newsletter/confirm/", 1)[1].split("/", 1)[0]
    confirm_path = reverse("cytokines:newsletter-confirm", args=[confirm])
    assert client.get(confirm_path).status_code == 200
    sign_up(client)  # asking again brings an "already subscribed" note with the unsubscribe link
    send_pending_mail()
    unsubscribe = mail.outbox[-1].body.split("/newsletter/unsubscribe/", 1)[1].split("/", 1)[0]
    client.post(reverse("cytokines:newsletter-unsubscribe", args=[unsubscribe]))
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    client.get(confirm_path)
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["5,5", "5,50", "1,00", "12,3456"])
def test_an_ambiguous_amount_is_refused_with_a_clear_message(client, amount):
    response = donate(client, other_amount=amount)
    assert response.status_code == 400
    errors = response.context["form"].errors["other_amount"]
    assert len(errors) == 1 and "could not tell what this amount means" in errors[0]
    assert not Donation.objects.exists()


@pytest.mark.django_db
def test_thousands_separators_are_still_understood(client):
    donate(client, other_amount="1,000.50")
    assert Donation.objects.get().amount == 1000.50
