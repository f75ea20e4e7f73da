"""Attacks on the whole-page cache and on what a cached page says about itself (issue 22, #2-#5)."""

import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cytokines.ops.mail import mail_send_queued
from cytokines.review import workflow

from ..factories import AgentFactory, ArticleFactory, ArticleReferenceFactory

pytestmark = pytest.mark.django_db

TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SITE = "https://portal.example.org"


def page_entries():
    """How many whole pages the cache holds (the test cache is local memory)."""
    return sum("public-page:" in key for key in cache._cache)


# --- #2: the CSRF placeholder ------------------------------------------------------------------


def test_csrf_placeholder_written_by_an_editor_is_never_replaced_by_a_readers_token(client):
    article = ArticleFactory(body="Read [the study](https://evil.example/collect?t=__CSRF_TOKEN__) [1].")
    ArticleReferenceFactory(article=article, position=1)
    client.get(article.get_absolute_url())  # stores the page
    html = client.get(article.get_absolute_url()).content.decode()  # served from the cache
    token = TOKEN_INPUT.search(html).group(1)
    assert 'href="https://evil.example/collect?t=__CSRF_TOKEN__"' in html
    assert token not in html.replace(f'value="{token}"', "")  # the token is only in the form's own field


# --- #3: absolute URLs come from configuration ------------------------------------------------


@pytest.fixture
def configured_site(settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    settings.PORTAL_BASE_URL = SITE


def test_host_header_with_another_port_cannot_change_absolute_urls(client, configured_site):
    article = ArticleFactory()
    ArticleReferenceFactory(article=article, position=1)
    agent = AgentFactory()
    urls = [article.get_absolute_url(), agent.get_absolute_url(), reverse("cytokines:feed-rss"),
            reverse("cytokines:feed-atom"), reverse("cytokines:sitemap")]  # fmt: skip
    for url in urls:
        poisoned = client.get(url, HTTP_HOST="portal.example.org:1234")  # ALLOWED_HOSTS ignores the port
        assert poisoned.status_code == 200, url
        later = client.get(url, HTTP_HOST="portal.example.org").content.decode()
        for body in (poisoned.content.decode(), later):
            assert ":1234" not in body, url
            assert "http://portal.example.org" not in body, url  # the scheme is configured too
    html = client.get(article.get_absolute_url(), HTTP_HOST="portal.example.org:1234").content.decode()
    assert f'<link rel="canonical" href="{SITE}{article.get_absolute_url()}">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["url"] == SITE + article.get_absolute_url()
    index = client.get(reverse("cytokines:sitemap"), HTTP_HOST="portal.example.org").content.decode()
    assert f"<loc>{SITE}/sitemap-articles.xml</loc>" in index
    sitemap = client.get("/sitemap-articles.xml", HTTP_HOST="portal.example.org").content.decode()
    assert f"<loc>{SITE}{article.get_absolute_url()}</loc>" in sitemap


def test_links_in_emails_and_the_calendar_come_from_configuration_not_the_host_header(client, configured_site, staff):
    client.post(reverse("cytokines:newsletter"), {"email": "reader@example.org", "consent": "on"},
                HTTP_HOST="portal.example.org:1234")  # fmt: skip
    mail_send_queued()
    assert len(mail.outbox) == 1
    assert ":1234" not in mail.outbox[0].body and f"{SITE}/newsletter/confirm/" in mail.outbox[0].body
    editor = Client(HTTP_HOST="portal.example.org:1234")
    editor.force_login(staff["editor"])
    page = editor.get(reverse("admin:cytokines_calendar_link")).content.decode()
    assert ":1234" not in page and f"{SITE}/review-calendar/" in page


# --- #4: cache-busting query strings ------------------------------------------------------------


def test_cache_busting_query_strings_neither_render_nor_store_new_pages(client, django_assert_num_queries):
    article = ArticleFactory()
    ArticleReferenceFactory(article=article, position=1)
    for path in (article.get_absolute_url(), reverse("cytokines:article-list")):
        client.get(path)
        with django_assert_num_queries(0):
            for n in range(50):
                assert client.get(f"{path}?cb={n}&utm_source=mail{n}").status_code == 200
    assert page_entries() == 2


def test_only_the_parameters_a_page_uses_make_a_new_cache_entry(client):
    ArticleFactory.create_batch(35)
    url = reverse("cytokines:article-list")
    assert "Page 2 of 2" in client.get(url, {"page": 2, "utm": "x"}).content.decode()
    for page in ("2", "02", "99999", "nonsense", "2\N{ARABIC-INDIC DIGIT TWO}"):
        client.get(url, {"page": page, "cb": page})
    for kind in ("news", "faq", "made-up", "x" * 300):
        client.get(url, {"kind": kind})
    # page 1 (nothing asked for) was never requested; page 2, plus one list per real kind: 3 entries.
    assert page_entries() == 3


# --- #5: what shared caches may keep --------------------------------------------------------


def test_pages_with_a_form_are_private_and_vary_on_cookie(client):
    article = ArticleFactory()
    for url in (article.get_absolute_url(), article.get_absolute_url(), reverse("cytokines:donate"),
                reverse("cytokines:newsletter")):  # fmt: skip
        response = client.get(url)
        assert "csrfmiddlewaretoken" in response.content.decode(), url
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url


def test_public_pages_without_forms_may_be_shared_but_vary_on_cookie(client):
    AgentFactory()
    for _ in range(2):  # rendered, then served from the cache
        response = client.get(reverse("cytokines:agent-list"))
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "public" in response["Cache-Control"] and "Cookie" in response["Vary"]


def test_signed_in_responses_are_private(client, make_user):
    article = ArticleFactory()
    client.get(article.get_absolute_url())  # a cached copy exists
    client.force_login(make_user("ed", workflow.EDITOR))
    for url in (article.get_absolute_url(), reverse("cytokines:agent-list"), reverse("cytokines:search")):
        response = client.get(url)
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url
