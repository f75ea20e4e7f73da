"""Migrating existing data: published pages keep their live content, dates and history (issue 12)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cytokines", "0023_editorial_check_permissions")]
AFTER = [("cytokines", "0026_working_copy_columns")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# serialized_rollback: the groups and other rows the migrations made are put back for the tests after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_published_pages_get_revision_one_from_their_current_text():
    old = migrate(BEFORE)
    try:
        Article, Contributor = old.get_model("cytokines", "Article"), old.get_model("cytokines", "Contributor")
        ReviewEvent, User = old.get_model("cytokines", "ReviewEvent"), old.get_model("auth", "User")
        reviewer = User.objects.create(username="amara", first_name="Amara", last_name="Okafor")
        Contributor.objects.create(name="Dr Amara Okafor", slug="amara", credentials="MD", user=reviewer)
        day = datetime.date(2025, 3, 1)
        published = Article.objects.create(title="Live page", slug="live", summary="S", body="Live **text**.",
                                           status="published", last_reviewed=day, last_revised=day,
                                           next_review_due=datetime.date(2028, 3, 1))  # fmt: skip
        draft = Article.objects.create(title="Draft", slug="draft", summary="S", body="Not yet.", status="draft")
        ReviewEvent.objects.create(article=published, actor=reviewer, actor_name="amara", role="medical_reviewer",
                                   action="approve_medical", from_status="medical_review",
                                   to_status="editorial_review")  # fmt: skip

        new = migrate(AFTER)
        Article = new.get_model("cytokines", "Article")
        page = Article.objects.get(slug="live")
        revision = page.live_revision
        assert (revision.number, revision.title, revision.content["body"]) == (1, "Live page", "Live **text**.")
        assert "<strong>text</strong>" in revision.content["body_html"]
        assert revision.approvers["medical"] == {"username": "amara", "name": "Dr Amara Okafor", "credentials": "MD"}
        assert (page.status, page.last_reviewed, page.last_revised) == ("published", day, day)
        assert page.review_events.count() == 1
        assert Article.objects.get(pk=draft.pk).live_revision is None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema
