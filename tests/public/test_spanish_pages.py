"""Spanish pages of translated content: at their own address, linked both ways (switcher, hreflang), a calm
notice when the English page changed since the translation's version, search in Spanish, PDFs per language."""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse

from cytokines.content.languages import localized_reverse
from cytokines.models import Agent, Article
from cytokines.review.publishing import go_live

from ..factories import AgentFactory, ArticleFactory, ArticleReferenceFactory, ContributorFactory, make_live

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's Spanish search")


def english_and_spanish(**spanish):
    source = ArticleFactory(title="Interleukin-2 in the hospital", slug="interleukin-2-in-the-hospital",
                            body="High-dose interleukin-2 is given in the hospital [1].",
                            last_reviewed=datetime.date(2026, 1, 5),
                            next_review_due=datetime.date(2029, 1, 5))  # fmt: skip
    ArticleReferenceFactory(article=source, position=1)
    make_live(source)
    page = ArticleFactory(title="La interleucina-2 en el hospital", slug="la-interleucina-2-en-el-hospital",
                          language="es", translation_of=source, source_revision=source.live_revision,
                          body="La interleucina-2 en dosis altas se da en el hospital [1].",
                          summary="Cómo es el tratamiento con aldesleukina (Proleukin).",
                          last_reviewed=datetime.date(2026, 2, 1), next_review_due=datetime.date(2029, 2, 1),
                          **spanish)  # fmt: skip
    ArticleReferenceFactory(article=page, reference=source.article_references.get().reference, position=1)
    page.reviewers.set([ContributorFactory(name="Dr. Lucía Herrera", credentials="MD")])
    make_live(page)
    return source, page


def change_english(source, body):
    from cytokines.content import live_version

    source.body = body
    source.save()
    revision = go_live(source, approvers={})  # the English page's new live text
    live_version.bump()  # as the workflow does once its transaction commits: cached pages retire
    return revision


def test_the_spanish_page_lives_under_es_and_both_pages_link_each_other(client):
    source, page = english_and_spanish()
    assert page.get_absolute_url() == "/es/articles/la-interleucina-2-en-el-hospital/"
    spanish = client.get(page.get_absolute_url())
    html = spanish.content.decode()
    assert spanish.status_code == 200 and '<html lang="es"' in html
    assert 'hreflang="en" href="http://' in html and "/articles/interleukin-2-in-the-hospital/" in html
    english = client.get(source.get_absolute_url()).content.decode()
    assert 'hreflang="es"' in english and "/es/articles/la-interleucina-2-en-el-hospital/" in english
    # Asked for under the other language's prefix, each page leads to its version in that language.
    assert client.get("/es/articles/interleukin-2-in-the-hospital/")["Location"] == page.get_absolute_url()
    assert client.get("/articles/la-interleucina-2-en-el-hospital/")["Location"] == source.get_absolute_url()


def test_a_source_revision_marks_the_translation_out_of_date_and_readers_see_the_notice(client):
    source, page = english_and_spanish()
    assert "translation-notice" not in client.get(page.get_absolute_url()).content.decode()
    assert list(Article.objects.out_of_date_translations()) == []

    updated = change_english(source, "High-dose interleukin-2 is given in an intensive care unit [1].")
    assert list(Article.objects.out_of_date_translations()) == [page]
    html = client.get(page.get_absolute_url()).content.decode()
    assert "translation-notice" in html
    assert f'href="{source.get_absolute_url()}" hreflang="en"' in html
    assert f"{updated.created_at:%Y}" in html  # "updated on <date>" (the date in the reader's language)
    assert "translation-notice" not in client.get(source.get_absolute_url()).content.decode()


def test_the_notice_leaves_when_the_translation_follows_the_new_english_text(client):
    source, page = english_and_spanish()
    updated = change_english(source, "High-dose interleukin-2 is given in an intensive care unit [1].")
    page.source_revision = updated
    page.body = "La interleucina-2 en dosis altas se da en una unidad de cuidados intensivos [1]."
    page.save()
    make_live(page)
    assert "translation-notice" not in client.get(page.get_absolute_url()).content.decode()


# With the site settings cached: the page, its other languages, its medicines, its cancer types, whether the
# English page changed since the translation; nothing grows with the number of languages or revisions.
SPANISH_PAGE_QUERIES = 5


