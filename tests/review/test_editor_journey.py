"""The editor journey's dead ends (issue 15): refusals as admin messages, history in words, autocomplete
ranked by closeness, "View on site" only for live pages, read-only pages that render and say who may
change them, a dashboard that lists drafts, and the calendar of every page for Editors."""

import datetime
import gzip

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from icalendar import Calendar

from cytokines.models import Agent, Article, CalendarToken, PreviewLink, ReviewEvent
from cytokines.ops.compression import SafeGZipMiddleware
from cytokines.review import workflow

from ..factories import AgentFactory, ArticleFactory, UserFactory
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status


def transition_url(page):
    return reverse(f"admin:cytokines_{page._meta.model_name}_transition", args=[page.pk])


# --- refusals are admin messages, never a bare 403 page ------------------------------------------------


def test_a_refused_review_step_is_an_admin_page_with_the_workflows_reason(client, staff):
    article = ArticleFactory(status=S.EDITORIAL_REVIEW, last_reviewed=None, next_review_due=None)
    response = login(client, staff["writer"]).post(transition_url(article), {"transition": "publish"})
    html = response.content.decode()
    assert response.status_code == 403  # the refusal stays a refusal
    assert 'class="messagelist"' in html and "Only members of the Editor group may publish." in html
    assert f'href="{change_url(article)}"' in html and "Nothing was changed." in html
    assert Article.objects.get(pk=article.pk).status == S.EDITORIAL_REVIEW and not ReviewEvent.objects.exists()


def test_the_four_eyes_refusal_names_the_rule(client, staff):
    article = ArticleFactory(status=S.DRAFT, owner=staff["editor"], last_reviewed=None, next_review_due=None)
    workflow.transition(page=article, user=staff["editor"], name="submit")
    Article.objects.filter(pk=article.pk).update(status=S.EDITORIAL_REVIEW)
    response = login(client, staff["editor"]).post(transition_url(article), {"transition": "publish"})
    assert response.status_code == 403 and "four-eyes rule" in response.content.decode()
    assert 'class="messagelist"' in response.content.decode()


