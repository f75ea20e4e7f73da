"""Browser tests: Debian's Chromium driven by Playwright, with axe-core from npm for accessibility.

Outside CI they are skipped when Chromium or axe-core is missing; in CI a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API keeps an event loop on this thread; the test's own database calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing():
    if not Path(CHROMIUM).exists():
        return "Chromium is not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (npm ci)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"Browser tests cannot run in CI: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_at(browser):
    """Open a page of the given viewport size; closed after the test."""
    contexts = []

    def open_page(viewport, *, enforce_csp=False):
        # axe is injected as an inline script, which the site's own policy rightly forbids.
        context = browser.new_context(viewport=viewport, bypass_csp=not enforce_csp)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.fixture
def migrated_data(transactional_db):
    """Put back the rows data migrations install (groups, site settings, trust pages).

    Browser tests run in real transactions, and the database is flushed after each one, which also
    removes what the migrations wrote; without this, only the first such test would have them.
    """
    from importlib import import_module

    from django.apps import apps

    for module, function in [
        ("0003_review_groups", "create_groups"),
        ("0005_feedback_permissions", "grant"),
        ("0007_supporter_care_group", "create_group"),
        ("0015_supporter_and_newsletter_permissions", "grant"),
        ("0021_demo_site_settings_and_trust_pages", "install"),
        ("0030_structured_safety", "install_checklist"),
    ]:
        getattr(import_module(f"cytokines.migrations.{module}"), function)(apps, None)
