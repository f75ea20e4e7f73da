"""Saved pages: the index of every page's dates, the list page, and the Save/share tools on pages."""

import datetime
import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.urls import reverse

from cytokines.models import Agent, Article

from ..factories import AgentFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def test_index_gives_every_published_page_its_title_kind_and_dates(client):
    article = ArticleFactory(title="Interleukins", last_revised=datetime.date(2026, 2, 1),
                             last_reviewed=datetime.date(2026, 3, 1))  # fmt: skip
    agent = AgentFactory(name="Aldesleukin", last_revised=None)
    ArticleFactory(status=Article.Status.DRAFT, title="Draft")
    article.title = "Interleukins, a pending revision"  # readers (and the index) see the live revision
    article.save()
    AgentFactory(status=Agent.Status.ARCHIVED, last_reviewed=None, next_review_due=None)

    response = client.get(reverse("cytokines:saved-pages-index"))

    assert response["Content-Type"] == "application/json"
    assert response.json() == {"pages": {
        article.get_absolute_url(): {"title": "Interleukins", "kind": "Article", "revised": "2026-02-01",
                                     "reviewed": "2026-03-01"},
        agent.get_absolute_url(): {"title": "Aldesleukin", "kind": "Medicine fact sheet", "revised": "",
                                   "reviewed": agent.last_reviewed.isoformat()},
    }}  # fmt: skip


def test_index_is_one_public_cached_file_for_every_reader(client, django_assert_num_queries):
    ArticleFactory.create_batch(3)
    url = reverse("cytokines:saved-pages-index")
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url + "?saved=/articles/article-1/")  # nothing a reader sends changes the answer
    assert again.content == first.content
    assert "public" in again["Cache-Control"]


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
