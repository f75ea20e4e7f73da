"""apply_retention removes exactly what is due under PORTAL_RETENTION, and a dry run changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.utils import timezone
from mailer.models import Message, MessageLog

from cytokines.models import (
    Donation,
    MonthlyGift,
    NewsletterDelivery,
    NewsletterIssue,
    PageFeedback,
    ProblemReport,
    Subscriber,
)
from cytokines.ops.mail import mail_queue
from cytokines.privacy.retention import apply_retention
from cytokines.supporters.reports import donation_totals_by_month
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)


def ago(**delta):
    return NOW - datetime.timedelta(**delta)


def subscriber(email, status, when, **extra):
    return Subscriber.objects.create(email=email, status=status, consent_at=when, created_at=when, **extra)


@pytest.fixture
def records(make_user):
    """For each rule, one record just past its period and one just inside it."""
    article = ArticleFactory()
    editor = make_user("eddie", "Editor")
    subscriber("old-pending@example.org", "pending", ago(days=31))
    subscriber("new-pending@example.org", "pending", ago(days=29))
    subscriber("confirmed@example.org", "confirmed", ago(days=400), confirmed_at=ago(days=400))
    subscriber("left-long-ago@example.org", "unsubscribed", ago(days=400), unsubscribed_at=ago(days=31))
    subscriber("left-lately@example.org", "unsubscribed", ago(days=400), unsubscribed_at=ago(days=29))
    PageFeedback.objects.create(article=article, helpful=True, comment="old comment", created_at=ago(days=370))
    PageFeedback.objects.create(article=article, helpful=False, comment="new comment", created_at=ago(days=360))
    for email, days in (("old-reporter@example.org", 370), ("new-reporter@example.org", 360)):
        ProblemReport.objects.create(page_path="/", description="Typo", reporter_email=email, created_at=ago(days=days))
    for days in (91, 89):
        MessageLog.objects.create(message_id=f"<{days}@x>", when_added=ago(days=days), when_attempted=ago(days=days),
                                  priority=2, result="1", log_message="")  # fmt: skip
    issue = NewsletterIssue.objects.create(subject="Old issue", introduction="Hi", created_by=editor,
                                           last_edited_by=editor, status="draft")  # fmt: skip
    NewsletterIssue.objects.filter(pk=issue.pk).update(status="sent", approved_by=make_user("ann", "Editor"))
    confirmed = Subscriber.objects.get(email="confirmed@example.org")
    NewsletterDelivery.objects.create(issue=issue, subscriber=confirmed, message_id="<old@x>", queued_at=ago(days=91))
    for years, email in ((8, "old-donor@example.org"), (6, "recent-donor@example.org")):
        when = ago(days=365 * years)
        Donation.objects.create(amount=Decimal("50"), donor_name="Donor", email=email, provider="pledge",
                                status="paid", created_at=when, paid_at=when)  # fmt: skip
    mail_queue(EmailMessage("Receipt", "Thanks", "portal@example.org", ["queued@example.org"]))
    return issue


def test_retention_removes_exactly_what_is_due(records):
    totals = donation_totals_by_month()
    results = apply_retention(now=NOW)
    emails = set(Subscriber.objects.values_list("email", flat=True))
    assert emails == {"new-pending@example.org", "confirmed@example.org", "left-lately@example.org"}
    assert sorted(PageFeedback.objects.values_list("comment", flat=True)) == ["", "new comment"]
    assert PageFeedback.objects.count() == 2  # the yes/no answers stay
    assert sorted(ProblemReport.objects.values_list("reporter_email", flat=True)) == ["", "new-reporter@example.org"]
    assert list(MessageLog.objects.values_list("message_id", flat=True)) == ["<89@x>"]
    assert NewsletterDelivery.objects.get().subscriber is None and NewsletterDelivery.objects.count() == 1
    assert set(Donation.objects.values_list("email", flat=True)) == {"", "recent-donor@example.org"}
    assert Donation.objects.count() == 2 and donation_totals_by_month() == totals
    assert Message.objects.count() == 1  # queued mail waiting to be sent is not a log
    assert [r.count for r in results] == [1, 1, 1, 1, 2, 1]


def test_a_second_run_finds_nothing_more(records):
    apply_retention(now=NOW)
    assert sum(r.count for r in apply_retention(now=NOW)) == 0


def test_the_periods_come_from_the_settings(records, settings):
    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "UNCONFIRMED_SIGNUP_DAYS": 28, "FEEDBACK_MONTHS": 24}
    apply_retention(now=NOW)
    assert not Subscriber.objects.filter(status="pending").exists()
    assert PageFeedback.objects.filter(comment="old comment").exists()


def test_an_active_monthly_gift_or_a_pending_payment_keeps_its_donor(records):
    old = Donation.objects.get(email="old-donor@example.org")
    MonthlyGift.objects.create(first_payment=old, provider="pledge", amount=Decimal("50"))
    old.monthly_gift = old.started_gift
    old.save()
    apply_retention(now=NOW)
    assert Donation.objects.filter(email="old-donor@example.org").exists()


def test_the_dry_run_counts_and_changes_nothing(records):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "nothing was changed" in out.getvalue() and "Unconfirmed newsletter sign-ups older than 30 days" in (
        out.getvalue())  # fmt: skip
    assert Subscriber.objects.count() == 5 and MessageLog.objects.count() == 2
    assert PageFeedback.objects.filter(comment="old comment").exists()


def test_the_command_applies_the_rules(records):
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Done:" in out.getvalue()
    assert not Subscriber.objects.filter(email="old-pending@example.org").exists()


@pytest.mark.parametrize("value", [0, -1])
def test_a_zero_or_negative_period_is_refused_before_anything_is_removed(records, settings, value):
    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "MAIL_LOG_DAYS": value}
    with pytest.raises(CommandError, match="RETENTION_MAIL_LOG_DAYS"):
        call_command("apply_retention", stdout=io.StringIO())
    assert Subscriber.objects.count() == 5 and MessageLog.objects.count() == 2
    assert timezone.now()


def test_trust_pages_can_quote_every_retention_period(settings):
    from cytokines.content.site_reads import live_site_settings, site_tokens

    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "UNSUBSCRIBED_DAYS": 45, "MAIL_LOG_DAYS": 60}
    tokens = site_tokens(live_site_settings())
    assert (tokens["unsubscribed_days"], tokens["mail_log_days"]) == ("45", "60")
