"""Newsletter issues: compose, preview, test, approve (a second Editor), send in batches, report.

Sending is two steps, each safe to interrupt. Queueing: in one transaction per batch, a delivery row
(unique per issue and subscriber) and the e-mail itself are written to the database, so a crash loses
or repeats nothing, and `send_pending_mail` finishes an interrupted issue. Delivery: the mail queue sends
each message once (see ``ops/mail.py``). Only confirmed subscribers get an issue; each message carries
its own one-click unsubscribe link and RFC 8058 headers.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from mailer.models import RESULT_FAILURE, RESULT_SUCCESS, MessageLog

from cytokines.content import site_reads
from cytokines.ops.mail import BULK, URGENT, mail_queue, mail_queue_many
from cytokines.review.rules import EDITOR, user_groups
from cytokines.supporters import suppression
from cytokines.supporters.issue_models import NewsletterDelivery, NewsletterIssue
from cytokines.supporters.models import Subscriber
from cytokines.supporters.newsletter import unsubscribe_url

log = logging.getLogger(__name__)
BATCH_SIZE = 200
Status = NewsletterIssue.Status


def _require_editor(user):
    if EDITOR not in user_groups(user):
        raise PermissionDenied("Only Editors may do this with a newsletter issue.")


def issue_record_edit(*, issue, user):
    """Record who changed a draft; a change to an approved issue withdraws the approval."""
    _require_editor(user)
    if issue.status in (Status.SENDING, Status.SENT):
        raise ValidationError("This issue has been sent; it can no longer be changed.")
    issue.last_edited_by = user
    if not issue.pk:
        issue.created_by = user
    if issue.status == Status.APPROVED:
        issue.status, issue.approved_by, issue.approved_at = Status.DRAFT, None, None
    issue.save()
    return issue


def issue_approve(*, issue, user):
    """A second Editor approves: not the one who wrote it, nor the one who last changed it."""
    _require_editor(user)
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Status.DRAFT:
            raise ValidationError(f"Only a draft can be approved; this issue is {issue.get_status_display().lower()}.")
        if user.pk in (issue.created_by_id, issue.last_edited_by_id):
            raise PermissionDenied("Another Editor must approve this issue: you wrote or last changed it.")
        issue.status, issue.approved_by, issue.approved_at = Status.APPROVED, user, timezone.now()
        issue.save(update_fields=["status", "approved_by", "approved_at"])
    return issue


def issue_render(issue, *, subscriber=None):
    """Subject and plain-text body of the issue, personalised with the reader's unsubscribe link."""
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    pages = [
        {"page": page, "url": base_url + page.get_absolute_url()}
        for page in issue.pages.all().order_by("-last_reviewed", "title")
    ]
    with translation.override(issue.language):  # the unsubscribe link, dates and footer in the issue's language
        link = unsubscribe_url(subscriber, base_url) if subscriber else base_url + "/newsletter/unsubscribe/…/"
        body = render_to_string(
            "cytokines/email/newsletter_issue.txt",
            {"issue": issue, "pages": pages, "portal": site_reads.portal_values(), "unsubscribe_url": link},
        )
    return issue.subject, body, link


def _message(issue, subscriber):
    subject, body, link = issue_render(issue, subscriber=subscriber)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email], headers=headers)


