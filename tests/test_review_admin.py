import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from cytokines import workflow
from cytokines.models import Agent, Article, CalendarToken, ReminderLog, ReviewEvent

from .admin_forms import change_form_data
from .factories import AgentFactory, ArticleFactory, ArticleReferenceFactory

pytestmark = pytest.mark.django_db
S = Article.Status


def change_url(obj):
    return reverse(f"admin:cytokines_{obj._meta.model_name}_change", args=[obj.pk])


def login(client, user):
    client.force_login(user)
    return client


# --- transition buttons -------------------------------------------------------------------------


def test_reviewer_sees_only_the_buttons_they_may_press(client, staff):
    article = ArticleFactory(status=S.MEDICAL_REVIEW, last_reviewed=None, next_review_due=None)
    html = login(client, staff["reviewer"]).get(change_url(article)).content.decode()
    assert 'value="approve_medical"' in html and 'value="request_changes"' in html
    assert 'value="publish"' not in html and 'value="submit"' not in html


def test_writer_posting_publish_is_refused_and_nothing_changes(client, staff):
    article = ArticleFactory(status=S.EDITORIAL_REVIEW, last_reviewed=None, next_review_due=None)
    ArticleReferenceFactory(article=article)
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    response = login(client, staff["writer"]).post(url, {"transition": "publish"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == S.EDITORIAL_REVIEW
    assert not ReviewEvent.objects.exists()


def test_editor_publishes_through_the_admin_with_a_comment(client, staff, today):
    article = ArticleFactory(status=S.EDITORIAL_REVIEW, last_reviewed=None, next_review_due=None)
    ArticleReferenceFactory(article=article)
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    response = login(client, staff["editor"]).post(url, {"transition": "publish", "comment": "Reads well."})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.last_reviewed == today
    event = ReviewEvent.objects.get()
    assert (event.comment, event.role) == ("Reads well.", ReviewEvent.Role.EDITOR)


def test_transitions_need_csrf(staff):
    from django.test import Client

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["writer"])
    response = client.post(reverse("admin:cytokines_article_transition", args=[article.pk]), {"transition": "submit"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == S.DRAFT


def test_review_history_is_shown_read_only_on_the_article(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    workflow.article_transition(article=article, user=staff["writer"], name="submit", comment="Ready for you")
    html = login(client, staff["editor"]).get(change_url(article)).content.decode()
    assert "Review history (permanent record)" in html and "Ready for you" in html
    event = ReviewEvent.objects.get()
    client.force_login(staff["superuser"])
    assert client.get(reverse("admin:cytokines_reviewevent_change", args=[event.pk])).status_code == 200
    response = client.post(reverse("admin:cytokines_reviewevent_change", args=[event.pk]), {"comment": "edited"})
    assert response.status_code == 403
    response = client.post(reverse("admin:cytokines_reviewevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert ReviewEvent.objects.get().comment == "Ready for you"


# --- editing: dates, lost edits -----------------------------------------------------------------


def published_article(**kwargs):
    old = datetime.date(2025, 1, 10)
    article = ArticleFactory(status=S.PUBLISHED, last_reviewed=old, last_revised=old, **kwargs)
    ArticleReferenceFactory(article=article, position=1)
    return article


def test_material_edit_of_published_text_moves_last_revised_and_flags_review(client, staff, today):
    article = published_article()
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(article)))
    data["body"] = "Corrected dose information [1]."
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.last_revised == today and article.review_needed


def test_minor_edit_by_an_editor_leaves_last_revised_alone(client, staff):
    article = published_article()
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(article)))
    data.update(body="Fixed a typo [1].", minor_edit="on")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.last_revised == datetime.date(2025, 1, 10) and not article.review_needed
    assert article.body == "Fixed a typo [1]."


def test_writer_cannot_change_a_published_article(client, staff):
    article = published_article()
    client = login(client, staff["writer"])
    response = client.get(change_url(article))
    assert response.status_code == 200  # view only
    data = change_form_data(response) if response.context.get("adminform") else {}
    data["body"] = "Sneaky change"
    assert client.post(change_url(article), data).status_code == 403
    assert Article.objects.get(pk=article.pk).body != "Sneaky change"


def test_review_dates_are_read_only_for_writers(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    form = login(client, staff["writer"]).get(change_url(article)).context["adminform"].form
    assert "next_review_due" not in form.fields and "status" not in form.fields
    form = login(client, staff["editor"]).get(change_url(article)).context["adminform"].form
    assert "next_review_due" in form.fields and "status" not in form.fields


def test_saving_over_someone_elses_newer_save_is_refused(client, staff):
    from django.test import Client

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Original")
    first, second = Client(), Client()
    first.force_login(staff["writer"])
    second.force_login(staff["editor"])
    first_data = change_form_data(first.get(change_url(article)))
    second_data = change_form_data(second.get(change_url(article)))

    first_data["body"] = "First editor's text"
    assert first.post(change_url(article), first_data).status_code == 302

    second_data["body"] = "Second editor's text"
    response = second.post(change_url(article), second_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "after you opened it" in html and "wendy" in html
    assert "Second editor&#x27;s text" in html  # their work is still in the form
    assert Article.objects.get(pk=article.pk).body == "First editor's text"


def test_agent_is_protected_against_lost_edits_too(client, staff):
    agent = AgentFactory()
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(agent)))
    Agent.objects.filter(pk=agent.pk).update(version=agent.version + 1)
    data["summary"] = "Changed"
    response = client.post(change_url(agent), data)
    assert response.status_code == 200 and "after you opened it" in response.content.decode()


# --- agent facts flag articles ------------------------------------------------------------------


def test_changing_an_agents_side_effects_flags_its_published_articles(client, staff):
    agent = AgentFactory()
    published = published_article()
    draft = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    unrelated = published_article()
    published.agents.add(agent)
    draft.agents.add(agent)
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(agent)))
    data["serious_side_effects"] = "Capillary leak syndrome"
    assert client.post(change_url(agent), data).status_code == 302
    published.refresh_from_db(), draft.refresh_from_db(), unrelated.refresh_from_db()
    assert published.review_needed and not draft.review_needed and not unrelated.review_needed
    assert ReviewEvent.objects.get(article=published).action == "flag_review_needed"
    dashboard = client.get(reverse("admin:cytokines_review_dashboard")).content.decode()
    assert published.title in dashboard


