import pytest

from cytokines.models import Agent, Article, CancerType

from ..conftest import load_demo_content
from .conftest import DESKTOP, PHONE, axe_violations

# migrated_data: each test starts with what the migrations installed (groups, site settings, trust pages)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_data")]


@pytest.fixture
def site(live_server):
    load_demo_content()
    return live_server.url


def public_pages():
    """One URL of every public page type, from the demo content."""
    faq = Article.objects.published().filter(kind=Article.Kind.FAQ).first()
    overdue = Article.objects.review_overdue().first()
    plain = Article.objects.published().exclude(pk__in=[faq.pk, overdue.pk]).first()
    return {
        "home": "/",
        "article list": "/articles/",
        "article": plain.get_absolute_url(),
        "faq article": faq.get_absolute_url(),
        "overdue article": overdue.get_absolute_url(),
        "agent list": "/agents/",
        "agent": Agent.objects.published().get(slug="interleukin-2").get_absolute_url(),
        "cancer type": CancerType.objects.get(slug="kidney-cancer").get_absolute_url(),
        "search results": "/search/?q=interferon",
        "search, nothing found": "/search/?q=zzzz",
        "not found": "/no-such-page/",
        "donate": "/donate/",
        "newsletter": "/newsletter/",
        "about us": "/about/",
        "editorial policy": "/about/editorial-policy/",
        "privacy notice": "/about/privacy/",
        "contact": "/about/contact/",
        "accessibility statement": "/about/accessibility/",
        "terms": "/about/terms/",
        "report a problem": f"/report-a-problem/?page={plain.get_absolute_url()}",
        "report a problem, thanks": "/report-a-problem/thanks/?page=/",
        "glossary": "/glossary/",
        "glossary term": "/glossary/capillary-leak-syndrome/",
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_public_page_type_passes_axe(site, page_at, viewport):
    page = page_at(viewport)
    failures = {}
    for name, path in public_pages().items():
        response = page.goto(site + path)
        assert response.status == (404 if name == "not found" else 200), (name, response.status)
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport['width']}px"
    assert failures == {}


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(site, page_at):
    page = page_at(DESKTOP)
    page.goto(site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_reader_finds_an_agent_by_brand_name(site, page_at):
    page = page_at(PHONE)
    page.goto(site + "/")
    page.get_by_role("link", name="Search", exact=True).click()  # on phones the header links to the search page
    page.fill("#search-q", "Proleukin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Proleukin")
    page.get_by_role("link", name="Interleukin-2 (aldesleukin)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Interleukin-2 (aldesleukin)"


def test_drafts_stay_hidden_in_the_browser(site, page_at):
    draft = Article.objects.filter(status=Article.Status.DRAFT).first()
    page = page_at(DESKTOP)
    response = page.goto(site + draft.get_absolute_url())
    assert response.status == 404
    assert draft.title not in page.content()


def test_reader_answers_was_this_helpful_in_place_without_the_page_moving(site, page_at):
    article = Article.objects.published().first()
    page = page_at(PHONE, enforce_csp=True)
    page.goto(site + article.get_absolute_url())
    page.locator("#feedback").scroll_into_view_if_needed()
    before = page.evaluate("() => [location.href, window.scrollY]")
    page.get_by_role("button", name="Yes", exact=True).click()
    status = page.locator(".feedback-status")
    status.filter(has_text="Thank you").wait_for()
    assert page.evaluate("() => [location.href, window.scrollY]") == before  # answered in place, no jump
    assert article.feedback.get().helpful is True
    page.get_by_label("What could we improve? (optional)").fill("A glossary, please.")
    page.get_by_role("button", name="Send comment").click()
    status.filter(has_text="your feedback goes to the editors").wait_for()
    assert article.feedback.get().comment == "A glossary, please."


def test_donor_completes_a_donation(site, page_at):
    from cytokines.models import Donation

    page = page_at(PHONE)
    page.goto(site + "/donate/")
    assert page.get_by_role("button", name="Give $50 once").is_visible()
    assert not page.get_by_label("Other amount in US dollars").is_visible()  # shown only once chosen
    page.get_by_label("Other amount", exact=True).check()
    page.get_by_label("Other amount in US dollars").fill("4.99")
    page.get_by_label("Your full name").fill("Maria Lopez")
    page.get_by_label("E-mail for your receipt").fill("maria@example.org")
    page.get_by_role("button", name="Give $4.99 once").click()
    assert "The amount must be greater than or equal to $5" in page.locator("#id_other_amount-errors").inner_text()
    assert axe_violations(page) == []
    assert Donation.objects.count() == 0
    page.get_by_label("Other amount in US dollars").fill("40")
    page.get_by_label("Monthly").check()
    page.get_by_role("button", name="Give $40 monthly").click()
    page.wait_for_url("**/donate/thanks/**")
    donation = Donation.objects.get()
    assert donation.reference in page.locator(".reference").inner_text()
    assert (str(donation.amount), donation.frequency) == ("40.00", "monthly")


def test_reader_signs_up_for_the_newsletter(site, page_at):
    from cytokines.models import Subscriber

    page = page_at(DESKTOP)
    page.goto(site + "/newsletter/")
    page.get_by_label("E-mail address").fill("reader@example.org")
    page.get_by_role("button", name="Sign up").click()
    assert "Please tick the box" in page.locator("#id_consent-errors").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Interferons").check()
    page.get_by_label("I agree to receive the newsletter").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_no_page_breaks_the_content_security_policy(site, page_at):
    page = page_at(DESKTOP, enforce_csp=True)
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    for path in public_pages().values():
        page.goto(site + path)
    assert violations == []
