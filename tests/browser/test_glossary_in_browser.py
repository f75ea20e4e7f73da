"""Glossary words in an article as readers use them: by keyboard, with a screen reader's view of the
button's state, without JavaScript, and accessible at phone and desktop widths."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import load_demo_content
from .conftest import DESKTOP, PHONE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_data")]

ARTICLE = "/articles/cytokines-and-cancer/"


@pytest.fixture
def site(live_server):
    load_demo_content()
    return live_server.url


def first_term_button(page):
    button = page.locator(".prose button.glossary-button").first
    expect(button).to_have_attribute("aria-expanded", "false")
    return button


def test_glossary_meaning_opens_and_closes_by_keyboard(site, page_at):
    page = page_at(PHONE, enforce_csp=True)
    page.goto(site + ARTICLE)
    button = first_term_button(page)
    definition = page.locator("#" + button.get_attribute("aria-controls"))
    expect(definition).to_be_hidden()
    # Reach it with Tab from the start of the text, as a keyboard user does.
    page.locator(".prose").evaluate("(text) => { text.tabIndex = -1; text.focus(); }")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    expect(definition).to_contain_text("A small protein that cells use to send messages")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(definition).to_be_hidden()
    page.keyboard.press("Space")
    expect(definition).to_be_visible()
    # Inside the meaning, the link to the glossary entry is the next stop; Escape closes and returns focus.
    page.keyboard.press("Tab")
    expect(definition.get_by_role("link", name=re.compile(r"^More in the glossary ?: Cytokines$"))).to_be_focused()
    page.keyboard.press("Escape")
    expect(definition).to_be_hidden()
    expect(button).to_be_focused()


def test_screen_readers_get_a_named_button_that_says_whether_it_is_open(site, page_at):
    page = page_at(DESKTOP, enforce_csp=True)
    page.goto(site + ARTICLE)
    button = page.get_by_role("button", name="Cytokines (show what it means)")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(page.get_by_role("button", name="Cytokines (show what it means)", expanded=True)).to_be_visible()


def test_without_javascript_a_glossary_word_is_a_link_to_its_entry(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(site + ARTICLE)
        assert page.locator(".prose button.glossary-button").count() == 0
        link = page.locator(".prose a.glossary-term").first
        assert link.get_attribute("href") == "/glossary/cytokine/"
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cytokine")
        expect(page.get_by_text("A small protein that cells use to send messages")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_glossary_pages_and_an_open_meaning_pass_axe(site, page_at, viewport):
    page = page_at(viewport)
    for path in ("/glossary/", "/glossary/interleukin-2/"):
        page.goto(site + path)
        assert axe_violations(page) == [], path
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    page.goto(site + ARTICLE)
    first_term_button(page).click()
    assert axe_violations(page) == []


def test_the_a_z_page_jumps_to_a_letter_and_each_term_has_its_anchor(site, page_at):
    page = page_at(PHONE, enforce_csp=True)
    page.goto(site + "/glossary/")
    page.get_by_role("navigation", name="Jump to letter").get_by_role("link", name="P").click()
    expect(page.locator("#letter-P")).to_be_in_viewport()
    page.goto(site + "/glossary/#term-platelets")
    expect(page.locator("#term-platelets")).to_be_in_viewport()
