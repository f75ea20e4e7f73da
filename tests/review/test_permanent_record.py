"""Review history cannot be changed or deleted by any ORM path, and a save without its version is refused."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cytokines.models import Article, ReviewEvent
from cytokines.review import workflow

from ..admin_forms import change_form_data
from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def event(staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    workflow.article_transition(article=article, user=staff["writer"], name="submit", comment="Ready")
    return ReviewEvent.objects.get(article=article)


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")


@pytest.mark.parametrize(
    "change",
    [
        lambda e: ReviewEvent.objects.filter(pk=e.pk).update(comment="rewritten"),
        lambda e: ReviewEvent.objects.filter(pk=e.pk).delete(),
        lambda e: ReviewEvent.objects.bulk_update([ReviewEvent(pk=e.pk, comment="rewritten")], ["comment"]),
        lambda e: connection.cursor().execute("UPDATE cytokines_reviewevent SET action = 'publish'"),
    ],
    ids=["update", "delete", "bulk_update", "raw SQL"],
)
def test_no_orm_path_changes_or_deletes_review_history(event, change):
    needs_postgresql()
    with pytest.raises(IntegrityError, match="permanent record"), transaction.atomic():
        change(event)
    stored = ReviewEvent.objects.get(pk=event.pk)
    assert (stored.comment, stored.action) == ("Ready", "submit")


def test_deleting_a_staff_account_keeps_its_events_under_its_name(event, staff):
    needs_postgresql()
    staff["writer"].delete()
    stored = ReviewEvent.objects.get(pk=event.pk)
    assert stored.actor is None and stored.actor_name == "wendy" and stored.comment == "Ready"


def test_a_save_without_the_version_it_was_opened_at_is_refused(client, staff):
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Original")
    client.force_login(staff["editor"])
    url = reverse("admin:cytokines_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data.pop("loaded_version")
    data["body"] = "Saved blind"
    response = client.post(url, data)
    assert response.status_code == 200 and "missing the version" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "Original"


def test_users_without_events_can_still_be_deleted():
    user = UserFactory(username="temp")
    user.delete()
    assert not type(user).objects.filter(username="temp").exists()
