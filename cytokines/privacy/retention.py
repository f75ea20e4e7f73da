"""Retention: personal data is kept only as long as ``settings.PORTAL_RETENTION`` says, by one daily command.

Each rule names what it removes and why it may go; ``apply_retention`` runs them all in ONE transaction
(``dry_run`` counts and rolls back). The privacy notice quotes the same settings, so the words and the
behaviour cannot drift apart.

What is kept, and why: a donation's amount, currency, dates, status, reference and the payment
provider's ids stay for ``DONATION_RECORD_YEARS`` with the donor's name and address (the IRS expects a
charity to keep proof of each gift and the acknowledgment it sent, and auditors match payouts by these
ids); after that only the name and address are removed, and the anonymous amounts stay for the
charity's own figures. The suppression list and the audit of data requests hold no personal data and
are kept.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from mailer.models import Message, MessageLog

from cytokines.public.models import PageFeedback, ProblemReport
from cytokines.supporters.issue_models import NewsletterDelivery, NewsletterIssue
from cytokines.supporters.models import Donation, MonthlyGift, Subscriber


@dataclass
class RuleResult:
    rule: str
    cutoff: datetime.datetime
    count: int


def _months_ago(now, months):
    year, month = divmod(now.month - 1 - months, 12)
    first = now.replace(year=now.year + year, month=month + 1, day=1)
    return first.replace(day=min(now.day, _days_in_month(first)))


def _days_in_month(day):
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (following - datetime.timedelta(days=1)).day


def _unconfirmed_sign_ups(cutoff):
    """Sign-ups nobody confirmed: the address may not even be the signer's own."""
    return Subscriber.objects.filter(status=Subscriber.Status.PENDING, consent_at__lt=cutoff).delete()[1].get(
        Subscriber._meta.label, 0
    )


def _unsubscribed_readers(cutoff):
    """Readers who left: the hashed suppression list (not this row) keeps the newsletter from them."""
    gone = Subscriber.objects.filter(
        status__in=[Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.SUPPRESSED],
    ).exclude(unsubscribed_at__gte=cutoff).exclude(suppressed_at__gte=cutoff).exclude(created_at__gte=cutoff)
    return gone.delete()[1].get(Subscriber._meta.label, 0)


def _feedback_comments(cutoff):
    """The comment goes; the yes/no answer (not personal) stays for the page's figures."""
    return PageFeedback.objects.filter(created_at__lt=cutoff).exclude(comment="").update(comment="")


def _problem_report_addresses(cutoff):
    """The reader's address was only for an answer; the report itself stays for the editors."""
    return ProblemReport.objects.filter(created_at__lt=cutoff).exclude(reporter_email="").update(reporter_email="")


def _mail_logs(cutoff):
    """The send log, mail the queue gave up on, and who got which newsletter issue (the counts stay)."""
    logs = MessageLog.objects.filter(when_attempted__lt=cutoff).delete()[0]
    given_up = Message.objects.deferred().filter(
        when_added__lt=cutoff, retry_count__gte=settings.MAILER_EMAIL_MAX_RETRIES
    ).delete()[0]
    deliveries = NewsletterDelivery.objects.filter(
        queued_at__lt=cutoff, issue__status=NewsletterIssue.Status.SENT, subscriber__isnull=False
    ).update(subscriber=None)
    return logs + given_up + deliveries


def _old_donor_details(cutoff):
    """Past the record-keeping period the donor's name and address go; the amounts stay, anonymous."""
    active = MonthlyGift.objects.filter(status=MonthlyGift.Status.ACTIVE).values("pk")
    old = (Donation.objects.filter(created_at__lt=cutoff).exclude(email="")
           .exclude(status=Donation.Status.PENDING).exclude(monthly_gift__in=active))  # fmt: skip
    return old.update(donor_name="Removed after the record-keeping period", email="", dedication="",
                      dedication_name="", consent_to_contact=False, consent_text=None)  # fmt: skip


def retention_periods():
    """The settings, checked: a zero or negative period would delete everything at the next run."""
    periods = settings.PORTAL_RETENTION
    wrong = sorted(name for name, value in periods.items() if not isinstance(value, int) or value < 1)
    if wrong:
        raise ImproperlyConfigured(
            "Retention periods must be whole numbers of at least 1: check RETENTION_" + ", RETENTION_".join(wrong)
        )
    return periods


def retention_rules(now=None):
    """(rule described for people, cutoff, function) from the settings."""
    now = now or timezone.now()
    periods = retention_periods()
    days, months = periods["UNCONFIRMED_SIGNUP_DAYS"], periods["FEEDBACK_MONTHS"]
    mail_days, years = periods["MAIL_LOG_DAYS"], periods["DONATION_RECORD_YEARS"]
    left_days = periods["UNSUBSCRIBED_DAYS"]
    return [
        (f"Unconfirmed newsletter sign-ups older than {days} days: deleted",
         now - datetime.timedelta(days=days), _unconfirmed_sign_ups),
        (f"Unsubscribed or bounced readers, {left_days} days after they left: deleted (their address stays "
         "suppressed, as a hash)", now - datetime.timedelta(days=left_days), _unsubscribed_readers),
        (f"Feedback comments older than {months} months: emptied", _months_ago(now, months), _feedback_comments),
        (f"Problem-report e-mail addresses older than {months} months: emptied", _months_ago(now, months),
         _problem_report_addresses),
        (f"Mail logs older than {mail_days} days: deleted", now - datetime.timedelta(days=mail_days), _mail_logs),
        (f"Donor names and addresses older than {years} years: removed (amounts kept)",
         _months_ago(now, 12 * years), _old_donor_details),
    ]  # fmt: skip


class _DryRun(Exception):
    pass


def apply_retention(*, dry_run=False, now=None):
    """Apply every rule in one transaction; return a RuleResult per rule. ``dry_run`` rolls it all back."""
    results = []
    try:
        with transaction.atomic():
            for rule, cutoff, apply in retention_rules(now):
                results.append(RuleResult(rule, cutoff, apply(cutoff)))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return results
