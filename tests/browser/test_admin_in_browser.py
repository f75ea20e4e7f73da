import pytest
from django.contrib.auth.models import Group

from cytokines.models import Article, ReviewEvent
from cytokines.review import workflow

from ..factories import ArticleFactory, UserFactory, awaiting_publication
from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(live_server):
    user = UserFactory(username="eddie", password=PASSWORD)
    user.groups.add(Group.objects.get(name=workflow.EDITOR))
    return user


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_editor_publishes_with_the_review_button_under_the_sites_policy(live_server, page_at, editor):
    article = awaiting_publication(title="Ready to go")
    page = page_at(DESKTOP, enforce_csp=True)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/admin/cytokines/article/{article.pk}/change/")
    assert page.get_by_role("button", name="Publish").is_visible()
    assert page.get_by_role("button", name="Approve medical content").count() == 0
    page.fill("#id_transition_comment", "Checked the dosing table.")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "the article is now published" in page.content()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert ReviewEvent.objects.filter(article=article).latest("pk").comment == "Checked the dosing table."
    page.goto(f"{live_server.url}/admin/cytokines/article/review-dashboard/")
    assert page.get_by_role("heading", name="Review schedule").is_visible()
    assert violations == []


def test_editor_assigns_an_owner_with_the_search_box_under_the_sites_policy(live_server, page_at):
    # Issue 22 #17: the box asked the user admin and answered 403 to everyone but superusers.
    import importlib

    from django.apps import apps

    # An earlier browser test's flush removed the groups the migrations made: make them the same way.
    importlib.import_module("cytokines.migrations.0003_review_groups").create_groups(apps, None)
    UserFactory(username="eddie", password=PASSWORD).groups.add(Group.objects.get(name=workflow.EDITOR))
    article = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    rita = UserFactory(username="rita")
    page = page_at(DESKTOP, enforce_csp=True)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/admin/cytokines/article/{article.pk}/change/")
    page.locator("select[name=owner] + .select2 .select2-selection").click()
    page.locator(".select2-search__field[aria-controls=select2-id_owner-results]").fill("rit")
    page.locator(".select2-results__option", has_text="rita").click()
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.owner == rita
    assert violations == []
