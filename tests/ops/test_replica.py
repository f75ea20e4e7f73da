"""Read replicas: which database alias each kind of request reads (cytokines/ops/replica.py).

The test settings add a ``replica`` alias that mirrors the test database (as a streaming replica would
hold the same rows); these tests switch READ_FROM_REPLICA on and watch the queries on each connection.
The rows must be committed for the second connection to see them, hence transactional tests.
"""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cytokines.content.revisions import ArticleRevision
from cytokines.models import Article
from cytokines.ops import replica
from cytokines.review import publishing, writes

from ..factories import ArticleFactory, UserFactory

pytestmark = [
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="the replica alias needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
]

LIVE_TABLE = "cytokines_articlerevision"


@pytest.fixture
def replica_on(settings):
    settings.READ_FROM_REPLICA = True


@pytest.fixture
def article(db):
    return ArticleFactory(status=Article.Status.PUBLISHED, slug="read-me")


@contextmanager
def queries_by_alias():
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(
        connections["replica"]
    ) as mirror:
        yield primary, mirror


def reads(captured, table=LIVE_TABLE):
    return [q["sql"] for q in captured if table in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]


def test_anonymous_public_page_reads_the_replica(client, replica_on, article):
    with queries_by_alias() as (primary, mirror):
        response = client.get(reverse("cytokines:article-detail", args=["read-me"]))
    assert response.status_code == 200
    assert reads(mirror) and not reads(primary)
    cache.clear()  # which revision is live was kept by the GET (public/live_pages.py): make the POST read it
    with queries_by_alias() as (primary, mirror):
        client.post(reverse("cytokines:article-detail", args=["read-me"]))  # only GET and HEAD read the replica
    assert reads(primary) and not reads(mirror)


def test_without_a_replica_every_read_uses_the_primary(client, article):
    with queries_by_alias() as (primary, mirror):
        assert client.get(reverse("cytokines:article-detail", args=["read-me"])).status_code == 200
    assert reads(primary) and len(mirror) == 0


def test_search_and_lists_read_the_replica(client, replica_on, article):
    with queries_by_alias() as (primary, mirror):
        assert client.get(reverse("cytokines:search"), {"q": "article"}).status_code == 200
        assert client.get(reverse("cytokines:article-list")).status_code == 200
    assert len(reads(mirror)) >= 2 and not reads(primary)


def test_signed_in_staff_read_their_own_writes_from_the_primary(client, replica_on, article):
    client.force_login(UserFactory(username="eddie", is_superuser=True))
    with queries_by_alias() as (primary, mirror):
        assert client.get(reverse("cytokines:article-detail", args=["read-me"])).status_code == 200
        assert client.get(reverse("admin:cytokines_article_changelist")).status_code == 200
        assert client.post(reverse("admin:cytokines_article_changelist"), {}).status_code in (200, 302)
    assert reads(primary) and reads(primary, "cytokines_article") and len(mirror) == 0


def test_forms_feedback_and_webhooks_use_the_primary(client, replica_on, article):
    with queries_by_alias() as (primary, mirror):
        client.get(reverse("cytokines:newsletter"))
        client.post(reverse("cytokines:newsletter"), {"email": "reader@example.org"})
        client.post(reverse("cytokines:article-feedback", args=["read-me"]), {"helpful": "yes"})
        client.get(reverse("cytokines:article-feedback", args=["read-me"]))
        client.post(reverse("cytokines:payment-webhook"), "{}", content_type="application/json")
    assert len(mirror) == 0
    assert reads(primary, "cytokines_article")


def test_a_replica_behind_the_last_publish_is_skipped_until_it_catches_up(client, replica_on, article, monkeypatch):
    with transaction.atomic():
        publishing.go_live(Article.objects.get(pk=article.pk), approvers={})
        writes.content_changed()  # as the workflow's publish step does: after the commit it records the position
    wanted = cache.get(replica.POSITION_KEY)
    assert wanted is not None
    monkeypatch.setattr(replica._Confirmed, "position", -1)
    monkeypatch.setattr(replica, "replica_position", lambda: "0/1")  # the replica has not replayed it yet
    with queries_by_alias() as (primary, mirror):
        assert client.get(reverse("cytokines:article-detail", args=["read-me"])).status_code == 200
    assert reads(primary) and not reads(mirror)

    monkeypatch.setattr(replica, "replica_position", lambda: wanted)  # caught up
    with queries_by_alias() as (primary, mirror):
        assert client.get(reverse("cytokines:article-list")).status_code == 200
    assert reads(mirror) and not reads(primary)


def test_a_replica_that_is_down_sends_readers_to_the_primary(client, replica_on, article, monkeypatch):
    cache.set(replica.POSITION_KEY, "FFFF/0")
    monkeypatch.setattr(replica._Confirmed, "position", -1)

    def down():
        raise OSError("connection refused")

    monkeypatch.setattr(replica, "replica_position", down)
    with queries_by_alias() as (primary, mirror):
        assert client.get(reverse("cytokines:article-detail", args=["read-me"])).status_code == 200
    assert reads(primary) and not reads(mirror)


def test_writes_and_migrations_go_to_the_primary_only(replica_on, article):
    revision = ArticleRevision.objects.using("replica").get(slug="read-me")
    assert router.db_for_write(ArticleRevision, instance=revision) == "default"
    assert router.allow_migrate("replica", "cytokines") is False
    assert router.allow_migrate("default", "cytokines") is not False
    assert router.db_for_read(ArticleRevision) == "default"  # no request: commands and jobs read the primary
