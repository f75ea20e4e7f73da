import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cytokines.content import live_version
from cytokines.models import Agent, Article, PageFeedback
from cytokines.review import workflow

from ..factories import (
    AgentFactory,
    ArticleFactory,
    ArticleReferenceFactory,
    awaiting_publication,
    confirmed_checklist,
    make_live,
    medical_reviewer,
)

pytestmark = pytest.mark.django_db


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, "expected one JSON-LD block"
    return json.loads(blocks[0])


# --- search ------------------------------------------------------------------------------------


def test_search_finds_an_agent_by_brand_name(client, demo_content):
    response = client.get(reverse("cytokines:search"), {"q": "Proleukin"})
    assert [a.slug for a in response.context["agents"]] == ["interleukin-2"]


def test_search_finds_articles_by_words_in_the_body(client, demo_content):
    response = client.get(reverse("cytokines:search"), {"q": "hairy cell leukemia"})
    slugs = [a.slug for a in response.context["articles"]]
    assert "interferons-in-cancer-treatment" in slugs


def test_search_ranks_title_matches_first_on_postgresql(client, demo_content):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranking needs PostgreSQL full-text search")
    response = client.get(reverse("cytokines:search"), {"q": "peginterferon"})
    assert response.context["articles"][0].slug == "peginterferon-for-myeloproliferative-neoplasms"


def test_search_never_shows_drafts(client):
    ArticleFactory(status=Article.Status.DRAFT, title="Secret aldesleukin draft", last_reviewed=None,
                   next_review_due=None)  # fmt: skip
    AgentFactory(status=Agent.Status.DRAFT, name="Secretkine", brand_names="Hushlukin", last_reviewed=None,
                 next_review_due=None)  # fmt: skip
    for q in ("aldesleukin", "Hushlukin"):
        html = client.get(reverse("cytokines:search"), {"q": q}).content.decode()
        assert "Secret" not in html


