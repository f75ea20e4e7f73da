"""The dashboard's lists are rendered once per state of the database and kept under its snapshot
(cytokines/ops/db_state.py; issue 16). These tests commit their writes, as requests do: inside a test's
transaction nothing is kept (its own writes do not change the snapshot)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Article
from cytokines.ops import db_state

from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = reverse("admin:cytokines_review_dashboard")


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the snapshot is PostgreSQL's")


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def dashboard(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    article_reads = [q["sql"] for q in queries.captured_queries if 'FROM "cytokines_article"' in q["sql"]]
    return response.content.decode(), article_reads


def overdue(title):
    return ArticleFactory(title=title, status=Article.Status.PUBLISHED,
                          next_review_due=timezone.localdate() - datetime.timedelta(days=3))  # fmt: skip


def test_the_lists_are_read_once_and_shown_again_while_nothing_changes(editor_client):
    overdue("Interferon and tiredness")
    first, reads = dashboard(editor_client)
    assert "Interferon and tiredness" in first and reads
    again, reads = dashboard(editor_client)
    assert reads == []  # no list read again
    assert again.count("Interferon and tiredness") == first.count("Interferon and tiredness")


def test_any_committed_write_shows_at_once_whatever_wrote_it(editor_client):
    page = overdue("Interferon and tiredness")
    dashboard(editor_client)
    # A write no service knows about (a raw update, as a data fix or a cron job might make): the snapshot moves.
    Article.objects.filter(pk=page.pk).update(title="Peginterferon and tiredness")
    html, reads = dashboard(editor_client)
    assert reads and "Peginterferon and tiredness" in html


def test_each_filter_is_kept_apart(editor_client):
    mine = UserFactory(username="olive", is_staff=True)
    overdue("Page of anyone")
    ArticleFactory(title="Page of Olive", owner=mine, status=Article.Status.PUBLISHED,
                   next_review_due=timezone.localdate() - datetime.timedelta(days=3))  # fmt: skip
    everyone, _ = dashboard(editor_client)
    hers, reads = dashboard(editor_client, owner=str(mine.pk))
    assert reads and "Page of Olive" in hers and "Page of anyone" not in hers
    assert "Page of anyone" in everyone


def test_nothing_is_kept_inside_a_transaction(transactional_db):
    from django.db import transaction

    with transaction.atomic():
        assert db_state.visible_writes() is None
    assert db_state.visible_writes() is not None
