"""When full-text search finds nothing, the fallback reads an index or says so; it never scans (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import AgentFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the full-text and trigram indexes are PostgreSQL's")


def search(client, q):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cytokines:search"), {"q": q})
    return response, [query["sql"] for query in queries.captured_queries]


def test_no_full_text_hit_never_runs_a_substring_scan(client):
    ArticleFactory.create_batch(3, body="Aldesleukin is interleukin-2.")
    response, sql = search(client, "zzqx")
    assert response.status_code == 200 and "No results" in response.content.decode()
    assert not [s for s in sql if "LIKE" in s.upper()], sql


def test_a_word_start_still_finds_the_page_through_the_index(client):
    ArticleFactory(title="Aldesleukin basics")
    AgentFactory(name="Peginterferon alfa-2a", brand_names="Pegasys")
    response, sql = search(client, "aldesl")
    assert [a.title for a in response.context["articles"]] == ["Aldesleukin basics"]
    response, sql = search(client, "pegas")
    assert [a.name for a in response.context["agents"]] == ["Peginterferon alfa-2a"]
    assert not [s for s in sql if "LIKE" in s.upper()], sql


def test_the_fallback_query_plan_uses_the_search_index(client):
    from cytokines.models import ArticleRevision
    from cytokines.public.search import prefix_query

    ArticleFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = ArticleRevision.objects.live().filter(search_document=prefix_query("aldesl")).explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "search" in plan.lower() and "Seq Scan" not in plan


@pytest.mark.parametrize("q", ["___", "!!!", "a:b", "x:*", "a & b | !c", "(x", "a'b", "of and the", "日本語"])
def test_odd_words_never_break_the_fallback(client, q):
    ArticleFactory()
    response, _ = search(client, q)
    assert response.status_code == 200
