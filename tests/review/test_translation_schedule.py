"""An out-of-date translation is shown to staff where they track work: the review dashboard, the reminders
digest and the calendar feed; each source change is one reminder, and bringing it up to date clears it."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cytokines.content import live_version
from cytokines.models import Article, ReminderLog
from cytokines.review import calendar
from cytokines.review.calendar_tokens import calendar_token_issue
from cytokines.review.publishing import go_live

from ..factories import ArticleFactory, ArticleReferenceFactory, make_live
from .admin_helpers import login, published_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def translation(staff, make_user):
    translator = make_user("tania", "Translator")
    source = published_article(title="Interleukin-2", body="Old words [1].")
    page = ArticleFactory(title="Interleucina-2", slug="interleucina-2", language="es", translation_of=source,
                          source_revision=source.live_revision, owner=translator, live=False)  # fmt: skip
    ArticleReferenceFactory(article=page, position=1)
    make_live(page)
    return source, page, translator


def change_english(source):
    source.body = "New words about the dose [1]."
    source.save()
    revision = go_live(source, approvers={})
    live_version.bump()
    return revision


def test_the_dashboard_lists_out_of_date_translations(client, staff, translation):
    source, page, _ = translation
    login(client, staff["editor"])
    url = reverse("admin:cytokines_review_dashboard")
    assert client.get(url).context["data"]["translations_out_of_date"]["count"] == 0
    change_english(source)
    response = client.get(url)
    assert [row.pk for row in response.context["data"]["translations_out_of_date"]["rows"]] == [page.pk]
    assert "Translations out of date" in response.content.decode()


def test_the_translator_is_reminded_once_per_english_change(staff, translation):
    source, page, translator = translation
    translator.email = "tania@example.org"
    translator.save()

    def remind():
        call_command("send_review_reminders", stdout=io.StringIO())
        call_command("send_pending_mail", stdout=io.StringIO())

    remind()
    assert not [m for m in mail.outbox if m.to == ["tania@example.org"]]
    change_english(source)
    remind()
    sent = [m for m in mail.outbox if m.to == ["tania@example.org"]]
    assert len(sent) == 1 and "1 translations out of date" in sent[0].subject
    assert "Article: Interleucina-2 (es), English page changed" in sent[0].body
    assert ReminderLog.objects.filter(article=page, kind=ReminderLog.Kind.TRANSLATION).count() == 1
    remind()
    assert len([m for m in mail.outbox if m.to == ["tania@example.org"]]) == 1  # not again for the same change


def test_the_calendar_feed_shows_the_translation_out_of_date_on_the_day_the_english_changed(client, translation):
    source, page, translator = translation
    url = reverse("cytokines:review-calendar", args=[calendar_token_issue(translator).token])
    first = client.get(url)
    assert not [e for e in Calendar.from_ical(first.content).walk("VEVENT") if "Translation" in str(e["summary"])]
    revision = change_english(source)
    # The translation itself did not change: the feed's Last-Modified moves with the English text, so a calendar
    # app asking "changed since?" gets the new event.
    assert calendar.last_changed(translator) == revision.created_at
    events = [e for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")
              if str(e["summary"]) == "Translation out of date: Interleucina-2 (es)"]  # fmt: skip
    assert len(events) == 1 and events[0].decoded("dtstart") == timezone.localdate(revision.created_at)
    assert Article.objects.out_of_date_translations().get() == page