@pytest.mark.parametrize("out_of_date", [False, True])
def test_spanish_article_page_query_count_is_constant(client, django_assert_num_queries, out_of_date):
    source, page = english_and_spanish()
    if out_of_date:
        change_english(source, "Other words [1].")
    client.get(reverse("cytokines:home"))  # the live site settings, cached
    with django_assert_num_queries(SPANISH_PAGE_QUERIES):
        response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert ("translation-notice" in response.content.decode()) is out_of_date


def spanish_agent():
    source = AgentFactory(name="Interleukin-2 (aldesleukin)", slug="interleukin-2", nonproprietary_name="aldesleukin",
                          brand_names="Proleukin")  # fmt: skip
    page = AgentFactory(name="Interleucina-2 (aldesleukina)", slug="interleucina-2", language="es",
                        nonproprietary_name="aldesleukina", brand_names="Proleukin", translation_of=source,
                        source_revision=source.live_revision, summary="Una interleucina que se da en el hospital.",
                        mechanism="Hace que se multipliquen los linfocitos T.", live=False)  # fmt: skip
    make_live(page)
    return source, page


@on_postgresql
@pytest.mark.parametrize("query", ["interleucina", "interleucína", "aldesleukina", "Proleukin", "aldesleukin"])
def test_spanish_search_finds_spanish_pages_by_spanish_english_and_brand_names(client, query):
    _, article = english_and_spanish()
    _, agent = spanish_agent()
    response = client.get("/es/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert agent.get_absolute_url() in html
    if query.startswith("interleuc"):
        assert article.get_absolute_url() in html  # the Spanish stemmer, accents ignored


@on_postgresql
def test_english_search_stays_english_and_a_spanish_word_finds_the_english_version(client):
    source, _ = english_and_spanish()
    english_agent, _ = spanish_agent()
    html = client.get("/search/", {"q": "interleukin"}).content.decode()
    assert source.get_absolute_url() in html and "/es/" not in html.split("<main", 1)[-1].split("</main>")[0]
    html = client.get("/search/", {"q": "aldesleukina"}).content.decode()
    assert english_agent.get_absolute_url() in html  # found through its translation, answered in English


def test_search_in_spanish_works_without_postgresql_features(client):
    _, agent = spanish_agent()
    response = client.get("/es/search/", {"q": "Proleukin"})
    assert response.status_code == 200 and agent.get_absolute_url() in response.content.decode()


def pdf_text(data):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_of_an_article_has_its_title_dates_reviewer_and_references(client):
    _, page = english_and_spanish()
    html = client.get(page.get_absolute_url()).content.decode()
    url = localized_reverse("cytokines:article-pdf", "es", slug=page.slug)
    assert url.startswith("/es/") and f'href="{url}"' in html  # "Download PDF" in the page's language
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    reference = page.live_revision.content["references"][0]
    assert "La interleucina-2 en el hospital" in text
    assert "2026" in text and "2029" in text  # last reviewed, next review due
    assert "Dr. Lucía Herrera" in text
    assert reference["title"] in text and reference["doi"] in text


def test_the_pdf_is_made_once_per_published_version_and_language(client, django_assert_max_num_queries):
    from cytokines.public import pdf

    _, page = english_and_spanish()
    url = localized_reverse("cytokines:article-pdf", "es", slug=page.slug)
    first = client.get(url).content
    with django_assert_max_num_queries(1):  # the live revision; the PDF comes from the cache
        assert client.get(url).content == first
    old_key = pdf.cache_key(page.live_revision)
    page.title = "La interleucina-2 en el hospital: qué esperar"
    page.save()
    make_live(page)
    page.refresh_from_db()
    assert pdf.cache_key(page.live_revision) != old_key
    assert "qué esperar" in pdf_text(client.get(url).content)


def test_the_fact_sheet_pdf_in_spanish(client):
    _, agent = spanish_agent()
    response = client.get(localized_reverse("cytokines:agent-pdf", "es", slug=agent.slug))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert "Interleucina-2 (aldesleukina)" in text and "Proleukin" in text


def test_drafts_have_no_pdf(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    assert client.get(reverse("cytokines:article-pdf", args=[draft.slug])).status_code == 404
    agent = AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None)
    assert client.get(localized_reverse("cytokines:agent-pdf", "es", slug=agent.slug)).status_code == 404
