import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from cytokines.models import Article, ReminderLog

from .admin_helpers import published_article

pytestmark = pytest.mark.django_db
S = Article.Status
S = Article.Status

# --- reminders ----------------------------------------------------------------------------------


@pytest.fixture
def due_articles(staff, make_user, today):
    staff["writer"].email = "wendy@example.org"
    staff["writer"].save()
    make = []
    for days, title in [(-40, "Long overdue"), (-2, "Just overdue"), (12, "Due soon"), (200, "Not yet")]:
        article = published_article(title=title, owner=staff["writer"], medical_reviewer=staff["reviewer"])
        Article.objects.filter(pk=article.pk).update(next_review_due=today + datetime.timedelta(days=days))
        make.append(article)
    return make


def remind(*args):
    """Run the reminder command, then the mail queue that delivers its digests."""
    call_command("send_review_reminders", *args, stdout=io.StringIO())
    call_command("send_pending_mail", stdout=io.StringIO())


def test_reminders_send_one_digest_per_person_and_escalate_to_editors(staff, due_articles):
    remind("--days", "30", "--grace-days", "14")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"wendy@example.org", "rita@example.org", "eddie@example.org"}
    owner_mail = by_recipient["wendy@example.org"].body
    assert "Long overdue" in owner_mail and "Just overdue" in owner_mail and "Due soon" in owner_mail
    assert "Not yet" not in owner_mail
    editor_mail = by_recipient["eddie@example.org"].body
    assert "Long overdue" in editor_mail and "Just overdue" not in editor_mail


def test_reminders_are_not_sent_twice_for_the_same_due_date(staff, due_articles, today):
    remind()
    first = len(mail.outbox)
    remind()
    assert len(mail.outbox) == first
    # A new due date (the page was reviewed, then fell due again) is a new reminder.
    Article.objects.filter(title="Due soon").update(next_review_due=today + datetime.timedelta(days=5))
    remind()
    assert len(mail.outbox) == first + 2  # owner and reviewer
    assert "Due soon" in mail.outbox[-1].body and "Long overdue" not in mail.outbox[-1].body


def test_dry_run_prints_and_sends_nothing(staff, due_articles):
    out = io.StringIO()
    call_command("send_review_reminders", "--dry-run", stdout=out)
    assert "To: wendy@example.org" in out.getvalue()
    assert mail.outbox == [] and not ReminderLog.objects.exists()
