"""`make screenshots`: home, an article, an agent, donate and the review dashboard at 375 and 1280 px.

Skipped unless SCREENSHOTS_DIR is set (the make target sets it), so the suite does not spend time on it;
the pages themselves are checked by the other browser tests.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from cytokines.review import workflow

from ..conftest import load_demo_content
from ..factories import UserFactory
from .conftest import DESKTOP, PHONE

OUT = os.environ.get("SCREENSHOTS_DIR")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.skipif(not OUT, reason="set SCREENSHOTS_DIR (make screenshots)"),
]
PAGES = {
    "home": "/",
    "article": "/articles/cytokines-and-cancer/",
    "agent": "/agents/interleukin-2/",
    "donate": "/donate/",
    "saved pages": "/saved/",
    "dashboard": "/admin/cytokines/article/review-dashboard/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_screenshots(live_server, page_at, viewport):
    load_demo_content()
    editor = UserFactory(username="eddie", password="correct horse battery staple")
    editor.groups.add(Group.objects.get(name=workflow.EDITOR))
    out = Path(OUT)
    out.mkdir(parents=True, exist_ok=True)
    page = page_at(viewport)
    for name, path in PAGES.items():
        if name == "dashboard":
            page.goto(f"{live_server.url}/admin/login/?next={path}")
            page.fill("#id_username", "eddie")
            page.fill("#id_password", "correct horse battery staple")
            page.click("input[type=submit]")
            page.wait_for_url(f"**{path}")
        else:
            page.goto(live_server.url + path)
        target = out / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
