import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cytokines.models import Article, CalendarToken
from cytokines.quality import reading
from cytokines.review import workflow

from ..factories import ArticleFactory
from .admin_helpers import login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status
S = Article.Status

# --- dashboard, exports, calendar ---------------------------------------------------------------


def test_dashboard_groups_articles_and_filters_by_owner(client, staff, today):
    overdue = published_article(title="Overdue page", owner=staff["writer"])
    Article.objects.filter(pk=overdue.pk).update(next_review_due=today - datetime.timedelta(days=3))
    soon = published_article(title="Soon page", owner=staff["editor"])
    Article.objects.filter(pk=soon.pk).update(next_review_due=today + datetime.timedelta(days=10))
    ArticleFactory(title="Waiting page", status=S.MEDICAL_REVIEW, last_reviewed=None, next_review_due=None)
    client = login(client, staff["reviewer"])
    response = client.get(reverse("admin:cytokines_review_dashboard"))
    data = response.context["data"]
    assert [a.name for a in data["overdue"]["rows"]] == ["Overdue page"]
    assert [a.name for a in data["due_soon"]["rows"]] == ["Soon page"]
    assert [a.name for a in data["medical_review"]["rows"]] == ["Waiting page"]
    filtered = client.get(reverse("admin:cytokines_review_dashboard"), {"owner": staff["editor"].pk}).context["data"]
    assert filtered["overdue"]["count"] == 0 and filtered["due_soon"]["count"] == 1


def test_dashboard_query_count_is_constant(client, staff, django_assert_max_num_queries):
    for _ in range(30):
        published_article(owner=staff["writer"], medical_reviewer=staff["reviewer"])
    client = login(client, staff["editor"])
    # 39 for the schedule (two lists of drafts, articles, fact sheets and glossary terms, and two of translations
    # out of date, each a page of rows and a count), 1 for the site settings' time zone on a cold cache, 11 for the
    # editorial checks (the 30 new pages' reading levels in one write, dropping archived pages, reference problems,
    # pages above the reading target, open problem reports).
    with django_assert_max_num_queries(51):
        assert client.get(reverse("admin:cytokines_review_dashboard")).status_code == 200


def _fill_every_section(count, staff, today):
    """``count`` pages in each dashboard list: overdue, due soon, waiting for each review, recently reviewed."""
    for number in range(count):
        for due in (today - datetime.timedelta(days=3), today + datetime.timedelta(days=10), None):
            page = published_article(title=f"Page {due} {number}", owner=staff["writer"])
            if due is not None:
                Article.objects.filter(pk=page.pk).update(next_review_due=due)
        for status in (S.MEDICAL_REVIEW, S.EDITORIAL_REVIEW):
            ArticleFactory(title=f"{status} {number}", status=status, last_reviewed=None, next_review_due=None)


@pytest.mark.parametrize("count", [1, 30])
def test_dashboard_query_count_does_not_grow_with_its_rows(client, staff, today, count, django_assert_max_num_queries):
    _fill_every_section(count, staff, today)
    client = login(client, staff["editor"])
    reading.refresh(limit=10_000)  # as the periodic command would: the dashboard itself measures nothing
    client.get(reverse("admin:cytokines_review_dashboard"))
    # session and user; site settings come from the cache now; one list per section (19, three of them glossary
    # terms, and the two lists of translations out of date) and a count for each list longer than its 25 rows;
    # the recent review events; the editorial checks' two lists (and counts, when long)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("admin:cytokines_review_dashboard"))
    data = response.context["data"]
    assert len(data["overdue"]["rows"]) == min(count, 25)  # each list shows 25 rows
    assert data["overdue"]["count"] == count and data["medical_review"]["count"] == count


DASHBOARD_QUERIES = 43


