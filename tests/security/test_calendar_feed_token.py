"""The calendar feed URL stands in for a login, so it stops working when the login would (issue 22 #16)."""

import pytest
from django.test import Client
from django.urls import reverse

from cytokines.review import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(staff):
    """The Medical reviewer's feed URL, made the way the admin page makes it."""
    editor = Client()
    editor.force_login(staff["reviewer"])
    editor.get(reverse("admin:cytokines_calendar_link"))
    token = staff["reviewer"].calendar_token.token
    return reverse("cytokines:review-calendar", args=[token])


def test_feed_works_for_an_active_staff_member(client, feed):
    response = client.get(feed)
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content


def test_feed_stops_working_after_a_password_change(client, feed, staff):
    staff["reviewer"].set_password("a new password nobody knows 42")
    staff["reviewer"].save()
    assert client.get(feed).status_code == 404


def test_feed_stops_working_when_the_user_stops_being_staff(client, feed, staff):
    staff["reviewer"].is_staff = False
    staff["reviewer"].save()
    assert client.get(feed).status_code == 404


def test_a_new_link_after_the_password_change_works_again(client, feed, staff):
    user = staff["reviewer"]
    user.set_password("a new password nobody knows 42")
    user.save()
    own = Client()
    own.force_login(user)
    assert own.post(reverse("admin:cytokines_calendar_link"), {"confirm": "yes"}).status_code == 302
    user.calendar_token.refresh_from_db()
    assert client.get(reverse("cytokines:review-calendar", args=[user.calendar_token.token])).status_code == 200
    assert client.get(feed).status_code == 404
    assert workflow.MEDICAL_REVIEWER in {g.name for g in user.groups.all()}
