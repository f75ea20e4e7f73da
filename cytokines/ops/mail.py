"""All e-mail goes through a queue in the database (django-mailer); a worker sends it.

Why a queue: a request must never wait for a mail server (a hung one held sign-ups for 30 s), and a
message must be written in the same transaction as the record it belongs to, so it can neither be lost
(record committed, mail not) nor sent for a record that was rolled back. django-mailer claims each
message with a row lock and deletes it in the transaction that sends it, so two workers (even on two
hosts) never send one message twice; a failure defers only that message, and the others still go.
"""

import hashlib
import logging
from email.utils import make_msgid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from mailer import engine
from mailer.models import (
    PRIORITY_HIGH,
    PRIORITY_LOW,
    PRIORITY_MEDIUM,
    RESULT_FAILURE,
    RESULT_SUCCESS,
    Message,
    MessageLog,
)

log = logging.getLogger(__name__)

# Receipts and confirmation links first, digests next, newsletters (thousands at once) last.
URGENT, NORMAL, BULK = PRIORITY_HIGH, PRIORITY_MEDIUM, PRIORITY_LOW
RETRY_CAP_SECONDS = 12 * 60 * 60


def mail_queue(message, *, priority=NORMAL, purpose="service"):
    """Queue ``message`` (an EmailMessage) in the caller's transaction; return its Message-ID."""
    return mail_queue_many([message], priority=priority, purpose=purpose)[0]


def _drop_suppressed(messages, purpose):
    """Remove recipients on the suppression list (``MAIL_RECIPIENT_FILTER``); return the messages left."""
    blocked_of = import_string(settings.MAIL_RECIPIENT_FILTER) if settings.MAIL_RECIPIENT_FILTER else None
    everyone = {a for m in messages for a in (*m.to, *m.cc, *m.bcc) if a}
    blocked = {a.lower() for a in blocked_of(sorted(everyone), purpose=purpose)} if blocked_of and everyone else set()
    kept = []
    for message in messages:
        for field in ("to", "cc", "bcc"):  # an erased donor's donation has an empty address: nobody to send to
            setattr(message, field, [a for a in getattr(message, field) if a and a.lower() not in blocked])
        if message.recipients():
            kept.append(message)
        else:  # the log names no address (it is the one that must not appear anywhere)
            log.info("Mail %s not queued: its recipient is suppressed", message.extra_headers["Message-ID"])
    return kept


def mail_queue_many(messages, *, priority=NORMAL, purpose="service"):
    """Queue several messages with one insert; return their Message-IDs in order.

    ``purpose`` is "newsletter" for newsletter mail, which the suppression list stops for more reasons
    (unsubscribed, bounced, complained) than other mail (erased only). A message whose every recipient is
    suppressed is not stored; its Message-ID is still returned, so callers need no special case.
    """
    for message in messages:
        message.connection = None  # a connection cannot be stored; the worker opens its own
        message.extra_headers.setdefault("Message-ID", make_msgid(domain="cytokine-portal"))
    rows = []
    for message in _drop_suppressed(messages, purpose):
        row = Message(priority=priority)
        row.email = message
        rows.append(row)
    Message.objects.bulk_create(rows)
    return [m.extra_headers["Message-ID"] for m in messages]


def defer_on_failure(connection, message, exc):
    """django-mailer error handler: any failure defers this one message; the run goes on with the next.

    The log line names the queue row and the error, never the address (it is personal data).
    """
    message.defer()
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=type(exc).__name__)
    log.warning("Mail %s deferred after %s; it is retried later", message.pk, type(exc).__name__)
    return None, "deferred"  # None: open a fresh connection for the next message


def retry_delay_seconds(retry_count):
    return min(settings.MAIL_RETRY_FIRST_DELAY_SECONDS * 2**retry_count, RETRY_CAP_SECONDS)


def mail_requeue_due(*, now=None):
    """Put deferred messages back in the queue once their back-off has passed; return how many."""
    now = now or timezone.now()
    deferred = list(Message.objects.deferred().filter(retry_count__lt=settings.MAILER_EMAIL_MAX_RETRIES))
    ids = {m.pk: (m.email.extra_headers.get("Message-ID") if m.email else None) for m in deferred}
    last_failure = dict(
        MessageLog.objects.filter(message_id__in=[i for i in ids.values() if i], result=RESULT_FAILURE)
        .values("message_id")
        .annotate(last=Max("when_attempted"))
        .values_list("message_id", "last")
    )
    due = [
        m.pk
        for m in deferred
        if (now - last_failure.get(ids[m.pk], m.when_added)).total_seconds() >= retry_delay_seconds(m.retry_count)
    ]
    for message in Message.objects.filter(pk__in=due):
        message.priority = NORMAL
        message.retry_count += 1
        message.save(update_fields=["priority", "retry_count"])
    return len(due)


def mail_send_queued():
    """One pass of the worker: requeue what is due, send everything queued. Returns (sent, deferred)."""
    started = timezone.now()
    mail_requeue_due(now=started)
    engine.send_all()
    results = MessageLog.objects.filter(when_attempted__gte=started)
    return results.filter(result=RESULT_SUCCESS).count(), results.filter(result=RESULT_FAILURE).count()


def mail_queue_stats():
    """Queued, deferred (being retried) and given up (retries exhausted) message counts."""
    return {
        "queued": Message.objects.non_deferred().count(),
        "retrying": Message.objects.deferred().filter(retry_count__lt=settings.MAILER_EMAIL_MAX_RETRIES).count(),
        "given_up": Message.objects.deferred().filter(retry_count__gte=settings.MAILER_EMAIL_MAX_RETRIES).count(),
    }


def mail_recipient_allowed(address, *, kind):
    """Count one unrequested-by-login e-mail of ``kind`` to ``address``; False past the daily limit.

    Confirmation and pledge e-mails can be triggered by anyone for any address; this stops the portal
    from being used to flood one inbox. The key is a hash, so the cache holds no address.
    """
    day = timezone.now().strftime("%Y%m%d")
    digest = hashlib.sha256(f"{kind}:{address.lower()}".encode()).hexdigest()[:32]
    key = f"mail-recipient:{digest}:{day}"
    try:
        cache.add(key, 0, timeout=60 * 60 * 24)
        count = cache.incr(key)
    except Exception:  # a cache outage must not stop a sign-up; the per-client rate limit still applies
        log.warning("Per-recipient mail limit unavailable (cache error); allowing the e-mail")
        return True
    return count <= settings.MAIL_PER_RECIPIENT_DAILY_LIMIT