def test_short_dashboard_lists_are_not_counted(client, staff, today):
    """Every list was counted, though most hold a few rows: 19 more queries on every visit."""
    _fill_every_section(1, staff, today)
    client = login(client, staff["editor"])
    client.get(reverse("admin:cytokines_review_dashboard"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:cytokines_review_dashboard"))
    listed = ("cytokines_article", "cytokines_agent", "cytokines_glossaryterm", "cytokines_readinglevel",
              "cytokines_referencecheck")  # fmt: skip
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if any(f'FROM "{table}"' in sql for table in listed)]


def test_dashboard_lists_glossary_terms_waiting_for_review_and_overdue(client, staff, today):
    import datetime

    from ..factories import GlossaryTermFactory

    GlossaryTermFactory(name="Waiting word", status="medical_review", last_reviewed=None, next_review_due=None)
    old = today - datetime.timedelta(days=2000)
    GlossaryTermFactory(name="Overdue word", last_reviewed=old, last_revised=old,
                        next_review_due=today - datetime.timedelta(days=1))  # fmt: skip
    response = login(client, staff["reviewer"]).get(reverse("admin:cytokines_review_dashboard"))
    data = response.context["data"]
    assert [t.name for t in data["terms_in_review"]["rows"]] == ["Waiting word"]
    assert [t.name for t in data["terms_overdue"]["rows"]] == ["Overdue word"]
    assert "/admin/cytokines/glossaryterm/" in response.content.decode()


def test_dashboard_needs_staff_login(client):
    response = client.get(reverse("admin:cytokines_review_dashboard"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_schedule_csv_lists_articles_and_escapes_formulas(client, staff):
    published_article(title='=HYPERLINK("http://evil")')
    published_article(title="Plain title")
    response = login(client, staff["editor"]).get(reverse("admin:cytokines_review_schedule_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    titles = {row["title"] for row in rows}
    assert "Plain title" in titles and '\'=HYPERLINK("http://evil")' in titles


def test_calendar_feed_needs_the_users_token_and_a_new_token_revokes_the_old(client, staff, today):
    article = published_article(title="Calendar page", medical_reviewer=staff["reviewer"])
    Article.objects.filter(pk=article.pk).update(next_review_due=today + datetime.timedelta(days=90))
    article.refresh_from_db()
    client = login(client, staff["reviewer"])
    client.get(reverse("admin:cytokines_calendar_link"))
    token = CalendarToken.objects.get(user=staff["reviewer"]).token
    client.logout()
    feed = client.get(reverse("cytokines:review-calendar", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Review due: Calendar page"]
    assert events[0].decoded("dtstart") == article.next_review_due
    assert client.get(reverse("cytokines:review-calendar", args=["wrong-token"])).status_code == 404

    client.force_login(staff["reviewer"])
    client.post(reverse("admin:cytokines_calendar_link"), {"confirm": "yes"})
    client.logout()
    assert client.get(reverse("cytokines:review-calendar", args=[token])).status_code == 404


def test_calendar_feed_holds_overdue_and_the_next_twelve_months_and_answers_conditional_gets(
    client, staff, today, django_assert_max_num_queries
):
    from cytokines.review.calendar_tokens import calendar_token_issue

    due = {"overdue": -30, "soon": 40, "in eleven months": 330, "in two years": 730}
    for title, days in due.items():
        article = published_article(title=title, medical_reviewer=staff["reviewer"])
        Article.objects.filter(pk=article.pk).update(next_review_due=today + datetime.timedelta(days=days))
    url = reverse("cytokines:review-calendar", args=[calendar_token_issue(staff["reviewer"]).token])
    # The token; the newest change of each kind of page and of each kind of translation (5); the reviews of
    # articles, fact sheets and glossary terms (3); out-of-date article and fact-sheet translations (2); the
    # site settings on a cold cache. Constant, whatever the number of pages.
    with django_assert_max_num_queries(12):
        feed = client.get(url)
    titles = [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert titles == ["Review due: overdue", "Review due: soon", "Review due: in eleven months"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"]).status_code == 304
    Article.objects.filter(title="soon").update(next_review_due=today + datetime.timedelta(days=41),
                                                updated_at=feed_time_after(feed))  # fmt: skip
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"]).status_code == 200


def test_a_calendar_feed_holds_the_soonest_reviews_and_counts_the_rest(client, staff, today, monkeypatch):
    from cytokines.review import calendar
    from cytokines.review.calendar_tokens import calendar_token_issue

    monkeypatch.setattr(calendar, "MAX_EVENTS", 2)  # 500 in production
    for days in (50, -10, 20, 90):
        article = published_article(title=f"due in {days} days", medical_reviewer=staff["reviewer"])
        Article.objects.filter(pk=article.pk).update(next_review_due=today + datetime.timedelta(days=days))
    url = reverse("cytokines:review-calendar", args=[calendar_token_issue(staff["reviewer"]).token])
    titles = [str(e["summary"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")]
    assert titles == ["2 more reviews due later in the window: see the review dashboard",
                      "Review due: due in -10 days", "Review due: due in 20 days"]  # fmt: skip


def feed_time_after(response):
    from django.utils.http import parse_http_date

    return datetime.datetime.fromtimestamp(parse_http_date(response["Last-Modified"]) + 2, tz=datetime.UTC)


# --- bulk actions -------------------------------------------------------------------------------


def test_bulk_reassign_moves_articles_to_a_new_owner_and_reviewer(client, staff, make_user):
    articles = [published_article(owner=staff["writer"]) for _ in range(3)]
    new_reviewer = make_user("newrev", workflow.MEDICAL_REVIEWER)
    client = login(client, staff["editor"])
    response = client.post(
        reverse("admin:cytokines_article_changelist"),
        {"action": "reassign", "_selected_action": [a.pk for a in articles], "apply": "1",
         "owner": staff["editor"].pk, "medical_reviewer": new_reviewer.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(Article.objects.values_list("owner__username", "medical_reviewer__username")) == {("eddie", "newrev")}


def test_bulk_reassign_is_refused_to_writers(client, staff):
    article = published_article(owner=staff["writer"])
    login(client, staff["writer"]).post(
        reverse("admin:cytokines_article_changelist"),
        {"action": "reassign", "_selected_action": [article.pk], "apply": "1", "owner": staff["editor"].pk},
    )
    assert Article.objects.get(pk=article.pk).owner == staff["writer"]


def test_spreading_review_dates_fills_the_window_evenly(client, staff, today):
    articles = [published_article() for _ in range(5)]
    start, end = today + datetime.timedelta(days=10), today + datetime.timedelta(days=50)
    response = login(client, staff["editor"]).post(
        reverse("admin:cytokines_article_changelist"),
        {"action": "spread_review_dates", "_selected_action": [a.pk for a in articles], "apply": "1",
         "start": start.isoformat(), "end": end.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    dates = sorted(Article.objects.values_list("next_review_due", flat=True))
    assert dates == [start + datetime.timedelta(days=d) for d in (0, 10, 20, 30, 40)]


def test_spreading_into_the_past_is_refused_and_changes_nothing(staff, today):
    article = published_article()
    before = article.next_review_due
    with pytest.raises(workflow.ValidationError, match="after today"):
        workflow.review_dates_spread(
            items=Article.objects.all(), start=today - datetime.timedelta(days=5), end=today, user=staff["editor"]
        )
    assert Article.objects.get(pk=article.pk).next_review_due == before




def test_the_calendar_holds_the_fact_sheets_and_glossary_terms_a_person_owns(client, staff, today):
    from cytokines.models import Agent, GlossaryTerm
    from cytokines.review.calendar_tokens import calendar_token_issue

    from ..factories import AgentFactory, GlossaryTermFactory

    agent = AgentFactory(name="Aldesleukin", owner=staff["writer"])
    AgentFactory(name="Someone else's", owner=staff["editor"])
    term = GlossaryTermFactory(name="cytokine", owner=staff["writer"])
    Agent.objects.update(next_review_due=today + datetime.timedelta(days=20))
    GlossaryTerm.objects.filter(pk=term.pk).update(next_review_due=today + datetime.timedelta(days=25))
    mine = reverse("cytokines:review-calendar", args=[calendar_token_issue(staff["writer"]).token])
    events = {str(e["summary"]): e for e in Calendar.from_ical(client.get(mine).content).walk("VEVENT")}
    assert set(events) == {"Review due: Aldesleukin", "Review due: cytokine"}
    assert f"/admin/cytokines/agent/{agent.pk}/change/" in str(events["Review due: Aldesleukin"]["url"])
    assert str(events["Review due: cytokine"]["description"]).startswith("Glossary term. Status: Published.")
    every = reverse("cytokines:review-calendar-all", args=[calendar_token_issue(staff["editor"]).token])
    summaries = {str(e["summary"]) for e in Calendar.from_ical(client.get(every).content).walk("VEVENT")}
    assert {"Review due: Aldesleukin", "Review due: Someone else's", "Review due: cytokine"} <= summaries
