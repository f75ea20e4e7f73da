"""Lists that grow with the library page through it, most relevant first, and never count or skip past a bound."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cytokines.models import CancerType
from cytokines.public import pagination

from ..factories import ArticleFactory, make_live

pytestmark = pytest.mark.django_db


def live_articles_about(cancer, count, start=0, **kwargs):
    articles = []
    for n in range(start, start + count):
        article = ArticleFactory(title=f"Article {n:03d}", **kwargs)
        article.cancer_types.add(cancer)
        make_live(article)
        articles.append(article)
    return articles


def titles(html):
    return [line.split(">Article ")[1][:3] for line in html.split("<h3>") if ">Article " in line]


def test_a_cancer_type_page_shows_featured_articles_first_and_pages_the_rest(client):
    cancer = CancerType.objects.create(name="Melanoma", slug="melanoma")
    live_articles_about(cancer, 23)
    live_articles_about(cancer, 1, start=900, is_featured=True)  # last by title, first by relevance
    first = client.get(cancer.get_absolute_url()).content.decode()
    assert titles(first)[:2] == ["900", "000"]  # the featured one leads, then A to Z
    assert len(titles(first)) == 20 and 'rel="next"' in first and "Page 1 of 2" in first
    second = client.get(cancer.get_absolute_url() + "?page=2").content.decode()
    assert len(titles(second)) == 4 and 'rel="prev"' in second and "Page 2 of 2" in second
    assert not set(titles(first)) & set(titles(second))


def test_the_article_list_stops_at_its_bound_and_says_how_to_find_the_rest(client, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_PAGES", 2)
    cancer = CancerType.objects.create(name="Kidney cancer", slug="kidney-cancer")
    live_articles_about(cancer, 7)
    monkeypatch.setattr("cytokines.public.views.BoundedPaginator",
                        lambda rows, per_page: pagination.BoundedPaginator(rows, 3))  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        last = client.get(reverse("cytokines:article-list") + "?page=2").content.decode()
    assert "Page 2 of 2" in last and 'rel="next"' not in last
    assert "The list stops after its first 6 entries" in last
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 7" in sql for sql in counts)  # counted only one past the bound
    beyond = client.get(reverse("cytokines:article-list") + "?page=3").content.decode()
    assert "Page 2 of 2" in beyond  # a deeper page number shows the last page, it never OFFSETs further


def test_a_short_list_says_nothing_about_a_bound(client):
    cancer = CancerType.objects.create(name="Leukemia", slug="leukemia")
    live_articles_about(cancer, 2)
    html = client.get(reverse("cytokines:article-list")).content.decode()
    assert "The list stops" not in html and 'class="pagination"' not in html