def test_changing_an_approval_flags_articles_but_a_summary_edit_does_not(client, staff):
    from .factories import RegulatoryApprovalFactory

    approval = RegulatoryApprovalFactory()
    article = published_article()
    article.agents.add(approval.agent)
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(approval.agent)))
    data["summary"] = "Clearer wording."
    assert client.post(change_url(approval.agent), data).status_code == 302
    article.refresh_from_db()
    assert not article.review_needed

    data = change_form_data(client.get(change_url(approval.agent)))
    data["approvals-0-status"] = "withdrawn"
    assert client.post(change_url(approval.agent), data).status_code == 302
    article.refresh_from_db()
    assert article.review_needed


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
    assert [a.title for a in data["overdue"]["rows"]] == ["Overdue page"]
    assert [a.title for a in data["due_soon"]["rows"]] == ["Soon page"]
    assert [a.title for a in data["medical_review"]["rows"]] == ["Waiting page"]
    filtered = client.get(reverse("admin:cytokines_review_dashboard"), {"owner": staff["editor"].pk}).context["data"]
    assert filtered["overdue"]["count"] == 0 and filtered["due_soon"]["count"] == 1


def test_dashboard_query_count_is_constant(client, staff, django_assert_max_num_queries):
    for _ in range(30):
        published_article(owner=staff["writer"], medical_reviewer=staff["reviewer"])
    client = login(client, staff["editor"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("admin:cytokines_review_dashboard")).status_code == 200


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
    client.post(reverse("admin:cytokines_calendar_link"))
    client.logout()
    assert client.get(reverse("cytokines:review-calendar", args=[token])).status_code == 404


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


# --- preview and history ------------------------------------------------------------------------


def test_staff_preview_shows_a_draft_as_the_public_would_see_it(client, staff):
    draft = ArticleFactory(status=S.DRAFT, title="Unfinished", last_reviewed=None, next_review_due=None)
    url = reverse("admin:cytokines_article_preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = login(client, staff["writer"]).get(url)
    assert response.status_code == 200
    assert "Unfinished" in response.content.decode() and "Preview." in response.content.decode()


def test_history_keeps_every_version_and_shows_the_change(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Version one")
    article.body = "Version two"
    article.save()
    assert article.history.count() == 2
    previous = article.history.earliest()
    delta = article.history.latest().diff_against(previous)
    assert [c.field for c in delta.changes] == ["body"]
    client = login(client, staff["superuser"])
    history = client.get(reverse("admin:cytokines_article_history", args=[article.pk]))
    assert history.status_code == 200
    revert = client.get(reverse("admin:cytokines_article_simple_history", args=[article.pk, previous.history_id]))
    assert revert.status_code == 200 and "Version one" in revert.content.decode()


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


def test_reminders_send_one_digest_per_person_and_escalate_to_editors(staff, due_articles):
    call_command("send_review_reminders", "--days", "30", "--grace-days", "14", stdout=io.StringIO())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"wendy@example.org", "rita@example.org", "eddie@example.org"}
    owner_mail = by_recipient["wendy@example.org"].body
    assert "Long overdue" in owner_mail and "Just overdue" in owner_mail and "Due soon" in owner_mail
    assert "Not yet" not in owner_mail
    editor_mail = by_recipient["eddie@example.org"].body
    assert "Long overdue" in editor_mail and "Just overdue" not in editor_mail


def test_reminders_are_not_sent_twice_for_the_same_due_date(staff, due_articles, today):
    call_command("send_review_reminders", stdout=io.StringIO())
    first = len(mail.outbox)
    call_command("send_review_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == first
    # A new due date (the page was reviewed, then fell due again) is a new reminder.
    Article.objects.filter(title="Due soon").update(next_review_due=today + datetime.timedelta(days=5))
    call_command("send_review_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == first + 2  # owner and reviewer
    assert "Due soon" in mail.outbox[-1].body and "Long overdue" not in mail.outbox[-1].body


def test_dry_run_prints_and_sends_nothing(staff, due_articles):
    out = io.StringIO()
    call_command("send_review_reminders", "--dry-run", stdout=out)
    assert "To: wendy@example.org" in out.getvalue()
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_a_failed_send_is_not_recorded_so_it_is_retried(staff, due_articles, monkeypatch):
    import cytokines.reminders as reminders

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(ConnectionError):
        call_command("send_review_reminders", stdout=io.StringIO())
    assert not ReminderLog.objects.exists()


# --- agent fact sheets --------------------------------------------------------------------------


def test_medical_reviewer_confirms_an_agents_review_and_the_dates_move(client, staff, today):
    from cytokines.models import add_months

    agent = AgentFactory(last_reviewed=today - datetime.timedelta(days=400),
                         next_review_due=today - datetime.timedelta(days=35), review_needed=True)  # fmt: skip
    client = login(client, staff["reviewer"])
    assert "Confirm review: facts still correct" in client.get(change_url(agent)).content.decode()
    url = reverse("admin:cytokines_agent_confirm_review", args=[agent.pk])
    assert client.post(url, {"comment": "Checked FDA label"}).status_code == 302
    agent.refresh_from_db()
    assert agent.last_reviewed == today and agent.next_review_due == add_months(today, 12)
    assert not agent.review_needed
    assert agent.history.latest().history_change_reason == "Review confirmed by rita: Checked FDA label"


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_medical_reviewers_confirm_an_agents_review(client, staff, role):
    agent = AgentFactory()
    before = agent.last_reviewed
    response = login(client, staff[role]).post(reverse("admin:cytokines_agent_confirm_review", args=[agent.pk]))
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.last_reviewed == before


def test_a_draft_agent_cannot_be_confirmed(staff):
    agent = AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None)
    with pytest.raises(workflow.PermissionDenied, match="published"):
        workflow.agent_confirm_review(agent=agent, user=staff["reviewer"])
