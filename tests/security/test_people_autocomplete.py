"""Editors assign owners and medical reviewers with the article form's search boxes (issue 22 #17).

Before the fix the boxes asked the user admin, which answers only people allowed to see every
account, so they answered 403 to everyone but superusers.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def box_url(field):
    """Where the article form's search box for ``field`` asks (read from the form, as the browser does)."""
    client = Client()
    client.force_login(UserFactory(username="root-reader", is_superuser=True))
    html = client.get(reverse("admin:cytokines_article_change", args=[ArticleFactory().pk])).content.decode()
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>', html).group(0)
    return re.search(r'data-ajax--url="([^"]+)"', select).group(1)


def ask(user, field, term="", method="get"):
    client = Client()
    if user is not None:
        client.force_login(user)
    params = {"app_label": "cytokines", "model_name": "article", "field_name": field, "term": term}
    return getattr(client, method)(box_url(field), params)


@pytest.fixture
def people(staff, make_user):
    UserFactory(username="rachel-former", is_staff=False)  # left the team: never offered
    UserFactory(username="rick-inactive", is_active=False)
    return {**staff, "care": make_user("carol", "Supporter care")}


@pytest.mark.parametrize("role", ["writer", "reviewer", "editor", "superuser"])
@pytest.mark.parametrize(("field", "expected"), [("owner", {"rita", "root", "norman", "carol"}),
                                                 ("medical_reviewer", {"rita"})])  # fmt: skip
def test_everyone_who_edits_articles_can_search_for_people(people, role, field, expected):
    response = ask(people[role], field, term="r")
    assert response.status_code == 200
    names = {item["text"] for item in response.json()["results"]} - {"root-reader"}
    assert names == expected  # no former or inactive staff


def test_answers_show_names_not_e_mail_addresses(people):
    body = ask(people["editor"], "owner", term="rita").content.decode()
    assert "rita" in body and "@example.org" not in body


@pytest.mark.parametrize("role", ["care", "nobody", None])
def test_people_without_article_rights_are_refused(people, role):
    user = people[role] if role else None
    response = ask(user, "owner", term="r")
    assert response.status_code in (302, 403)
    assert b"rita" not in response.content


def test_the_user_list_itself_stays_closed_to_editors(people):
    client = Client()
    client.force_login(people["editor"])
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.post(reverse("admin:auth_user_changelist"), {"action": "delete_selected"}).status_code == 403


def test_autocomplete_answers_get_only(people):
    assert ask(people["editor"], "owner", method="post").status_code in (403, 405)


def test_other_fields_and_models_cannot_be_asked_through_the_people_box(people):
    client = Client()
    client.force_login(people["editor"])
    url = box_url("owner")
    for model, field in (("article", "title"), ("article", "agents"), ("subscriber", "email"), ("donation", "x")):
        params = {"app_label": "cytokines", "model_name": model, "field_name": field, "term": "a"}
        assert client.get(url, params).status_code == 403, (model, field)


def test_a_forged_post_cannot_make_a_non_staff_account_the_owner(people):
    from cytokines.models import Article

    from ..admin_forms import change_form_data

    article = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    outsider = UserFactory(username="outsider", is_staff=False)
    client = Client()
    client.force_login(people["editor"])
    url = reverse("admin:cytokines_article_change", args=[article.pk])
    data = {**change_form_data(client.get(url)), "owner": str(outsider.pk)}
    assert client.post(url, data).status_code == 200  # the form again, with the error
    article.refresh_from_db()
    assert article.owner_id != outsider.pk
