"""Saved pages: the index of every page's dates, the list page, and the Save/share tools on pages."""

import datetime
import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.urls import reverse

from cytokines.content.saved_index import BUCKET_COUNTS, MIN_BUCKETS, bucket_count, slug_bucket
from cytokines.models import Agent, Article

from ..factories import AgentFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def bucket_url(page, count=MIN_BUCKETS):
    return reverse("cytokines:saved-pages-bucket", args=[count, slug_bucket(page.live_revision.slug, count)])


def test_a_bucket_gives_each_of_its_published_pages_its_title_kind_and_dates(client):
    article = ArticleFactory(title="Interleukins", slug="interleukins", last_revised=datetime.date(2026, 2, 1),
                             last_reviewed=datetime.date(2026, 3, 1))  # fmt: skip
    agent = AgentFactory(name="Aldesleukin", slug="aldesleukin", last_revised=None)
    ArticleFactory(status=Article.Status.DRAFT, title="Draft")
    article.title = "Interleukins, a pending revision"  # readers (and the index) see the live revision
    article.save()
    AgentFactory(status=Agent.Status.ARCHIVED, last_reviewed=None, next_review_due=None)

    response = client.get(bucket_url(article))

    assert response["Content-Type"] == "application/json"
    assert response.json()["pages"][article.get_absolute_url()] == {
        "title": "Interleukins", "kind": "Article", "revised": "2026-02-01", "reviewed": "2026-03-01"}
    assert client.get(bucket_url(agent)).json()["pages"][agent.get_absolute_url()] == {
        "title": "Aldesleukin", "kind": "Medicine fact sheet", "revised": "",
        "reviewed": agent.last_reviewed.isoformat()}  # fmt: skip


def test_each_bucket_lists_only_the_pages_whose_slug_falls_in_it(client):
    articles = ArticleFactory.create_batch(40)
    answers = {}
    for count in BUCKET_COUNTS:  # however finely the index is split
        answers = {}
        for bucket in {slug_bucket(a.slug, count) for a in articles}:
            url = reverse("cytokines:saved-pages-bucket", args=[count, bucket])
            answers[bucket] = client.get(url).json()["pages"]
        for article in articles:
            assert article.get_absolute_url() in answers[slug_bucket(article.slug, count)]
        assert sum(len(pages) for pages in answers.values()) == 40  # every page in exactly one bucket


@pytest.mark.parametrize("pages", [3, 60])
def test_a_bucket_costs_two_queries_however_many_pages_the_site_has(client, django_assert_num_queries, pages):
    articles = ArticleFactory.create_batch(pages)
    AgentFactory.create_batch(pages // 3)
    # The site settings (cold cache), then the articles and the fact sheets of that bucket.
    with django_assert_num_queries(3):
        client.get(bucket_url(articles[0]))


def test_the_bucket_hash_is_the_one_the_browser_computes():
    # FNV-1a of the slug's UTF-8 bytes modulo 256; the same values reader_tools.js gives (checked with node).
    assert [slug_bucket(s) for s in ("cytokines-and-cancer", "interleukin-2", "citoquinas-y-cancer")] == [185, 66, 162]
    assert slug_bucket("ñandú") == 203


def test_a_bucket_is_one_public_cached_file_for_every_reader(client, django_assert_num_queries):
    article = ArticleFactory()
    url = bucket_url(article)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url + "?saved=/articles/article-1/")  # nothing a reader sends changes the answer
    assert again.content == first.content
    assert "public" in again["Cache-Control"]


def test_no_bucket_past_the_last_and_no_index_of_every_page(client):
    assert client.get(f"/saved/pages/{MIN_BUCKETS}/{MIN_BUCKETS}.json").status_code == 404
    assert client.get(f"/saved/pages/{MIN_BUCKETS}.json").status_code == 404
    assert client.get("/saved/pages/300/1.json").status_code == 404  # not a count the index is split into
    assert client.get("/saved/pages.json").status_code == 404


def test_saved_pages_page_explains_itself_without_javascript(client):
    html = client.get(reverse("cytokines:saved-pages")).content.decode()
    assert "Saving pages needs JavaScript" in html  # hidden by the script when it runs
    assert 'id="saved-page-template"' in html and "Updated since you saved it." in html
    assert '<script src="/static/js/reader_tools.js" defer></script>' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_article_offers_save_copy_share_and_print_only_to_script_and_e_mail_to_everyone(client):
    article = ArticleFactory(title="Living with fatigue", last_revised=datetime.date(2026, 1, 5))
    html = client.get(article.get_absolute_url()).content.decode()
    tools = re.search(r"<div class=\"reader-tools\".*?</div>", html, re.S).group(0)
    for marker in ("data-save-page", "data-copy-link", "data-share-sheet", "data-print"):
        button = re.search(rf"<button [^>]*{marker}[^>]*>", tools, re.S).group(0)
        assert " hidden " in button, f"{marker} must stay hidden until the script shows it"
    assert 'data-revised="2026-01-05"' in tools and f'data-path="{article.get_absolute_url()}"' in tools
    mailto = unescape(re.search(r'href="(mailto:[^"]+)"', tools).group(1))
    assert unquote(mailto) == (
        "mailto:?subject=Living with fatigue&body=I thought you might find this page useful: Living with fatigue "
        f"http://testserver{article.get_absolute_url()}"
    )
    assert f'data-copy-link="http://testserver{article.get_absolute_url()}"' in tools


def test_fact_sheet_has_the_reader_tools_too(client):
    agent = AgentFactory(name="Aldesleukin")
    html = client.get(agent.get_absolute_url()).content.decode()
    assert 'data-save-page' in html and 'data-kind="Medicine fact sheet"' in html
    assert "/static/js/reader_tools.js" in html


def test_print_copy_names_where_it_came_from(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<p class="print-only">Printed from http://testserver{article.get_absolute_url()}.' in html


def test_the_index_is_split_more_finely_as_the_library_grows():
    """A bucket of 256 held 390 pages at 100,000 articles (14.6 ms, 3.9 times its cost at 10,000)."""
    assert bucket_count(1_000) == bucket_count(10_000) == 256
    assert bucket_count(100_000) == 2_048 and bucket_count(10**7) == 4_096
    assert 100_000 / bucket_count(100_000) <= 50


def test_the_saved_pages_page_asks_for_buckets_of_the_libraries_size(client, monkeypatch):
    from cytokines.public import saved

    monkeypatch.setattr(saved, "library_size", lambda: 100_000)
    html = client.get(reverse("cytokines:saved-pages")).content.decode()
    assert 'data-buckets="2048"' in html and 'data-bucket-url="/saved/pages/2048/0.json"' in html


def test_the_address_before_the_split_still_answers_with_256_buckets(client):
    article = ArticleFactory()
    old = client.get(f"/saved/pages/{slug_bucket(article.slug)}.json").json()["pages"]
    assert article.get_absolute_url() in old