def issue_send_test(*, issue, user):
    """Queue the issue to the Editor's own address, marked as a test."""
    _require_editor(user)
    if not user.email:
        raise ValidationError("Your account has no e-mail address to send the test to.")
    subject, body, _ = issue_render(issue)
    mail_queue(EmailMessage(f"[Test] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email]), priority=URGENT)


def issue_start_sending(*, issue, user):
    """Start sending an approved issue and queue it for every confirmed subscriber."""
    _require_editor(user)
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Status.APPROVED:
            raise ValidationError("Only an approved issue can be sent; another Editor must approve it first.")
        issue.status, issue.send_started_at = Status.SENDING, timezone.now()
        issue.save(update_fields=["status", "send_started_at"])
    issue_queue_batches(issue=issue)
    return issue


def issue_queue_batches(*, issue, batch_size=BATCH_SIZE):
    """Queue the issue for confirmed subscribers who have no delivery yet, a batch per transaction.

    Safe to run again at any point (after a crash, or twice at once): the issue row is locked per batch
    and the unique delivery per subscriber would refuse a second one. Returns how many were queued.
    """
    queued = 0
    while True:
        with transaction.atomic():
            issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
            if issue.status != Status.SENDING:
                return queued
            batch = list(
                Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, language=issue.language)
                .exclude(deliveries__issue=issue)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                issue.status, issue.queued_at = Status.SENT, timezone.now()
                issue.save(update_fields=["status", "queued_at"])
                return queued
            ids = mail_queue_many([_message(issue, s) for s in batch], priority=BULK, purpose="newsletter")
            NewsletterDelivery.objects.bulk_create(
                [NewsletterDelivery(issue=issue, subscriber=s, message_id=i) for s, i in zip(batch, ids, strict=True)]
            )
            queued += len(batch)


def issues_continue_sending():
    """Finish queueing every issue whose sending was interrupted; return how many there were."""
    interrupted = list(NewsletterIssue.objects.filter(status=Status.SENDING))
    for issue in interrupted:
        log.info("Resuming newsletter issue %s", issue.pk)
        issue_queue_batches(issue=issue)
    return len(interrupted)


def issue_report(issue):
    """What happened to an issue: sent, waiting, failed, bounced, complaints, unsubscribed since."""
    deliveries = NewsletterDelivery.objects.filter(issue=issue)
    message_ids = list(deliveries.values_list("message_id", flat=True))
    logs = MessageLog.objects.filter(message_id__in=message_ids)
    sent = set(logs.filter(result=RESULT_SUCCESS).values_list("message_id", flat=True))
    failed = set(logs.filter(result=RESULT_FAILURE).values_list("message_id", flat=True)) - sent
    waiting = len(message_ids) - len(sent) - len(failed)
    unsubscribed = 0
    if issue.send_started_at:
        unsubscribed = Subscriber.objects.filter(
            deliveries__issue=issue, status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at__gte=issue.send_started_at
        ).count()
    return {
        "recipients": len(message_ids),
        "sent": len(sent),
        "waiting": max(waiting, 0),
        "failed": len(failed),
        "bounced": deliveries.filter(status=NewsletterDelivery.Status.BOUNCED).count(),
        "complained": deliveries.filter(status=NewsletterDelivery.Status.COMPLAINED).count(),
        "unsubscribed_since": unsubscribed,
    }


SUPPRESSING_EVENTS = {"bounced": NewsletterDelivery.Status.BOUNCED, "complained": NewsletterDelivery.Status.COMPLAINED}


@transaction.atomic
def subscriber_suppress_from_tracking(*, event_type, recipient, description=""):
    """A hard bounce or a spam complaint reported by the mail service: never mail this address again."""
    if event_type not in SUPPRESSING_EVENTS:
        return None
    subscriber = Subscriber.objects.select_for_update().filter(email=(recipient or "").strip().lower()).first()
    if subscriber is None:
        return None
    if subscriber.status != Subscriber.Status.SUPPRESSED:
        subscriber.status = Subscriber.Status.SUPPRESSED
        subscriber.suppressed_at = timezone.now()
        subscriber.suppressed_reason = f"{event_type}: {description}"[:200]
        subscriber.save(update_fields=["status", "suppressed_at", "suppressed_reason"])
    suppression.suppress(subscriber.email, suppression.Reason(event_type))
    latest = subscriber.deliveries.order_by("-queued_at").first()
    if latest:
        latest.status = SUPPRESSING_EVENTS[event_type]
        latest.save(update_fields=["status"])
    return subscriber