def test_a_review_step_asked_for_by_get_changes_nothing_and_says_how(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    response = login(client, staff["writer"]).get(transition_url(article), {"transition": "submit"})
    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert "buttons on the page" in str(list(get_messages(response.wsgi_request))[0])
    assert Article.objects.get(pk=article.pk).status == S.DRAFT


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_read_only_user_is_told_who_may_change_the_page(client, staff, method):
    agent = AgentFactory(status=S.PUBLISHED)
    client = login(client, staff["reviewer"])
    response = getattr(client, method)(change_url(agent), {"name": "Renamed"})
    html = response.content.decode()
    assert "Editors may change this agent" in html
    if method == "post":
        assert response.status_code == 403 and 'class="messagelist"' in html
    else:
        assert response.status_code == 200 and 'id="read-only-notice"' in html
    assert Agent.objects.get(pk=agent.pk).name != "Renamed"


@pytest.mark.parametrize("method", ["get", "post"])
def test_preview_links_refused_with_a_reason(client, staff, method):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    url = reverse("admin:cytokines_article_preview_link", args=[article.pk])
    response = getattr(login(client, staff["writer"]), method)(url, {"reviewer_name": "Dr Out", "days": 7})
    if method == "post":
        assert response.status_code == 403
        assert "Only Editors and Medical reviewers make or revoke preview links" in response.content.decode()
    else:
        assert response.status_code == 302
    assert not PreviewLink.objects.exists()


def test_public_pages_keep_the_plain_403(client):
    from cytokines.admin.refusals import permission_denied

    request = RequestFactory().get("/articles/")
    request.user = UserFactory(is_staff=False)
    assert b"messagelist" not in permission_denied(request, None).content


# --- history in words -----------------------------------------------------------------------------------


def test_history_is_in_words_on_the_page_the_list_and_the_dashboard(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    workflow.transition(page=article, user=staff["writer"], name="submit")
    client = login(client, staff["editor"])
    for url in (change_url(article), reverse("admin:cytokines_reviewevent_changelist"),
                reverse("admin:cytokines_review_dashboard")):  # fmt: skip
        html = client.get(url).content.decode()
        assert "Sent for medical review" in html, url
        assert ">submit<" not in html, url


def test_every_review_step_has_words():
    from cytokines.review.models import ACTION_WORDS

    assert set(workflow.TRANSITIONS) <= set(ACTION_WORDS)
    assert ReviewEvent(action="approve_medical").action_words == "Approved medical content"


# --- autocomplete ranked by closeness ---------------------------------------------------------------------


def autocomplete(client, model, field, term):
    params = {"term": term, "app_label": "cytokines", "model_name": model, "field_name": field}
    return [row["text"] for row in client.get(reverse("admin:autocomplete"), params).json()["results"]]


def test_agents_exact_name_then_prefix_then_contains(client, staff):
    for name in ["Aldesleukin (interleukin-2)", "Interleukin-21", "Interleukin-2", "Anti-interleukin-2 antibody"]:
        AgentFactory(name=name, slug=name.lower().replace(" ", "-").replace("(", "").replace(")", ""))
    AgentFactory(name="Zeta", slug="zeta", summary="Not interleukin-2 at all")
    names = autocomplete(login(client, staff["editor"]), "article", "agents", "interleukin-2")
    assert names[:2] == ["Interleukin-2", "Interleukin-21"]
    assert set(names[2:4]) == {"Aldesleukin (interleukin-2)", "Anti-interleukin-2 antibody"}
    assert names[4:] == ["Zeta"]  # found in its summary only: last


def test_people_exact_username_first(client, staff, make_user):
    for username in ["amanda", "mandy", "man"]:
        make_user(username, workflow.MEDICAL_REVIEWER)
    client = login(client, staff["editor"])
    url = reverse("admin:cytokines_article_people_autocomplete")
    params = {"term": "man", "app_label": "cytokines", "model_name": "article", "field_name": "owner"}
    names = [row["text"] for row in client.get(url, params).json()["results"]]
    assert names == ["man", "mandy", "amanda", "norman"]  # exact, prefix, then contains (a-z)


# --- "View on site" only for live pages --------------------------------------------------------------------


def test_view_on_site_only_for_pages_readers_can_see(client, staff):
    client = login(client, staff["editor"])
    draft = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    assert "View on site" not in client.get(change_url(draft)).content.decode()
    live = published_article()
    assert "View on site" in client.get(change_url(live)).content.decode()
    unpublished_agent = AgentFactory(status=S.DRAFT)
    assert "View on site" not in client.get(change_url(unpublished_agent)).content.decode()


# --- read-only pages render the Markdown -----------------------------------------------------------------------


def test_a_read_only_article_shows_its_text_rendered(client, staff):
    article = published_article(body="Ask your nurse **before** you stop.\n\n- one\n- two")
    html = login(client, staff["writer"]).get(change_url(article)).content.decode()
    assert "<strong>before</strong>" in html and "<li>one</li>" in html
    assert "**before**" not in html
    assert "Editors may change this article" in html


# --- dashboard ----------------------------------------------------------------------------------------------------


def test_dashboard_lists_drafts_and_collapses_empty_sections(client, staff):
    ArticleFactory(title="A draft in progress", status=S.DRAFT, last_reviewed=None, next_review_due=None)
    response = login(client, staff["editor"]).get(reverse("admin:cytokines_review_dashboard"))
    html = response.content.decode()
    assert [a.name for a in response.context["data"]["drafts"]["rows"]] == ["A draft in progress"]
    assert "<h2>Drafts (not yet sent for medical review) (1)</h2>" in html
    assert '<details class="module empty-section" id="waiting-for-medical-review">' in html
    assert "<h2>Waiting for medical review" not in html
    assert '<details class="module empty-section" id="reference-problems">' in html  # the editorial checks too


# --- calendar of every page ---------------------------------------------------------------------------------------


def calendar_page(client):
    return reverse("admin:cytokines_calendar_link")


def test_editors_subscribe_to_every_pages_reviews(client, staff, today):
    theirs = published_article(title="Someone else's page", owner=staff["writer"])
    Article.objects.filter(pk=theirs.pk).update(next_review_due=today + datetime.timedelta(days=20))
    agent = AgentFactory(name="Agent due", status=S.PUBLISHED)
    Agent.objects.filter(pk=agent.pk).update(next_review_due=today + datetime.timedelta(days=40))
    html = login(client, staff["editor"]).get(calendar_page(client)).content.decode()
    token = CalendarToken.objects.get(user=staff["editor"]).token
    all_url = reverse("cytokines:review-calendar-all", args=[token])
    assert f'href="webcal://testserver{all_url}"' in html or "webcal:" in html and all_url in html
    assert 'data-copy="feed-2"' in html and "js/admin_copy.js" in html
    client.logout()
    events = Calendar.from_ical(client.get(all_url).content).walk("VEVENT")
    titles = [str(e["summary"]) for e in events]
    assert "Review due: Someone else's page" in titles and "Review due: Agent due" in titles
    mine = Calendar.from_ical(client.get(reverse("cytokines:review-calendar", args=[token])).content)
    assert "Review due: Someone else's page" not in [str(e["summary"]) for e in mine.walk("VEVENT")]


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_the_all_pages_feed_is_for_editors_only(client, staff, role):
    html = login(client, staff[role]).get(calendar_page(client)).content.decode()
    token = CalendarToken.objects.get(user=staff[role]).token
    assert "/all.ics" not in html
    client.logout()
    assert client.get(reverse("cytokines:review-calendar-all", args=[token])).status_code == 404
    assert client.get(reverse("cytokines:review-calendar", args=[token])).status_code == 200


def test_a_new_address_needs_confirmation(client, staff):
    client = login(client, staff["editor"])
    client.get(calendar_page(client))
    old = CalendarToken.objects.get(user=staff["editor"]).token
    asked = client.post(calendar_page(client))  # the button without confirming: only the question
    assert asked.status_code == 200 and "Yes, make a new address" in asked.content.decode()
    assert "Make a new calendar address?" in client.get(calendar_page(client), {"replace": "1"}).content.decode()
    assert CalendarToken.objects.get(user=staff["editor"]).token == old
    assert client.post(calendar_page(client), {"confirm": "yes"}).status_code == 302
    assert CalendarToken.objects.get(user=staff["editor"]).token != old
    assert Client().get(reverse("cytokines:review-calendar-all", args=[old])).status_code == 404


# --- compression never reaches a secret in the address ---------------------------------------------------------


@pytest.mark.parametrize(("path", "compressed"), [
    ("/agents/", True),
    ("/newsletter/unsubscribe/Zq3xY8w2Lk9PdR4vTb7Nc1Hs/", False),
    ("/donate/monthly/Zq3xY8w2Lk9PdR4vTb7Nc1Hs/", False),
    ("/review-preview/Zq3xY8w2Lk9PdR4vTb7Nc1Hs/", False),
])  # fmt: skip
def test_pages_whose_address_holds_a_token_are_not_compressed(path, compressed):
    request = RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip")
    page = HttpResponse("<!doctype html><p>" + "A page that repeats its address. " * 40, content_type="text/html")
    response = SafeGZipMiddleware(lambda r: page)(request)
    assert (response.get("Content-Encoding") == "gzip") is compressed
    if compressed:
        assert b"repeats its address" in gzip.decompress(response.content)
