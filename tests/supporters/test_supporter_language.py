"""Forms, messages and e-mails in the reader's language: a Spanish sign-up or gift is answered in Spanish,
and so is every later e-mail to that person."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from cytokines.models import ConsentText, Donation, Subscriber
from cytokines.ops.mail import mail_send_queued
from cytokines.supporters import newsletter_issues as issues
from cytokines.supporters.issue_models import NewsletterIssue

from .test_donations import donation_data, paid_event, webhook
from .test_newsletter import sign_up

pytestmark = pytest.mark.django_db


def sent():
    mail_send_queued()
    return mail.outbox


def spanish_sign_up(client, **overrides):
    data = {"email": "lucia@example.org", "name": "Lucía", "zip_code": "", "consent": "on", **overrides}
    return client.post("/es/newsletter/", data)


def test_the_spanish_form_is_in_spanish_and_its_errors_too(client):
    page = client.get("/es/newsletter/").content.decode()
    assert "Suscríbase a nuestro boletín" in page and "Correo electrónico" in page
    assert "Acepto recibir el boletín por correo electrónico" in page  # the consent wording readers tick
    response = spanish_sign_up(client, email="not-an-address", consent="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Escriba un correo electrónico como nombre@ejemplo.com." in html
    assert "Marque la casilla para aceptar recibir el boletín." in html
    assert not Subscriber.objects.exists()


def test_a_spanish_subscriber_gets_every_e_mail_in_spanish(client):
    response = spanish_sign_up(client)
    assert response["Location"] == "/es/newsletter/check-your-inbox/"
    assert "Revise su bandeja de entrada" in client.get(response["Location"]).content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "es"
    assert subscriber.consent_text.language == "es"
    confirmation = sent()[0]
    assert confirmation.subject == "Confirme su suscripción"
    assert "Confirme que desea recibir el boletín de" in confirmation.body and "Hello" not in confirmation.body
    link = re.search(r"(http://testserver/es/newsletter/confirm/[^\s]+/)", confirmation.body).group(1)
    assert "Ya está suscrito" in client.get(link).content.decode()
    # A later e-mail: signing up again while subscribed.
    spanish_sign_up(client)
    again = sent()[-1]
    assert again.subject == "Ya está suscrito al boletín"
    assert "Ya está suscrita" in again.body and "/es/newsletter/unsubscribe/" in again.body


def test_an_english_sign_up_stays_in_english(client):
    sign_up(client)
    assert Subscriber.objects.get().language == "en"
    message = sent()[0]
    assert message.subject == "Please confirm your subscription" and "Hello," in message.body


def test_newsletter_issues_go_to_the_subscribers_of_their_language_in_that_language(editors):
    author, approver = editors
    now = timezone.now()
    Subscriber.objects.bulk_create([
        Subscriber(email="ana@example.org", status="confirmed", consent_at=now, confirmed_at=now, language="es"),
        Subscriber(email="ann@example.org", status="confirmed", consent_at=now, confirmed_at=now),
    ])  # fmt: skip
    issue = NewsletterIssue.objects.create(subject="Novedades sobre el interferón", introduction="Hola.",
                                           language="es", created_by=author, last_edited_by=author)  # fmt: skip
    issues.issue_approve(issue=issue, user=approver)
    issues.issue_start_sending(issue=issue, user=author)
    messages = sent()
    assert [m.to for m in messages] == [["ana@example.org"]]
    body = messages[0].body
    assert "Recibe este mensaje porque se suscribió al boletín de" in body
    assert "Cancele la suscripción con un clic: http://testserver/es/newsletter/unsubscribe/" in body
    assert messages[0].extra_headers["List-Unsubscribe"].startswith("<http://testserver/es/newsletter/unsubscribe/")


def test_a_spanish_gift_is_thanked_and_receipted_in_spanish(client, settings):
    settings.PAYMENT_WEBHOOK_SECRET = "test-webhook-secret"
    page = client.get("/es/donate/").content.decode()
    assert "Done para que esta información siga siendo gratuita" in page
    assert 'data-give-once="Donar {sum} una vez"' in page
    bad = client.post("/es/donate/", donation_data(other_amount="2"))
    assert "La cantidad debe ser de $5 o más" in bad.content.decode()
    response = client.post("/es/donate/", donation_data(other_amount="35.50"))
    donation = Donation.objects.get()
    assert donation.language == "es"
    assert response["Location"] == f"/es/donate/thanks/{donation.reference}/"
    thanks = client.get(response["Location"]).content.decode()
    assert "Registramos su compromiso de donación de $35.50 (una sola vez)." in thanks
    pledge = sent()[-1]
    assert pledge.subject == "Gracias por su compromiso de donación" and "Hola:" in pledge.body
    webhook(client, paid_event(donation))
    receipt = sent()[-1]
    assert receipt.subject == f"Su recibo de donación {donation.reference}"
    day = timezone.localdate(Donation.objects.get().paid_at)
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]  # fmt: skip
    assert f"Fecha de recepción: {day.day} de {months[day.month - 1]} de {day.year}" in receipt.body
    assert "Tipo de donación: Donación única" in receipt.body


def test_consent_wording_is_versioned_per_language():
    from cytokines.supporters.consent import consent_text_publish, current_consent_text

    english, spanish = current_consent_text(language="en"), current_consent_text(language="es")
    assert (english.language, spanish.language) == ("en", "es") and spanish.version > english.version
    newer = consent_text_publish(purpose="newsletter", wording="Quiero el boletín mensual.", user=None, language="es")
    assert current_consent_text(language="es") == newer and current_consent_text(language="en") == english
    assert ConsentText.objects.filter(language="es", purpose="newsletter").count() == 2


@pytest.fixture
def editors(make_user):
    return make_user("erin", "Editor"), make_user("ed", "Editor")
