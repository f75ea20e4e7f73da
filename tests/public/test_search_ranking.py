"""Search ranks a bounded number of candidates from the index and pages its results (issues 16 and 27)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cytokines.public import search as search_module

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's full-text search")


def results(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cytokines:search"), params)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def test_results_come_a_page_at_a_time_with_links_between_pages(client):
    ArticleFactory.create_batch(25, title="Interleukin treatment", body="Interleukin in hospital.")
    first, _ = results(client, q="interleukin")
    assert len(first.context["articles"]) == 20 and first.context["next_page"] == 2
    assert "page=2" in first.content.decode() and 'rel="prev"' not in first.content.decode()
    second, _ = results(client, q="interleukin", page="2")
    assert len(second.context["articles"]) == 5 and second.context["next_page"] is None
    assert 'rel="prev"' in second.content.decode()
    titles = {a.pk for a in first.context["articles"]} | {a.pk for a in second.context["articles"]}
    assert len(titles) == 25  # no page repeats another's rows


def test_a_page_past_the_last_or_nonsense_is_answered_calmly(client):
    ArticleFactory.create_batch(2, title="Interleukin treatment")
    for page in ("99", "0", "-1", "abc"):
        response, _ = results(client, q="interleukin", page=page)
        assert response.context["page"] in (1, search_module.MAX_PAGES)


def test_only_a_bounded_number_of_candidates_is_ranked_and_bodies_are_never_read(client, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    ArticleFactory.create_batch(8, title="Interleukin treatment")
    response, sql = results(client, q="interleukin")
    assert len(response.context["articles"]) == 5  # the best of the five the index gave first
    ranked = [s for s in sql if "ts_rank" in s and "articlerevision" in s]
    assert ranked and all("LIMIT 5" in s for s in ranked)
    assert not [s for s in ranked if '"cytokines_articlerevision"."content"' in s]
    # The candidates come in no order: the model's default order sorted every match of a common word
    # before taking the first five (100 ms for "interleukin" at 100,000 articles).
    candidates = [s.split(" IN (", 1)[1] for s in ranked]
    assert all("ORDER BY" not in c.split("LIMIT 5")[0] for c in candidates)


def test_search_query_count_is_constant(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(30, title="Interleukin treatment")
    with django_assert_max_num_queries(4):  # articles, medicines, glossary terms; site settings on a cold cache
        client.get(reverse("cytokines:search"), {"q": "interleukin", "page": "2"})
