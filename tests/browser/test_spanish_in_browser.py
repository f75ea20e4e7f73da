"""Spanish pages in Chromium: axe-core finds nothing at phone and desktop widths, nothing scrolls sideways,
the switcher moves between the languages, and the scripts' words are Spanish on Spanish pages."""

import pytest

from cytokines.models import Article, CancerType

from ..conftest import load_demo_content
from .conftest import DESKTOP, PHONE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrated_data")]


@pytest.fixture
def site(live_server, make_user):
    from cytokines.management.commands.load_demo import spanish_site_wording, spanish_trust_pages

    load_demo_content()
    editors = {"proposer": make_user("erin", "Editor"), "approver": make_user("ezra", "Editor")}
    spanish_site_wording(**editors)  # as `make run` shows them: the settings' words and trust pages in Spanish
    spanish_trust_pages(**editors)
    return live_server.url


def spanish_pages():
    return {
        "inicio": "/es/",
        "artículos": "/es/articles/",
        "medicamentos A-Z": "/es/agents/",
        "tipo de cáncer": "/es" + CancerType.objects.get(slug="kidney-cancer").get_absolute_url(),
        "búsqueda": "/es/search/?q=interferon",
        "búsqueda sin resultados": "/es/search/?q=zzzz",
        "donar": "/es/donate/",
        "boletín": "/es/newsletter/",
        "quiénes somos": "/es/about/",
        "privacidad": "/es/about/privacy/",
        "política editorial": "/es/about/editorial-policy/",
        "accesibilidad": "/es/about/accessibility/",
        "contáctenos": "/es/about/contact/",
        "condiciones de uso": "/es/about/terms/",
        "informar de un problema": "/es/report-a-problem/?page=/es/",
        "no encontrada": "/es/no-such-page/",
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_spanish_pages_pass_axe(site, page_at, viewport):
    page = page_at(viewport)
    failures = {}
    for name, path in spanish_pages().items():
        response = page.goto(site + path)
        assert response.status == (404 if name == "no encontrada" else 200), (name, response.status)
        assert page.evaluate("() => document.documentElement.lang") == "es", name
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport['width']}px"
    assert failures == {}


def test_the_switcher_goes_to_spanish_and_back(site, page_at):
    page = page_at(PHONE)
    page.goto(site + "/articles/")
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/articles/")
    assert page.get_by_role("heading", level=1).inner_text() == "Artículos"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site + "/articles/")
    article = Article.objects.published().filter(language="en", translations=None).first()  # not translated yet
    page.goto(site + article.get_absolute_url())
    assert page.locator(".language-note").inner_text() == "Esta página aún no está traducida"


def test_the_donate_button_speaks_spanish(site, page_at):
    page = page_at(DESKTOP)
    page.goto(site + "/es/donate/")
    page.locator("label[for=id_frequency_1]").click()
    button = page.locator("[data-give-button]")
    assert button.inner_text().startswith("Donar $") and button.inner_text().endswith("al mes")
