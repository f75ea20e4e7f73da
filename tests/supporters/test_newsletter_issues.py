"""Newsletter issues from draft to delivered: approval by a second Editor, batches, crash, bounce, report."""

import base64
import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cytokines.models import NewsletterDelivery, NewsletterIssue, Subscriber
from cytokines.ops.mail import mail_send_queued
from cytokines.supporters import newsletter_issues as issues

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def editors(make_user):
    return make_user("erin", "Editor"), make_user("ed", "Editor")


def subscribers(confirmed, *, pending=0, unsubscribed=0):
    now = timezone.now()
    rows = [Subscriber(email=f"reader{i}@example.org", status="confirmed", consent_at=now, confirmed_at=now)
            for i in range(confirmed)]  # fmt: skip
    rows += [Subscriber(email=f"pending{i}@example.org", consent_at=now) for i in range(pending)]
    rows += [Subscriber(email=f"gone{i}@example.org", status="unsubscribed", consent_at=now, unsubscribed_at=now)
             for i in range(unsubscribed)]  # fmt: skip
    Subscriber.objects.bulk_create(rows)


def compose(client, author, *pages):
    client.force_login(author)
    response = client.post(reverse("admin:cytokines_newsletterissue_add"), {
        "subject": "Interferon news", "introduction": "Two pages were reviewed this month.",
        "pages": [p.pk for p in pages],
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return NewsletterIssue.objects.get()


def act(client, user, issue, action):
    client.force_login(user)
    url = reverse("admin:cytokines_newsletterissue_action", args=[issue.pk, action])
    return client.post(url, follow=True)


def test_an_issue_goes_from_draft_to_delivered_and_a_bounce_suppresses_the_address(client, editors, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "hook:secret"}
    author, approver = editors
    page = ArticleFactory(title="Interferon alfa and melanoma")
    subscribers(3, pending=2, unsubscribed=1)
    issue = compose(client, author, page)
    assert issue.created_by == author and issue.status == "draft"

    preview = client.get(reverse("admin:cytokines_newsletterissue_preview", args=[issue.pk])).content.decode()
    assert "Interferon alfa and melanoma" in preview and "Last reviewed" in preview

    act(client, author, issue, "test")
    mail_send_queued()
    assert [m.to for m in mail.outbox] == [[author.email]] and mail.outbox[0].subject.startswith("[Test]")

    refused = act(client, author, issue, "approve").content.decode()
    assert "Another Editor must approve" in refused
    assert "Only an approved issue can be sent" in act(client, author, issue, "send").content.decode()
    act(client, approver, issue, "approve")
    issue.refresh_from_db()
    assert issue.status == "approved" and issue.approved_by == approver
    act(client, author, issue, "send")
    issue.refresh_from_db()
    assert issue.status == "sent"

    mail.outbox.clear()
    mail_send_queued()
    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{i}@example.org" for i in range(3)]
    for message in mail.outbox:  # each its own one-click unsubscribe
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert link in message.body and message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len({m.extra_headers["List-Unsubscribe"] for m in mail.outbox}) == 3

    # Postmark reports a hard bounce for reader1, through anymail's tracking webhook.
    bounce = {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "MessageID": "pm-1",
              "Email": "reader1@example.org", "Description": "The address does not exist.",
              "BouncedAt": "2026-12-01T10:00:00Z"}  # fmt: skip
    auth = "Basic " + base64.b64encode(b"hook:secret").decode()
    response = client.post("/mail-events/postmark/tracking/", json.dumps(bounce), content_type="application/json",
                           HTTP_AUTHORIZATION=auth)  # fmt: skip
    assert response.status_code == 200
    bounced = Subscriber.objects.get(email="reader1@example.org")
    assert bounced.status == "suppressed" and "bounced" in bounced.suppressed_reason
    assert issues.issue_report(issue) == {
        "recipients": 3, "sent": 3, "waiting": 0, "failed": 0, "bounced": 1, "complained": 0, "unsubscribed_since": 0,
    }  # fmt: skip
    # The suppressed address gets nothing more, even if someone signs it up again.
    client.post(reverse("cytokines:newsletter"), {"email": "reader1@example.org", "consent": "on"})
    mail.outbox.clear()
    mail_send_queued()
    assert mail.outbox == [] and Subscriber.objects.get(email="reader1@example.org").status == "suppressed"


def test_bounce_webhooks_are_ignored_without_a_configured_secret(client):
    subscribers(1)
    bounce = {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "MessageID": "pm-1",
              "Email": "reader0@example.org", "BouncedAt": "2026-12-01T10:00:00Z"}  # fmt: skip
    client.post("/mail-events/postmark/tracking/", json.dumps(bounce), content_type="application/json")
    assert Subscriber.objects.get().status == "confirmed"


class CrashHalfway(Exception):
    """Stands for the worker process being killed (it is not an error the mail queue would catch)."""


class CrashingBackend:
    """A mail server that takes 500 messages, then the worker dies."""

    sent_before_crash = 500

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        if len(mail.outbox) >= CrashingBackend.sent_before_crash:
            raise KeyboardInterrupt  # like a SIGINT/kill: not caught by the queue's error handler
        return self.inner.send_messages(messages)

    def open(self):
        return None

    def close(self):
        return None


def test_a_thousand_subscribers_get_an_issue_exactly_once_despite_crashes(client, editors, settings, monkeypatch):
    author, approver = editors
    subscribers(1000, pending=25, unsubscribed=25)
    issue = compose(client, author, ArticleFactory())
    issues.issue_approve(issue=issue, user=approver)

    # Crash 1: the process dies while queueing, after three batches of 200.
    real_queue_many = issues.mail_queue_many
    batches = []

    def dies_on_fourth_batch(messages, **kwargs):
        if len(batches) == 3:
            raise CrashHalfway
        batches.append(len(messages))
        return real_queue_many(messages, **kwargs)

    monkeypatch.setattr(issues, "mail_queue_many", dies_on_fourth_batch)
    with pytest.raises(CrashHalfway):
        issues.issue_start_sending(issue=issue, user=author)
    assert NewsletterDelivery.objects.count() == 600 and NewsletterIssue.objects.get().status == "sending"
    monkeypatch.setattr(issues, "mail_queue_many", real_queue_many)

    # Crash 2: the mail worker dies half way through delivering.
    settings.MAILER_EMAIL_BACKEND = f"{__name__}.CrashingBackend"
    with pytest.raises(KeyboardInterrupt):
        mail_send_queued()
    assert len(mail.outbox) == 500

    # The next cron run finishes queueing the issue and delivers the rest; a further run sends nothing.
    settings.MAILER_EMAIL_BACKEND = LOCMEM
    from django.core.management import call_command

    call_command("send_pending_mail", stdout=__import__("io").StringIO())
    call_command("send_pending_mail", stdout=__import__("io").StringIO())
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 1000 and len(set(recipients)) == 1000
    assert set(recipients) == {f"reader{i}@example.org" for i in range(1000)}  # none pending or unsubscribed
    assert NewsletterIssue.objects.get().status == "sent"
    report = issues.issue_report(issue)
    assert (report["recipients"], report["sent"], report["waiting"]) == (1000, 1000, 0)


def test_editing_an_approved_issue_withdraws_the_approval(client, editors):
    author, approver = editors
    issue = compose(client, author, ArticleFactory())
    issues.issue_approve(issue=issue, user=approver)
    client.force_login(approver)
    client.post(reverse("admin:cytokines_newsletterissue_change", args=[issue.pk]),
                {"subject": "Changed", "introduction": "New words", "pages": []})  # fmt: skip
    issue.refresh_from_db()
    assert (issue.status, issue.approved_by, issue.last_edited_by) == ("draft", None, approver)
    assert "Another Editor must approve" in act(client, approver, issue, "approve").content.decode()


@pytest.mark.parametrize("role", ["Writer", "Medical reviewer", "Supporter care"])
def test_only_editors_compose_approve_or_send(client, editors, make_user, role):
    author, approver = editors
    issue = compose(client, author, ArticleFactory())
    other = make_user("olga")
    other.groups.add(Group.objects.get(name=role))
    client.force_login(other)
    add = reverse("admin:cytokines_newsletterissue_add")
    assert client.get(add).status_code == 403 and client.post(add, {"subject": "x"}).status_code == 403
    for action in ("approve", "send", "test"):
        act(client, other, issue, action)
    issue.refresh_from_db()
    assert issue.status == "draft" and issue.approved_by is None and mail.outbox == []
