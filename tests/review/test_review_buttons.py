
import pytest
from django.urls import reverse

from cytokines.models import Article, ReviewEvent
from cytokines.review import workflow

from ..factories import ArticleFactory, ArticleReferenceFactory, awaiting_publication
from .admin_helpers import change_url, login

pytestmark = pytest.mark.django_db
S = Article.Status

# --- transition buttons -------------------------------------------------------------------------


def test_reviewer_sees_only_the_buttons_they_may_press(client, staff):
    article = ArticleFactory(status=S.MEDICAL_REVIEW, last_reviewed=None, next_review_due=None)
    html = login(client, staff["reviewer"]).get(change_url(article)).content.decode()
    assert 'value="approve_medical"' in html and 'value="request_changes"' in html
    assert 'value="publish"' not in html and 'value="submit"' not in html


def test_writer_posting_publish_is_refused_and_nothing_changes(client, staff):
    article = ArticleFactory(status=S.EDITORIAL_REVIEW, last_reviewed=None, next_review_due=None)
    ArticleReferenceFactory(article=article)
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    response = login(client, staff["writer"]).post(url, {"transition": "publish"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == S.EDITORIAL_REVIEW
    assert not ReviewEvent.objects.exists()


def test_editor_publishes_through_the_admin_with_a_comment(client, staff, today):
    article = awaiting_publication()
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    response = login(client, staff["editor"]).post(url, {"transition": "publish", "comment": "Reads well."})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.last_reviewed == today
    event = ReviewEvent.objects.latest("pk")
    assert (event.action, event.comment, event.role) == ("publish", "Reads well.", ReviewEvent.Role.EDITOR)


def test_a_refused_publish_says_what_is_missing(client, staff):
    article = awaiting_publication(authors=[])
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    response = login(client, staff["editor"]).post(url, {"transition": "publish"}, follow=True)
    assert "It needs at least one author" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == S.EDITORIAL_REVIEW


def test_transitions_need_csrf(staff):
    from django.test import Client

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["writer"])
    response = client.post(reverse("admin:cytokines_article_transition", args=[article.pk]), {"transition": "submit"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == S.DRAFT


def test_review_history_is_shown_read_only_on_the_article(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    workflow.article_transition(article=article, user=staff["writer"], name="submit", comment="Ready for you")
    html = login(client, staff["editor"]).get(change_url(article)).content.decode()
    assert "Review history (permanent record)" in html and "Ready for you" in html
    event = ReviewEvent.objects.get()
    client.force_login(staff["superuser"])
    assert client.get(reverse("admin:cytokines_reviewevent_change", args=[event.pk])).status_code == 200
    response = client.post(reverse("admin:cytokines_reviewevent_change", args=[event.pk]), {"comment": "edited"})
    assert response.status_code == 403
    response = client.post(reverse("admin:cytokines_reviewevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert ReviewEvent.objects.get().comment == "Ready for you"


# --- preview and history ------------------------------------------------------------------------


def test_staff_preview_shows_a_draft_as_the_public_would_see_it(client, staff):
    draft = ArticleFactory(status=S.DRAFT, title="Unfinished", last_reviewed=None, next_review_due=None)
    url = reverse("admin:cytokines_article_preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = login(client, staff["writer"]).get(url)
    assert response.status_code == 200
    assert "Unfinished" in response.content.decode() and "Preview." in response.content.decode()


def test_history_keeps_every_version_and_shows_the_change(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Version one")
    article.body = "Version two"
    article.save()
    assert article.history.count() == 2
    previous = article.history.earliest()
    delta = article.history.latest().diff_against(previous)
    assert [c.field for c in delta.changes] == ["body"]
    client = login(client, staff["superuser"])
    history = client.get(reverse("admin:cytokines_article_history", args=[article.pk]))
    assert history.status_code == 200
    revert = client.get(reverse("admin:cytokines_article_simple_history", args=[article.pk, previous.history_id]))
    assert revert.status_code == 200 and "Version one" in revert.content.decode()


