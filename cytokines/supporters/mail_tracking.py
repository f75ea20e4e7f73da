"""Bounces and complaints from the e-mail service, through django-anymail's tracking webhooks.

anymail verifies the webhook (basic auth with ANYMAIL["WEBHOOK_SECRET"]; some services also sign) and
sends its ``tracking`` signal; this receiver is the only reader. Without a configured secret anymail
would accept anyone's request, so events are then ignored: a stranger must not be able to unsubscribe
readers by posting fake bounces.
"""

import logging

from anymail.signals import tracking
from django.conf import settings
from django.dispatch import receiver

from cytokines.supporters.newsletter_issues import subscriber_suppress_from_tracking

log = logging.getLogger(__name__)


@receiver(tracking, dispatch_uid="cytokines-suppress-bounces")
def suppress_bounced_addresses(sender, event, esp_name, **kwargs):
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        log.warning("Ignored a %s tracking event from %s: ANYMAIL WEBHOOK_SECRET is not set", event.event_type,
                    esp_name)  # fmt: skip
        return
    subscriber = subscriber_suppress_from_tracking(
        event_type=event.event_type, recipient=event.recipient, description=event.description or ""
    )
    if subscriber is not None:
        log.info("Subscriber %s suppressed after a %s report from %s", subscriber.pk, event.event_type, esp_name)
