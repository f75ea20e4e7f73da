"""The editor journey under the site's CSP: a Writer creates an article with references, a Medical reviewer
approves it, an Editor publishes it; a review button pressed with unsaved text loses nothing."""

import pytest
from django.contrib.auth.models import Group

from cytokines.models import Article
from cytokines.review import workflow

from ..factories import ContributorFactory, ReferenceFactory, UserFactory
from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_data")]
PASSWORD = "correct horse battery staple"


def person(username, group):
    user = UserFactory(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def choose(page, row, text):
    """Pick ``text`` in the admin's autocomplete (select2) box inside ``row``; it focuses its search box."""
    page.locator(f"{row} .select2-selection").first.click()
    page.keyboard.type(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_writer_reviewer_and_editor_take_an_article_to_readers_and_nothing_typed_is_lost(live_server, page_at):
    person("wendy", workflow.WRITER)
    rita = person("rita", workflow.MEDICAL_REVIEWER)
    ContributorFactory(name="Dr Rita Reviewer", role="medical_reviewer", credentials="MD", user=rita)  # to publish
    person("eddie", workflow.EDITOR)
    ContributorFactory(name="Wendy Writer", role="writer", credentials="RN")
    ReferenceFactory(title="Interleukin-2 in renal cell carcinoma", authors="Rosenberg SA")
    page = page_at(DESKTOP, enforce_csp=True)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    base = live_server.url

    sign_in(page, base, "wendy")
    page.goto(base + "/admin/cytokines/article/add/")
    page.fill("#id_title", "Living with interleukin-2 treatment")
    page.select_option("#id_kind", "treatment")
    page.fill("#id_summary", "What a week of high-dose interleukin-2 in hospital is like.")
    page.fill("#id_body", "Most people stay in hospital for about a week [1].")
    choose(page, ".field-authors", "Wendy Writer")
    page.get_by_role("button", name="Add another Article reference").click()
    choose(page, "#article_references-0 .field-reference", "Interleukin-2 in renal cell")
    page.fill("#id_article_references-0-position", "1")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    article = Article.objects.get(title="Living with interleukin-2 treatment")
    assert article.article_references.count() == 1

    # The review button pressed with unsaved text: a warning, nothing sent, the text still there.
    page.fill("#id_body", "Most people stay in hospital for about a week [1]. Bring a book.")
    page.get_by_role("button", name="Send for medical review").click()
    warning = page.get_by_role("alert").filter(has_text="unsaved changes")
    warning.wait_for()
    assert page.input_value("#id_body").endswith("Bring a book.")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and "Bring a book." not in article.body
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    page.get_by_role("button", name="Send for medical review").click()
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.status == Article.Status.MEDICAL_REVIEW and article.body.endswith("Bring a book.")

    sign_in(page, base, "rita")
    page.goto(f"{base}/admin/cytokines/article/{article.pk}/change/")
    page.fill("#id_transition_comment", "Checked the length of stay against the label.")
    boxes = page.locator("#medical-review-checklist input[name=checklist]")
    assert boxes.count() == 4  # the medical review checklist, kept with the approval
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_role("button", name="Approve medical content").click()
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.status == Article.Status.EDITORIAL_REVIEW

    sign_in(page, base, "eddie")
    page.goto(f"{base}/admin/cytokines/article/{article.pk}/change/")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    page.context.clear_cookies()
    page.goto(base + article.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Living with interleukin-2 treatment"
    assert page.locator("#ref-1").is_visible()
    assert "approved by Dr Rita Reviewer, MD (medical review)" in page.content()
    assert violations == []


def test_a_fact_sheets_review_button_with_unsaved_text_loses_nothing(live_server, page_at):
    from cytokines.models import Agent

    from ..factories import AgentFactory

    person("eddie", workflow.EDITOR)
    agent = AgentFactory(name="Interleukin-2", slug="interleukin-2", status=Agent.Status.DRAFT)
    page = page_at(DESKTOP, enforce_csp=True)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server.url, "eddie")
    page.goto(f"{live_server.url}/admin/cytokines/agent/{agent.pk}/change/")
    page.fill("#id_summary", "A medicine that helps immune cells grow; given in hospital.")
    page.get_by_role("button", name="Send for medical review").click()
    page.get_by_role("alert").filter(has_text="unsaved changes").wait_for()
    assert page.input_value("#id_summary") == "A medicine that helps immune cells grow; given in hospital."
    agent.refresh_from_db()
    assert agent.status == Agent.Status.DRAFT and agent.summary == "A test agent."
    assert violations == []


def test_a_trust_pages_approve_button_saves_the_typed_text_first(live_server, page_at):
    from cytokines.models import TrustPage
    from cytokines.review import site_versions

    ann = person("ann", workflow.EDITOR)
    person("eddie", workflow.EDITOR)
    proposal = site_versions.version_propose(model=TrustPage, user=ann, kind=TrustPage.Kind.values[0])
    page = page_at(DESKTOP, enforce_csp=True)
    sign_in(page, live_server.url, "eddie")
    page.goto(f"{live_server.url}/admin/cytokines/trustpage/{proposal.pk}/change/")
    page.fill("#id_summary", "Who we are, in two lines.")
    page.click("input[name=_approve]")
    page.wait_for_selector(".messagelist")
    proposal.refresh_from_db()
    # Eddie's words are kept; because he changed the version, a second Editor must now approve it.
    assert proposal.summary == "Who we are, in two lines." and proposal.status == TrustPage.Status.PROPOSED
    assert "Saved, but not made live" in page.locator(".messagelist").inner_text()
