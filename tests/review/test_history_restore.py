"""The version-history page cannot bypass the workflow: restoring is an edit, and only of the text."""

import datetime

import pytest
from django.urls import reverse

from cytokines.models import Article
from cytokines.review import workflow

from ..factories import ArticleFactory, ArticleReferenceFactory, make_live

pytestmark = pytest.mark.django_db
S = Article.Status


def revert_url(article, version):
    return reverse("admin:cytokines_article_simple_history", args=[article.pk, version.history_id])


@pytest.fixture
def archived_page():
    """An article that was published (that version is in its history), then archived."""
    old = datetime.date(2025, 1, 10)
    article = ArticleFactory(status=S.PUBLISHED, last_reviewed=old, last_revised=old, body="Published text [1].")
    ArticleReferenceFactory(article=article, position=1)
    published_version = article.history.latest()
    article.status = S.ARCHIVED
    article.body = "Archived text [1]."
    article.save()
    return article, published_version


def post_revert(client, article, version):
    form = client.get(revert_url(article, version))
    data = {"title": article.title, "slug": article.slug, "kind": article.kind, "language": article.language,
            "summary": article.summary, "body": version.body, "review_interval_months": 36,
            "loaded_version": article.version}  # fmt: skip
    return form, client.post(revert_url(article, version), data)


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_a_writer_or_reviewer_cannot_republish_an_archived_page_from_history(client, staff, role, archived_page):
    article, published_version = archived_page
    client.force_login(staff[role])
    _, response = post_revert(client, article, published_version)
    assert response.status_code == 403
    # Said in the admin's message box, with who may change it (issue 15), not on a bare 403 page.
    assert 'class="messagelist"' in response.content.decode()
    assert "Restoring an old version is an edit" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.ARCHIVED and article.body == "Archived text [1]."


def test_an_editors_restore_brings_back_the_text_but_never_the_status_or_dates(client, staff, archived_page):
    article, published_version = archived_page
    before = Article.objects.values("status", "last_reviewed", "next_review_due", "last_revised").get(pk=article.pk)
    client.force_login(staff["editor"])
    form, response = post_revert(client, article, published_version)
    assert form.status_code == 200
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.body == "Published text [1]."
    assert Article.objects.values(*before).get(pk=article.pk) == before


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_inline_rows_of_a_published_page_are_read_only_for_writers_and_reviewers(client, staff, role):
    article = ArticleFactory(status=S.PUBLISHED)
    ArticleReferenceFactory(article=article, position=1)
    client.force_login(staff[role])
    response = client.get(reverse("admin:cytokines_article_change", args=[article.pk]))
    assert response.status_code == 200
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission and not inline.has_change_permission
        assert not inline.has_delete_permission


def test_agent_fact_sheets_are_edited_by_editors_only(staff):
    from ..factories import AgentFactory

    agent = AgentFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    assert workflow.can_edit(staff["editor"], agent)
    assert not workflow.can_edit(staff["writer"], agent) and not workflow.can_edit(staff["reviewer"], agent)


def test_restoring_an_old_version_of_a_published_page_makes_a_pending_revision(client, staff):
    article = ArticleFactory(status=S.PUBLISHED, body="First wording [1].")
    ArticleReferenceFactory(article=article, position=1)
    first_version = article.history.latest()
    Article.objects.filter(pk=article.pk).update(body="Second wording [1].")
    article.refresh_from_db()
    live = make_live(article)
    dates = Article.objects.values("last_reviewed", "next_review_due", "last_revised").get(pk=article.pk)
    client.force_login(staff["editor"])
    _, response = post_revert(client, article, first_version)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "First wording [1]." and article.status == S.DRAFT  # the pending revision
    assert article.live_revision == live and live.content["body"] == "Second wording [1]."
    assert Article.objects.values(*dates).get(pk=article.pk) == dates
    assert article.review_events.get().action == "edited"
