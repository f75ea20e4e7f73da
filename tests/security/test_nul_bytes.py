"""A NUL byte anywhere in a URL is refused plainly, never a 500 (issue 22 #12).

PostgreSQL text cannot hold NUL, so before the fix the driver raised on the search query, the calendar
token and the donation reference, and the reader got a server error.
"""

import pytest
from django.urls import reverse

from cytokines.models import CalendarToken, Donation

from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_nul_in_the_search_query_is_a_plain_answer(client):
    ArticleFactory(title="Aldesleukin basics")
    for query in ("ald\x00esleukin", "\x00", "aldesleukin\x00' OR 1=1"):
        response = client.get(reverse("cytokines:search"), {"q": query})
        assert response.status_code == 400, query
        assert "cannot contain" in response.content.decode()


@pytest.mark.parametrize("path", ["/review-calendar/%00.ics", "/review-calendar/abc%00def.ics",
                                  "/donate/thanks/%00/", "/donate/thanks/CP-%00ABC/", "/articles/%00/",
                                  "/articles/?kind=%00", "/newsletter/confirm/%00/"])  # fmt: skip
def test_nul_in_a_url_is_refused_with_400(client, path):
    UserFactory(username="rita")
    CalendarToken.objects.create(user=UserFactory(username="rita"), token="abcdef")
    response = client.get(path)
    assert response.status_code == 400
    assert "cannot contain" in response.content.decode()


def test_nul_in_a_form_post_changes_nothing(client):
    data = {"preset_amount": "50", "frequency": "one_time", "donor_name": "Ann", "email": "ann@example.org",
            "idempotency_key": "4b1f0a52-9d8e-4c1e-8a53-0f5e7d7c2a11"}  # fmt: skip
    assert client.post(reverse("cytokines:donate") + "?x=%00", data).status_code == 400
    assert client.post(reverse("cytokines:donate"), {**data, "donor_name": "A\x00nn"}).status_code == 400
    assert not Donation.objects.exists()


def test_nul_in_the_session_cookie_is_refused_with_400(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get(reverse("cytokines:donate")).status_code == 400