@pytest.mark.parametrize("q", ["", "   ", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000])
def test_search_survives_odd_queries(client, demo_content, q):
    response = client.get(reverse("cytokines:search"), {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


# --- machine-readable --------------------------------------------------------------------------


def test_article_jsonld_is_a_medical_web_page_with_review_data(client, demo_content):
    article = Article.objects.get(slug="interleukins-in-cancer-treatment")
    data = jsonld(client.get(article.get_absolute_url()).content.decode())
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == article.last_reviewed.isoformat()
    assert data["reviewedBy"][0]["name"] == "Dr. Amara Okafor"
    assert len(data["citation"]) == article.article_references.count()
    assert data["citation"][0]["sameAs"].startswith("https://doi.org/")


def test_faq_article_carries_faqpage_jsonld(client, demo_content):
    article = Article.objects.get(kind=Article.Kind.FAQ, status=Article.Status.PUBLISHED, language="en")
    data = jsonld(client.get(article.get_absolute_url()).content.decode())
    questions = data["mainEntity"]["mainEntity"]
    assert data["mainEntity"]["@type"] == "FAQPage"
    assert [q["name"] for q in questions] == list(article.faq_items.values_list("question", flat=True))


def test_agent_jsonld_is_a_drug(client, demo_content):
    data = jsonld(client.get(reverse("cytokines:agent-detail", args=["interleukin-2"])).content.decode())
    assert data["@type"] == "Drug"
    assert data["nonProprietaryName"] == "aldesleukin" and data["proprietaryName"] == ["Proleukin"]


def test_jsonld_cannot_be_broken_out_of_by_editor_text(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    ArticleReferenceFactory(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert jsonld(html)["name"] == "</script><script>alert(1)</script>"


def test_pages_have_canonical_links_and_meta_descriptions(client, demo_content):
    article = Article.objects.published().first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    assert f'<meta name="description" content="{article.summary}">' in html.replace("&#x27;", "'")


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client):
    """Every page address in the sitemap: the index at /sitemap.xml, then each section it names."""
    index = ET.fromstring(client.get(reverse("cytokines:sitemap")).content)
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    urls = set()
    for section in index.iter(f"{SITEMAP_NS}loc"):
        response = client.get(section.text.removeprefix("http://testserver"))
        assert response.status_code == 200, section.text
        urls |= {el.text for el in ET.fromstring(response.content).iter(f"{SITEMAP_NS}loc")}
    return urls


def test_sitemap_lists_published_pages_only(client, demo_content):
    urls = sitemap_urls(client)
    for article in Article.objects.all():
        assert (f"http://testserver{article.get_absolute_url()}" in urls) == article.is_published
    assert "http://testserver/agents/interleukin-2/" in urls


def test_sitemap_sections_are_bounded_and_read_no_page_text(client, demo_content, monkeypatch):
    from cytokines.public import sitemaps

    monkeypatch.setattr(sitemaps.Section, "limit", 2)
    published = Article.objects.published().count()
    assert published > 2
    urls = sitemap_urls(client)
    articles = {url for url in urls if re.match(r"http://testserver/(es/)?articles/[^/]+/$", url)}
    assert len(articles) == published  # every article in either language, over several pages of the section
    assert "sitemap-articles.xml?p=2" in client.get(reverse("cytokines:sitemap")).content.decode()
    sql = str(sitemaps.ArticleSection().rows().query)
    assert '"slug"' in sql and '"content"' not in sql and '"body"' not in sql


def test_each_sitemap_page_reads_its_own_rows_only(client, demo_content, monkeypatch):
    """Django's sitemap listed every article in memory for each page of a section (974 ms and 1.7 MB a page at
    100,000 articles), and an OFFSET would make the last page the slowest: a page reads one block of ids."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cytokines.public import sitemaps

    monkeypatch.setattr(sitemaps.Section, "limit", 3)
    pages = sitemaps.ArticleSection().page_count()
    assert pages > 1
    assert f"sitemap-articles.xml?p={pages}<" in client.get(reverse("cytokines:sitemap")).content.decode()
    for page in (1, pages):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/sitemap-articles.xml?p={page}")
        assert response.status_code == 200
        assert response.content.decode().count("<loc>") <= 3
        article_reads = [q["sql"] for q in queries if '"cytokines_article"' in q["sql"] and "MAX(" not in q["sql"]]
        assert article_reads and all('"cytokines_article"."id" >' in sql and "OFFSET" not in sql
                                     for sql in article_reads)  # fmt: skip
    assert client.get(f"/sitemap-articles.xml?p={pages + 1}").status_code == 404


def test_robots_txt_names_the_sitemap_and_keeps_robots_out_of_staff_pages(client, django_assert_num_queries):
    client.get("/robots.txt")  # the site settings' time zone, read once into the cache
    with django_assert_num_queries(0):  # no database: the load benchmark's trivial view
        response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines  # the configured address, never the Host header
    assert {"Disallow: /admin/", "Disallow: /review-calendar/", "Disallow: /review-preview/"} <= set(lines)
    assert "Disallow: /" not in lines  # readers' pages stay open to search engines
    assert client.get("/robots.txt", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("name", ["cytokines:feed-rss", "cytokines:feed-atom"])
def test_feeds_list_published_and_re_reviewed_articles(client, demo_content, name):
    body = client.get(reverse(name)).content.decode()
    for article in Article.objects.all():
        assert (article.title in body) == article.is_published


# --- errors ------------------------------------------------------------------------------------


def test_404_page_is_friendly_and_offers_a_way_on(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We cannot find that page" in html and 'href="/agents/"' in html


def test_500_page_renders_without_the_database():
    from cytokines.public.views import server_error

    response = server_error(None)
    assert response.status_code == 500 and b"something went wrong" in response.content.lower()


# --- feedback ----------------------------------------------------------------------------------


def feedback_url(article):
    return reverse("cytokines:article-feedback", args=[article.slug])


def test_feedback_is_stored_for_editors(client):
    article = ArticleFactory()
    response = client.post(feedback_url(article), {"helpful": "no", "comment": "Explain dosing."})
    assert response.status_code == 302
    feedback = PageFeedback.objects.get()
    assert (feedback.article, feedback.helpful, feedback.comment) == (article, False, "Explain dosing.")


@pytest.mark.parametrize(
    "data",
    [{}, {"helpful": "maybe"}, {"helpful": "yes", "comment": "x" * 501}, {"helpful": "yes", "website": "spam.biz"}],
)
def test_bad_or_robot_feedback_writes_nothing(client, data):
    article = ArticleFactory()
    client.post(feedback_url(article), data)
    assert not PageFeedback.objects.exists()


def test_feedback_on_a_draft_is_refused(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    assert client.post(feedback_url(draft), {"helpful": "yes"}).status_code == 404


def test_feedback_is_rate_limited_per_client(client):
    article = ArticleFactory()
    for _ in range(25):
        client.post(feedback_url(article), {"helpful": "yes"})
    assert PageFeedback.objects.count() == 20


def test_feedback_needs_a_csrf_token_and_the_cached_page_supplies_a_working_one():
    article = ArticleFactory()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(feedback_url(article), {"helpful": "yes"}).status_code == 403
    strict.get(article.get_absolute_url())  # warm the cache with this client's token
    other = Client(enforce_csrf_checks=True)
    html = other.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert other.post(feedback_url(article), {"helpful": "yes", "csrfmiddlewaretoken": token}).status_code == 302
    assert PageFeedback.objects.count() == 1


# --- cache -------------------------------------------------------------------------------------


def test_cached_article_page_is_served_without_queries(client, django_assert_num_queries):
    article = ArticleFactory()
    ArticleReferenceFactory(article=article)
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200 and second["ETag"] == first["ETag"]
    assert "Last-Modified" in second


def test_conditional_get_answers_304(client):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_publishing_invalidates_cached_pages(client, make_user, django_capture_on_commit_callbacks):
    article = awaiting_publication(title="Cached")
    assert "Cached" not in client.get(reverse("cytokines:article-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.article_transition(article=article, user=make_user("ed", workflow.EDITOR), name="publish")
    assert live_version.bump in callbacks
    assert "Cached" in client.get(reverse("cytokines:article-list")).content.decode()


def new_live_text(article, **changes):
    """A new revision goes live without the workflow's cache write path (to show what that path is for)."""
    Article.objects.filter(pk=article.pk).update(**changes)
    article.refresh_from_db()
    make_live(article)


def test_without_invalidation_the_cached_page_would_be_stale(client):
    article = ArticleFactory(title="Old title")
    client.get(article.get_absolute_url())
    new_live_text(article, title="New title")
    assert "Old title" in client.get(article.get_absolute_url()).content.decode()
    live_version.bump()
    assert "New title" in client.get(article.get_absolute_url()).content.decode()


def test_an_admin_edit_changes_the_public_page_only_once_published(
    client, make_user, django_capture_on_commit_callbacks
):
    from ..admin_forms import change_form_data

    article = ArticleFactory(title="Old title")
    ArticleReferenceFactory(article=article)
    assert "Old title" in client.get(article.get_absolute_url()).content.decode()
    editor_client = Client()
    editor_client.force_login(make_user("ed", workflow.EDITOR))
    url = reverse("admin:cytokines_article_change", args=[article.pk])
    data = change_form_data(editor_client.get(url))
    data["title"] = "New title"
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    live_version.bump()  # even with the cache retired, readers see the live revision
    assert "Old title" in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for user, step in [(make_user("w", workflow.WRITER), "submit"), (medical_reviewer(), "approve_medical"),
                           (make_user("ed2", workflow.EDITOR), "publish")]:  # fmt: skip
            workflow.article_transition(article=article, user=user, name=step, checklist=confirmed_checklist())
    assert "New title" in client.get(article.get_absolute_url()).content.decode()


def test_logged_in_staff_bypass_the_cache(client, make_user):
    article = ArticleFactory(title="Old title")
    client.get(article.get_absolute_url())
    new_live_text(article, title="Fresh title")
    client.force_login(make_user("ed", workflow.EDITOR))
    assert "Fresh title" in client.get(article.get_absolute_url()).content.decode()
    assert cache.get(live_version.VERSION_KEY) is not None


def test_search_reads_the_live_revision_on_postgresql(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the stored search document is PostgreSQL's")
    article = ArticleFactory(title="Aldesleukin basics")
    Article.objects.filter(pk=article.pk).update(title="Tasonermin basics")  # the working copy only
    search = reverse("cytokines:search")
    assert [a.article_id for a in client.get(search, {"q": "aldesleukin"}).context["articles"]] == [article.pk]
    assert client.get(search, {"q": "tasonermin"}).context["articles"] == []
    new_live_text(article)  # published: the new revision's search document is made as it is stored
    live_version.bump()  # as every publish does: searches kept by this process are retired
    assert [a.article_id for a in client.get(search, {"q": "tasonermin"}).context["articles"]] == [article.pk]
    assert client.get(search, {"q": "aldesleukin"}).context["articles"] == []


def test_a_new_live_revision_replaces_the_old_text(client):
    article = ArticleFactory(body="First version of the text.")
    client.get(article.get_absolute_url())
    new_live_text(article, body="Second version of the text.")
    live_version.bump()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Second version" in html and "First version" not in html


def test_article_list_is_paginated(client):
    ArticleFactory.create_batch(35)
    first = client.get(reverse("cytokines:article-list")).content.decode()
    second = client.get(reverse("cytokines:article-list"), {"page": 2}).content.decode()
    assert first.count('class="card"') == 30 and second.count('class="card"') == 5
    assert "Page 1 of 2" in first


def test_head_requests_get_headers_without_a_body(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    response = client.head(article.get_absolute_url())
    assert response.status_code == 200 and response.content == b"" and response["ETag"]
