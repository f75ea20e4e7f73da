"""What reviewers see of a pending revision, in a real browser under the site's CSP: the comparison on the
change page and the preview, and the outside reviewer's preview link (made, opened, revoked)."""

import pytest
from django.contrib.auth.models import Group

from cytokines.models import Article
from cytokines.review import workflow

from ..factories import ArticleFactory, ArticleReferenceFactory, UserFactory, make_live
from .conftest import DESKTOP, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def pending_revision():
    article = ArticleFactory(status=Article.Status.PUBLISHED, body="Most people stay about a week [1].", live=False)
    ArticleReferenceFactory(article=article, position=1)
    article.faq_items.create(question="Can I drive home?", answer="Ask your nurse first.", position=1)
    make_live(article)
    Article.objects.filter(pk=article.pk).update(body="Most people stay five to seven days [1].", status="draft")
    article.faq_items.update(answer="No. Someone should drive you home.")
    article.refresh_from_db()
    return article


def test_comparison_and_outside_preview_link_under_the_sites_policy(live_server, page_at, migrated_data):
    editor = UserFactory(username="eddie", password=PASSWORD)
    editor.groups.add(Group.objects.get(name=workflow.EDITOR))
    article = pending_revision()
    page = page_at(DESKTOP, enforce_csp=True)
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/cytokines/article/{article.pk}/change/")
    comparison = page.locator("#revision-comparison")
    assert comparison.locator("del", has_text="about a week").is_visible()
    assert comparison.locator("ins", has_text="five to seven days").is_visible()
    # Told by text decoration, not colour alone.
    assert "line-through" in comparison.locator("del").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in comparison.locator("ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")

    page.fill("#id_preview_reviewer_name", "Dr Lena Park, dermatologist")
    with page.context.expect_page() as made:
        page.get_by_role("button", name="Make a preview link").click()
    created = made.value
    created.wait_for_load_state()
    url = created.input_value("#preview-link-url")
    path = url[url.index("/review-preview/") :]

    outside = page_at(DESKTOP, enforce_csp=True)
    outside.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    outside.goto(live_server.url + path)
    assert outside.get_by_text("Preview for review by Dr Lena Park, dermatologist").is_visible()
    assert outside.locator(".prose", has_text="five to seven days").first.is_visible()
    assert outside.locator("#revision-comparison ins", has_text="five to seven days").is_visible()
    assert outside.locator("a[href*='/admin/']").count() == 0

    page.reload()
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    assert "no longer opens" in page.content()
    response = outside.goto(live_server.url + path)
    assert response.status == 410 and "withdrawn" in outside.content()
    assert csp == []


def test_the_comparison_passes_axe(live_server, page_at, migrated_data):
    editor = UserFactory(username="eddie", password=PASSWORD)
    editor.groups.add(Group.objects.get(name=workflow.EDITOR))
    article = pending_revision()
    from cytokines.review import preview_links

    _, token = preview_links.create(article, user=editor, reviewer_name="Dr Lena Park")
    page = page_at(DESKTOP)
    page.goto(f"{live_server.url}/review-preview/{token}/")
    assert page.locator("#revision-comparison").is_visible()
    assert axe_violations(page) == []
