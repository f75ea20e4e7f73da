"""A search asked again is answered from this process's recent results, until anything is published
(cytokines/public/recent_searches.py, issue 16)."""

import pytest
from django.urls import reverse

from cytokines.public import cache as page_cache
from cytokines.public import recent_searches
from cytokines.review import workflow

from ..factories import ArticleFactory, awaiting_publication

pytestmark = pytest.mark.django_db

SEARCH = reverse("cytokines:search")


def test_the_same_search_again_runs_no_query_and_shows_the_same_results(client, django_assert_num_queries):
    ArticleFactory.create_batch(3, title="Interleukin treatment")
    first = client.get(SEARCH, {"q": "interleukin"}).content.decode()
    assert first.count('class="card"') == 3
    with django_assert_num_queries(0):
        again = client.get(SEARCH, {"q": "interleukin"}).content.decode()
    assert again == first.replace(_token(first), _token(again))  # only the form's CSRF token differs
    with django_assert_num_queries(0):  # spaces around and between the words do not make a new search
        assert client.get(SEARCH, {"q": "  interleukin "}).content.decode().count('class="card"') == 3


def _token(html):
    marker = 'name="csrfmiddlewaretoken" value="'
    return html.split(marker, 1)[1].split('"', 1)[0] if marker in html else ""


def test_a_publish_retires_every_kept_search(client, staff, django_capture_on_commit_callbacks):
    article = awaiting_publication(title="Tasonermin basics")
    assert client.get(SEARCH, {"q": "tasonermin"}).context["articles"] == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(article=article, user=staff["editor"], name="publish")
    found = client.get(SEARCH, {"q": "tasonermin"})
    assert [a.article_id for a in found.context["articles"]] == [article.pk]
    assert "Tasonermin basics" in found.content.decode()


def test_other_pages_of_results_and_other_languages_are_kept_apart(client):
    ArticleFactory.create_batch(25, title="Interleukin treatment")
    first = client.get(SEARCH, {"q": "interleukin"}).content.decode()
    second = client.get(SEARCH, {"q": "interleukin", "page": "2"}).content.decode()
    assert first.count('class="card"') == 20 and second.count('class="card"') == 5
    spanish = client.get("/es" + SEARCH, {"q": "interleukin"}).content.decode()
    assert "Se encontraron" in spanish and "found for" not in spanish  # the Spanish page's own words
    assert recent_searches.kept() == 3


def test_the_store_is_bounded_the_oldest_search_goes_first(client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(recent_searches._recent, "size", 3)
    ArticleFactory(title="Interleukin treatment")
    for word in ("interleukin", "fever", "tiredness", "nausea"):
        client.get(SEARCH, {"q": word})
    assert recent_searches.kept() == 3
    with django_assert_num_queries(0):
        client.get(SEARCH, {"q": "nausea"})
    html = client.get(SEARCH, {"q": "interleukin"}).content.decode()  # dropped: searched again
    assert "Interleukin treatment" in html


def test_with_the_shared_cache_down_every_search_runs(client, monkeypatch):
    monkeypatch.setattr(page_cache, "content_version", lambda request: None)  # what an outage answers
    ArticleFactory(title="Interleukin treatment")
    client.get(SEARCH, {"q": "interleukin"})
    assert recent_searches.kept() == 0
    assert "Interleukin treatment" in client.get(SEARCH, {"q": "interleukin"}).content.decode()


def test_a_query_is_shown_escaped_from_the_kept_results_too(client):
    for _ in range(2):
        html = client.get(SEARCH, {"q": "<b>fever</b>"}).content.decode()
        assert "<b>fever</b>" not in html and "&lt;b&gt;fever&lt;/b&gt;" in html


def test_the_language_switcher_keeps_the_search(client):
    html = client.get(SEARCH, {"q": "fever & chills"}).content.decode()
    assert 'href="/es/search/?q=fever+%26+chills" lang="es"' in html  # the switcher
    assert 'hreflang="es" href="http://testserver/es/search/?q=fever+%26+chills"' in html
    spanish = client.get("/es" + SEARCH, {"q": "fiebre"}).content.decode()
    assert f'href="{SEARCH}?q=fiebre" lang="en"' in spanish
