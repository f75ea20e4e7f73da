"""CSRF-less posts, SQL-ish and oversized input, forged and replayed tokens, against every public form."""

import uuid

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from cytokines.models import CalendarToken, Donation, PageFeedback, ProblemReport, Subscriber

from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SQLISH = [
    "' OR '1'='1",
    "1; DROP TABLE cytokines_article; --",
    '" OR 1=1 --',
    "%' UNION SELECT password FROM auth_user --",
]


def donation(**overrides):
    data = {"preset_amount": "50", "frequency": "one_time", "donor_name": "Ann", "email": "ann@example.org",
            "idempotency_key": str(uuid.uuid4())}  # fmt: skip
    return {**data, **overrides}


def newsletter(**overrides):
    return {"email": "reader@example.org", "consent": "on", **overrides}


@pytest.fixture
def article():
    return ArticleFactory()


def public_forms(article):
    return [
        (reverse("cytokines:donate"), donation(), Donation),
        (reverse("cytokines:newsletter"), newsletter(), Subscriber),
        (reverse("cytokines:article-feedback", args=[article.slug]), {"helpful": "yes"}, PageFeedback),
        (reverse("cytokines:report-problem"), problem_report(page=article.get_absolute_url()), ProblemReport),
    ]


def problem_report(**overrides):
    return {"page": "/", "description": "The link in reference 2 is broken.", "reporter_email": "", **overrides}


def test_every_public_form_refuses_posts_without_a_csrf_token(article):
    strict = Client(enforce_csrf_checks=True)
    for url, data, model in public_forms(article):
        assert strict.post(url, data).status_code == 403, url
        assert not model.objects.exists()


def test_admin_login_and_actions_refuse_posts_without_a_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 403
    strict.force_login(UserFactory(username="root", is_superuser=True))
    assert strict.post(reverse("admin:cytokines_calendar_link")).status_code == 403
    assert not CalendarToken.objects.exists()


@pytest.mark.parametrize("payload", SQLISH)
def test_sqlish_input_is_just_text(client, article, payload):
    assert client.get(reverse("cytokines:search"), {"q": payload}).status_code == 200
    assert client.get(reverse("cytokines:article-list"), {"kind": payload, "page": payload}).status_code == 200
    assert client.get(reverse("cytokines:agent-list"), {"class": payload}).status_code == 200
    client.post(reverse("cytokines:donate"), donation(donor_name=payload))
    assert Donation.objects.get().donor_name == payload
    response = client.post(reverse("cytokines:newsletter"), newsletter(email=payload))
    assert response.status_code == 400 and not Subscriber.objects.exists()
    client.post(reverse("cytokines:report-problem"), problem_report(description=payload))
    assert ProblemReport.objects.get().description == payload
    response = client.post(reverse("cytokines:report-problem"), problem_report(page=payload))
    assert response.status_code == 400 and ProblemReport.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "x" * 2001), ("reporter_email", "a" * 250 + "@example.org"), ("reporter_email", "not-an-address"),
     ("page", "/" + "a" * 300), ("description", "")],
)  # fmt: skip
def test_bad_problem_reports_are_refused_with_a_message(client, field, value):
    response = client.post(reverse("cytokines:report-problem"), problem_report(**{field: value}))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(
    "page", ["https://evil.example/", "//evil.example/x", "/admin/", "/no-such-page/", "javascript:alert(1)",
             "/articles/not-published/", "/\\evil.example"],
)  # fmt: skip
def test_a_problem_report_names_only_a_public_page_of_this_site(client, page):
    response = client.post(reverse("cytokines:report-problem"), problem_report(page=page))
    assert response.status_code == 400 and "page" in response.context["form"].errors
    assert not ProblemReport.objects.exists()


def test_oversized_bodies_are_refused_before_any_view_runs(client):
    response = client.post(reverse("cytokines:newsletter"), newsletter(name="x" * (3 * 1024 * 1024)))
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("donor_name", "x" * 151), ("email", "a" * 250 + "@example.org"), ("dedication_name", "y" * 151)],
)
def test_overlong_fields_are_refused_with_a_message(client, field, value):
    response = client.post(reverse("cytokines:donate"), donation(dedication="honour", **{field: value}))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Donation.objects.exists()


def test_forged_and_cross_purpose_tokens_are_refused(client):
    subscriber = Subscriber.objects.create(email="s@example.org", consent_at="2026-01-01T00:00:00Z")
    payload = {"id": subscriber.pk, "email": subscriber.email}
    unsubscribe_token = signing.Signer(salt="newsletter-unsubscribe").sign_object(payload)
    # A valid unsubscribe token must not confirm, and a confirm-shaped token with another key must not either.
    assert client.get(reverse("cytokines:newsletter-confirm", args=[unsubscribe_token])).status_code == 400
    forged = signing.TimestampSigner(key="not-our-secret", salt="newsletter-confirm").sign_object(payload)
    assert client.get(reverse("cytokines:newsletter-confirm", args=[forged])).status_code == 400
    other = signing.TimestampSigner(salt="newsletter-confirm").sign_object({"id": subscriber.pk, "email": "x@y.z"})
    assert client.get(reverse("cytokines:newsletter-confirm", args=[other])).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_calendar_tokens_cannot_be_guessed_or_reused_after_rotation(client):
    user = UserFactory(username="rev")
    token = CalendarToken.objects.create(user=user, token="a" * 43)
    assert client.get(reverse("cytokines:review-calendar", args=["a" * 42 + "b"])).status_code == 404
    user.is_active = False
    user.save()
    assert client.get(reverse("cytokines:review-calendar", args=[token.token])).status_code == 404


def test_a_replayed_donation_post_creates_nothing_new(client):
    data = donation()
    for _ in range(3):
        client.post(reverse("cytokines:donate"), data)
    assert Donation.objects.count() == 1


def test_host_header_attacks_are_refused(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
