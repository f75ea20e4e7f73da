"""The design as readers meet it: layout at phone and desktop widths, pages that work without JavaScript,
and the staff style page; axe-core finds nothing on any of them."""

import pytest
from django.contrib.auth.models import Group

from cytokines.models import Article
from cytokines.review import workflow

from ..conftest import load_demo_content
from ..factories import UserFactory
from .conftest import DESKTOP, PHONE, axe_violations

# migrated_data: each test starts with what the migrations installed (groups, site settings, trust pages)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_data")]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(live_server):
    load_demo_content()
    return live_server.url


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_header_is_compact_on_a_phone_and_one_row_on_a_desktop(site, page_at):
    phone = page_at(PHONE)
    phone.goto(site + "/")
    # the language row (28 px) and two rows of 44 px touch targets: 156 px before the language row was slimmed
    assert box(phone, ".site-header")["height"] <= 120
    assert phone.get_by_role("link", name="Donate").first.is_visible()
    desktop = page_at(DESKTOP)
    desktop.goto(site + "/")
    assert box(desktop, ".site-header")["height"] <= 80
    assert desktop.get_by_role("searchbox", name="Search the site").is_visible()


def test_the_article_side_column_sits_beside_the_text_and_folds_below_it_on_phones(site, page_at):
    article = Article.objects.published().get(slug="cytokines-and-cancer")
    desktop = page_at(DESKTOP)
    desktop.goto(site + article.get_absolute_url())
    text, side = box(desktop, "article.article"), box(desktop, "aside.side")
    assert side["x"] >= text["x"] + text["width"] and side["y"] < text["y"] + 200
    for heading in ("On this page", "Talk to a nurse", "Medicines mentioned", "Keep this information free"):
        assert desktop.get_by_role("heading", name=heading).is_visible()
    phone = page_at(PHONE)
    phone.goto(site + article.get_absolute_url())
    text, side = box(phone, "article.article"), box(phone, "aside.side")
    assert side["y"] >= text["y"] + text["height"]


def test_wide_tables_scroll_with_a_visible_cue_on_phones_only(site, page_at):
    path = Article.objects.published().get(slug="cytokines-and-cancer").get_absolute_url()
    cue = "() => getComputedStyle(document.querySelector('.prose .table-scroll'), '::before').display"
    phone = page_at(PHONE)
    phone.goto(site + path)
    assert phone.evaluate(cue) == "block"
    assert phone.evaluate("() => { const t = document.querySelector('.prose .table-scroll'); "
                          "return t.scrollWidth > t.clientWidth; }")  # fmt: skip
    desktop = page_at(DESKTOP)
    desktop.goto(site + path)
    assert desktop.evaluate(cue) == "none"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_donate_works_without_javascript_and_other_amount_appears_only_when_chosen(site, browser, viewport):
    from cytokines.models import Donation

    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/donate/")
    other = page.get_by_label("Other amount in US dollars")
    assert not other.is_visible()
    targets = page.locator(".amount").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert min(targets) >= 44  # large targets, well above 24 px
    page.get_by_label("Other amount", exact=True).check()
    assert other.is_visible()
    other.fill("35")
    page.get_by_label("Your full name").fill("Sam Lee")
    page.get_by_label("E-mail for your receipt").fill("sam@example.org")
    page.get_by_role("button", name="Give now").click()
    page.wait_for_url("**/donate/thanks/**")
    assert str(Donation.objects.get().amount) == "35.00"
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_staff_style_page_and_the_feedback_comment_page_pass_axe(site, page_at, viewport):
    user = UserFactory(username="eddie", password=PASSWORD)
    user.groups.add(Group.objects.get(name=workflow.EDITOR))
    page = page_at(viewport)
    page.goto(site + "/admin/login/?next=/style-guide/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/style-guide/")
    assert page.get_by_role("heading", name="Style guide").is_visible()
    assert axe_violations(page) == []
    reader = page_at(viewport)
    article = Article.objects.published().first()
    reader.goto(site + article.get_absolute_url())
    reader.route("**/static/js/feedback.js", lambda route: route.abort())  # as without JavaScript
    reader.reload()
    reader.get_by_role("button", name="No", exact=True).click()
    reader.wait_for_url("**/feedback/**")
    assert axe_violations(reader) == []
    reader.get_by_role("button", name="Send comment").click()  # empty: the error summary links to the field
    assert reader.locator(".error-summary a[href='#id_comment']").is_visible()
    assert axe_violations(reader) == []
