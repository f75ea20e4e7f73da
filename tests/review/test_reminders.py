import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from cytokines.models import Agent, Article, GlossaryTerm, ReminderLog

from ..factories import AgentFactory, GlossaryTermFactory, make_live
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


def test_fact_sheets_and_glossary_terms_are_reminded_like_articles(staff, today):
    agent = AgentFactory(name="Aldesleukin", owner=staff["writer"])
    Agent.objects.filter(pk=agent.pk).update(last_reviewed=today - datetime.timedelta(days=400),
                                             next_review_due=today - datetime.timedelta(days=40))
    term = GlossaryTermFactory(name="cytokine", owner=staff["writer"])
    GlossaryTerm.objects.filter(pk=term.pk).update(next_review_due=today + datetime.timedelta(days=10))
    remind("--days", "30", "--grace-days", "14")
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    owner = by_recipient["wendy@example.org"]
    assert f"Fact sheet: Aldesleukin, due {today - datetime.timedelta(days=40):%d %b %Y}: http" in owner
    assert "/admin/cytokines/agent/" in owner
    assert f"Glossary term: cytokine, due {today + datetime.timedelta(days=10):%d %b %Y}: http" in owner
    assert "Fact sheet: Aldesleukin" in by_recipient["eddie@example.org"]  # overdue past the grace period
    assert ReminderLog.objects.filter(agent=agent, kind=ReminderLog.Kind.OVERDUE).count() == 1
    assert ReminderLog.objects.filter(glossaryterm=term, kind=ReminderLog.Kind.DUE_SOON).count() == 1
    sent = len(mail.outbox)
    remind("--days", "30", "--grace-days", "14")
    assert len(mail.outbox) == sent  # once per due date, as for articles


def test_a_fact_sheet_translation_behind_its_english_page_reminds_its_owner(staff, make_user):
    from cytokines.review.publishing import go_live

    translator = make_user("tania", "Translator")
    source = AgentFactory(name="Interleukin-2", slug="interleukin-2")
    page = AgentFactory(name="Interleucina-2", slug="interleucina-2", language="es", translation_of=source,
                        source_revision=source.live_revision, owner=translator, live=False)  # fmt: skip
    make_live(page)
    remind()
    assert not [m for m in mail.outbox if m.to == ["tania@example.org"]]
    source.mechanism = "New words about how it works."
    source.save()
    go_live(source, approvers={})
    remind()
    sent = [m.body for m in mail.outbox if m.to == ["tania@example.org"]]
    assert len(sent) == 1 and "Fact sheet: Interleucina-2 (es), English page changed" in sent[0]
    assert ReminderLog.objects.filter(agent=page, kind=ReminderLog.Kind.TRANSLATION).count() == 1


def test_a_reminder_is_about_exactly_one_page(staff, due_articles, today):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(recipient=staff["writer"], kind=ReminderLog.Kind.DUE_SOON, due_date=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(recipient=staff["writer"], article=due_articles[0], agent=AgentFactory(),
                                   kind=ReminderLog.Kind.DUE_SOON, due_date=today)  # fmt: skip


def test_reminders_by_fact_sheet_and_by_term_are_indexed_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the concurrent indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cytokines_reminderlog'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"reminder_agent", "reminder_glossaryterm"} <= names
