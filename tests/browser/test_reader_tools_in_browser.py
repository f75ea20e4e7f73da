"""Reader tools as a reader meets them: save pages in the browser, see them listed and told when one was
revised, copy a link, print; and no public page makes the browser ask another site for anything."""

from urllib.parse import urlsplit

import pytest
from django.db import transaction

from cytokines.models import Agent, Article
from cytokines.review import publishing, writes

from ..conftest import load_demo_content
from .conftest import DESKTOP, PHONE, axe_violations
from .test_public_pages_in_browser import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_data")]


@pytest.fixture
def site(live_server):
    load_demo_content()
    return live_server.url


def reader_pages():
    """Every public page type (the glossary's too), and the pages this issue added."""
    return {**public_pages(), "saved pages": "/saved/"}


def save(page, site, path):
    page.goto(site + path)
    page.get_by_role("button", name="Save this page").click()
    page.get_by_role("status").filter(has_text="Saved in this browser.").wait_for()
    assert page.get_by_role("button", name="Remove from saved pages").is_visible()


def test_reader_saves_two_pages_reloads_and_sees_them_listed(site, page_at):
    article = Article.objects.published().get(slug="cytokines-and-cancer")
    agent = Agent.objects.published().get(slug="interleukin-2")
    page = page_at(PHONE, enforce_csp=True)
    save(page, site, article.get_absolute_url())
    save(page, site, agent.get_absolute_url())
    page.goto(site + "/saved/")
    page.reload()
    titles = page.locator("[data-saved-list] h2").all_inner_texts()
    assert titles == [agent.name, article.title]  # the newest first
    first = page.locator("[data-saved-list] li").first
    assert "Medicine fact sheet" in first.inner_text()
    assert agent.last_reviewed.strftime("%B %-d, %Y") in first.inner_text()
    page.wait_for_load_state("networkidle")  # the index of current dates has arrived
    assert page.locator("[data-updated]:visible, [data-gone]:visible").count() == 0
    assert not page.get_by_text("Saving pages needs JavaScript").is_visible()
    page.get_by_role("button", name=f"Remove {agent.name}").click()
    assert page.locator("[data-saved-list] h2").all_inner_texts() == [article.title]
    page.goto(site + agent.get_absolute_url())  # the fact sheet knows it is no longer saved
    assert page.get_by_role("button", name="Save this page").is_visible()


def test_a_page_revised_after_it_was_saved_says_so(site, page_at):
    article = Article.objects.published().get(slug="interferons-in-cancer-treatment")
    unchanged = Article.objects.published().get(slug="cytokines-and-cancer")
    page = page_at(DESKTOP, enforce_csp=True)
    save(page, site, article.get_absolute_url())
    save(page, site, unchanged.get_absolute_url())
    with transaction.atomic():  # a new reviewed revision goes live, as publishing does it
        article.body += "\n\nA new paragraph."
        publishing.go_live(article, approvers={})
        writes.complete_review(article, revised=True)
        article.save()
        writes.content_changed()
    page.goto(site + "/saved/")
    revised = page.locator("[data-saved-list] li", has_text=article.title)
    revised.get_by_text("Updated since you saved it.").wait_for()
    assert article.last_revised.strftime("%B %-d, %Y") in revised.inner_text()
    assert page.locator("[data-saved-list] li", has_text=unchanged.title).locator("[data-updated]:visible").count() == 0


def test_copy_link_puts_the_page_address_on_the_clipboard(site, page_at):
    article = Article.objects.published().get(slug="cytokines-and-cancer")
    page = page_at(DESKTOP, enforce_csp=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + article.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("status").filter(has_text="Link copied.").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == "http://testserver" + article.get_absolute_url()
    mail = page.get_by_role("link", name="E-mail")
    assert mail.get_attribute("href").startswith("mailto:?subject=")


def test_without_javascript_the_script_buttons_are_absent_and_e_mail_still_works(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(site + "/articles/cytokines-and-cancer/")
        for name in ("Save this page", "Copy link", "Share", "Print"):
            assert page.get_by_role("button", name=name).count() == 0, name
        assert page.get_by_role("link", name="E-mail").is_visible()
        page.goto(site + "/saved/")
        assert page.get_by_text("Saving pages needs JavaScript").is_visible()
    finally:
        context.close()


def test_printed_page_keeps_dates_reviewers_and_references_without_tools_or_side_column(site, page_at):
    page = page_at(DESKTOP)
    page.goto(site + "/articles/cytokines-and-cancer/")
    page.emulate_media(media="print")
    for selector in (".review-box", ".contributors", ".references", ".print-only"):
        assert page.locator(selector).first.is_visible(), selector
    for selector in (".reader-tools", "aside.side", ".feedback", ".site-search", ".header-give", ".site-footer nav"):
        assert not page.locator(selector).first.is_visible(), selector
    assert "Printed from http://testserver/articles/cytokines-and-cancer/" in page.locator(".print-only").inner_text()


def test_no_public_page_makes_the_browser_ask_another_site(site, page_at):
    page = page_at(DESKTOP, enforce_csp=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    requested = []
    page.context.on("request", lambda request: requested.append(request.url))  # every page and worker
    for path in reader_pages().values():
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    save(page, site, "/articles/cytokines-and-cancer/")  # and the tools themselves, pressed
    page.get_by_role("button", name="Copy link").click()
    page.locator(".prose button.glossary-button").first.click()  # a glossary word's meaning, opened in place
    page.goto(site + "/saved/")
    page.wait_for_load_state("networkidle")
    assert len(requested) > len(reader_pages())
    # Every request's host is the site's own (data: URLs are inline images, not requests to anyone).
    own = urlsplit(site)
    foreign = sorted({url for url in requested if not url.startswith("data:")
                      and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)})  # fmt: skip
    assert foreign == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_saved_pages_pass_axe_empty_and_full(site, page_at, viewport):
    page = page_at(viewport)
    page.goto(site + "/saved/")
    assert axe_violations(page) == []
    save(page, site, "/articles/cytokines-and-cancer/")
    assert axe_violations(page) == []  # the article with its tools shown and a status message
    save(page, site, "/agents/interleukin-2/")
    page.goto(site + "/saved/")
    page.locator("[data-saved-list] li").nth(1).wait_for()
    assert axe_violations(page) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
