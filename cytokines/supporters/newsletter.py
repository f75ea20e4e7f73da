"""Newsletter sign-up with double opt-in, confirmation and one-click unsubscribe. Issues: ``newsletter_issues``."""

import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cytokines.content import site_reads
from cytokines.ops.mail import URGENT, mail_queue, mail_recipient_allowed
from cytokines.supporters import suppression
from cytokines.supporters.consent import consent_record_confirmation
from cytokines.supporters.models import Subscriber, normalize_email

log = logging.getLogger(__name__)

CONFIRM_SALT = "newsletter-confirm"
UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3  # three days to click the link
CONFIRM_TEMPLATE = "cytokines/email/newsletter_confirm.txt"


def subscriber_sign_up(*, email, name="", zip_code="", interests=(), base_url, consent_text=None, language="en"):
    """Record a sign-up and e-mail a confirmation link. Says nothing about whether the address was known.

    ``consent_text`` is the version of the wording the reader ticked; it is recorded when they confirm.
    ``language`` is the one the form was read in: this e-mail and every later one is written in it.
    """
    email = normalize_email(email)
    now = timezone.now()
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
            if subscriber is None:
                subscriber = Subscriber.objects.create(
                    email=email, name=name, zip_code=zip_code, interests=list(interests), consent_at=now,
                    consent_text=consent_text, language=language,
                )
            elif subscriber.status == Subscriber.Status.SUPPRESSED:
                pass  # the mail service reported this address as bouncing or complaining: mail it no more
            elif subscriber.status != Subscriber.Status.CONFIRMED:
                # Someone asked again: renew consent and resend; never overwrite details of a confirmed reader.
                subscriber.status = Subscriber.Status.PENDING
                subscriber.consent_at = now
                subscriber.consent_text = consent_text or subscriber.consent_text
                subscriber.name = name or subscriber.name
                subscriber.zip_code = zip_code or subscriber.zip_code
                subscriber.interests = list(interests) or subscriber.interests
                subscriber.language = language  # the wording they ticked now is in this language
                subscriber.save()
            _send_sign_up_mail(subscriber, base_url)  # queued in the same transaction as the sign-up
    except IntegrityError:
        with transaction.atomic():
            subscriber = Subscriber.objects.get(email=email)
            _send_sign_up_mail(subscriber, base_url)
    return subscriber


def _send_sign_up_mail(subscriber, base_url):
    if subscriber.status == Subscriber.Status.SUPPRESSED:
        return
    with translation.override(subscriber.language):
        if subscriber.status == Subscriber.Status.CONFIRMED:
            _send(subscriber, gettext("You are already subscribed"), "cytokines/email/newsletter_already.txt", base_url)
        else:
            _send(subscriber, gettext("Please confirm your subscription"), CONFIRM_TEMPLATE, base_url)


def _consent_digest(subscriber):
    return hashlib.sha256(subscriber.consent_at.isoformat().encode()).hexdigest()[:12]


def confirm_token(subscriber):
    # Opaque (the subscriber's random token, never the address) and bound to this request for consent:
    # after an unsubscribe, or a newer sign-up, an old link is void.
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscriber.token}.{_consent_digest(subscriber)}")


def unsubscribe_token(subscriber):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.token)


def _subscriber_from(token):
    subscriber = Subscriber.objects.filter(token=token).first() if token else None
    if subscriber is None:
        raise signing.BadSignature("unknown subscriber")
    return subscriber


def subscriber_confirm(token):
    """Confirm the subscription named by a signed, unexpired token; raise BadSignature otherwise."""
    key, _, consent = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE).partition(".")
    with transaction.atomic():
        subscriber = _subscriber_from(key)
        if subscriber.status in (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.SUPPRESSED) or (
            consent != _consent_digest(subscriber)
        ):
            raise signing.BadSignature("this link was replaced or the reader unsubscribed since")
        if subscriber.status != Subscriber.Status.CONFIRMED:
            subscriber.status = Subscriber.Status.CONFIRMED
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save()
            consent_record_confirmation(subscriber)
            suppression.lift_newsletter_suppression(subscriber.email)  # they asked for it again, and confirmed
    return subscriber


def subscriber_unsubscribe(token):
    key = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    with transaction.atomic():
        subscriber = _subscriber_from(key)
        if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save()
        suppression.suppress(subscriber.email, suppression.Reason.UNSUBSCRIBED)
    return subscriber


def unsubscribe_url(subscriber, base_url):
    return base_url + reverse("cytokines:newsletter-unsubscribe", args=[unsubscribe_token(subscriber)])


def _send(subscriber, subject, template, base_url):
    """Queue a sign-up e-mail, at most a few a day per address whoever asks (no inbox flooding)."""
    if not mail_recipient_allowed(subscriber.email, kind="newsletter-sign-up"):
        log.info("Sign-up e-mail for subscriber %s not sent: daily per-address limit reached", subscriber.pk)
        return False
    context = {
        "portal": site_reads.portal_values(),
        "confirm_url": base_url + reverse("cytokines:newsletter-confirm", args=[confirm_token(subscriber)]),
        "unsubscribe_url": unsubscribe_url(subscriber, base_url),
    }
    message = EmailMessage(
        subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, [subscriber.email]
    )
    mail_queue(message, priority=URGENT)
    return True
