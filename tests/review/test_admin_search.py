"""The admin's article search answers from an index and never counts past its bound (100,000 working copies)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cytokines.admin.search import document, prefix_query
from cytokines.models import Article

from ..factories import ArticleFactory
from .admin_helpers import login

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the index is PostgreSQL's")


def search(client, staff, term):
    login(client, staff["editor"])
    return client.get(reverse("admin:cytokines_article_changelist"), {"q": term})


@postgresql_only
def test_words_are_found_as_prefixes_in_any_of_the_fields(client, staff):
    ArticleFactory(title="High-dose aldesleukin", body="Given in hospital.", status=Article.Status.DRAFT)
    ArticleFactory(title="Peginterferon at home", body="Inject under the skin; interleukin not involved.",
                   status=Article.Status.DRAFT)  # fmt: skip
    ArticleFactory(title="Fatigue", summary="Tiredness", body="Rest.", status=Article.Status.DRAFT)
    found = lambda term: sorted(a.title for a in search(client, staff, term).context["cl"].result_list)  # noqa: E731
    assert found("aldes") == ["High-dose aldesleukin"]
    assert found("INTERLEUK") == ["Peginterferon at home"]  # the body, any case
    assert found("tiredness") == ["Fatigue"]  # the summary
    assert found("skin home") == ["Peginterferon at home"]  # every word must match
    assert found("hospital fatigue") == []


@postgresql_only
def test_the_search_is_answered_by_the_index(client, staff):
    ArticleFactory(title="Interleukin-2", status=Article.Status.DRAFT)
    query = Article.objects.annotate(d=document(["title", "summary", "body"])).filter(d=prefix_query("interleukin"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned whatever the index
        plan = query.explain()
    assert "article_admin_search" in plan


@postgresql_only
def test_the_change_list_counts_no_further_than_its_pages_go(client, staff):
    ArticleFactory.create_batch(3, body="Interleukin text.", status=Article.Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        response = search(client, staff, "interleukin")
    assert response.status_code == 200 and response.context["cl"].result_count == 3
    sqls = [q["sql"] for q in queries.captured_queries]
    counts = [sql for sql in sqls if "COUNT(" in sql.upper() and "cytokines_article" in sql]
    assert counts and all("LIMIT" in sql for sql in counts)  # never an exact count of every match or of the table


def test_an_empty_or_punctuation_search_lists_everything(client, staff):
    ArticleFactory.create_batch(2, status=Article.Status.DRAFT)
    assert search(client, staff, "  ").context["cl"].result_count == 2
    assert search(client, staff, "+-*").status_code == 200


@postgresql_only
def test_titles_are_answered_by_their_own_index(client, staff):
    ArticleFactory(title="Interleukin-2", status=Article.Status.DRAFT)
    query = Article.objects.annotate(d=document(["title"])).filter(d=prefix_query("interleukin"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "article_admin_title_search" in plan


@postgresql_only
def test_a_common_word_ranks_a_bounded_set_and_keeps_the_page_titled_with_it(client, staff, monkeypatch):
    """'interleukin' at 100,000 articles: every match was read and sorted by closeness (517 ms)."""
    from cytokines.admin import search as admin_search

    monkeypatch.setattr(admin_search, "CANDIDATES", 3)
    ArticleFactory.create_batch(6, title="Living with treatment", body="Interleukin text.", status=Article.Status.DRAFT)
    titled = ArticleFactory(title="Interleukin-2", body="About it.", status=Article.Status.DRAFT)
    found = list(search(client, staff, "interleukin").context["cl"].result_list)
    assert titled in found and len(found) <= 3 + 1  # three from the text, and the titled page
