"""Admin sign-in brute force is locked out (django-axes), and an administrator can unlock."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def attempt(client, password, username="editor"):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


@pytest.fixture
def editor():
    return UserFactory(username="editor", password=PASSWORD)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "guess").status_code == 200  # the login form again, with an error
    locked = attempt(client, "guess")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "guess")
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert attempt(elsewhere, PASSWORD).status_code == 302  # the real editor, from their own machine


def test_an_administrator_unlocks_in_the_admin(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "guess")
    admin = Client()
    admin.force_login(UserFactory(username="root", is_superuser=True))
    lockout = AccessAttempt.objects.get(username="editor")
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[lockout.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert attempt(client, PASSWORD).status_code == 302


def test_an_administrator_unlocks_from_the_command_line(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "guess")
    call_command("axes_reset_username", "editor")
    assert attempt(client, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "guess")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "guess").status_code == 200
