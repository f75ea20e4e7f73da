"""Spanish: the language in the URL, the switcher, hreflang links and <html lang> on every page type."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cytokines.models import Agent, Article, CancerType
from cytokines.ops.languages import reverse_in

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-zA-Z-]+)" href="([^"]+)">')


def _alternates(html):
    return dict(HREFLANG.findall(html))


def _interface_pages():
    """Every interface page type: (name, args) exists in both languages."""
    return [
        ("cytokines:home", []),
        ("cytokines:article-list", []),
        ("cytokines:agent-list", []),
        ("cytokines:search", []),
        ("cytokines:donate", []),
        ("cytokines:newsletter", []),
        ("cytokines:about", []),
        ("cytokines:trust-page", ["privacy"]),
        ("cytokines:trust-page", ["editorial-policy"]),
        ("cytokines:saved-pages", []),
        ("cytokines:report-problem", []),
    ]


def test_english_stays_at_the_plain_paths_and_spanish_is_under_es():
    assert reverse("cytokines:article-list") == "/articles/"
    assert reverse_in("es", "cytokines:article-list") == "/es/articles/"
    assert reverse_in("es", "cytokines:home") == "/es/"
    # Machine-read addresses have one address whatever the language.
    for name in ("cytokines:feed-atom", "cytokines:sitemap", "cytokines:payment-webhook"):
        assert reverse_in("es", name) == reverse_in("en", name)
        assert not reverse_in("es", name).startswith("/es/")


@pytest.mark.parametrize("name,args", _interface_pages())
def test_every_interface_page_has_both_languages_a_switcher_and_hreflang(client, demo_content, settings,
                                                                         name, args):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    en_path, es_path = reverse_in("en", name, args=args), reverse_in("es", name, args=args)
    english = client.get(en_path)
    spanish = client.get(es_path)
    assert english.status_code == spanish.status_code == 200, name
    en_html, es_html = english.content.decode(), spanish.content.decode()
    assert '<html lang="en-us">' in en_html
    assert '<html lang="es">' in es_html
    expected = {"en": "https://portal.example.org" + en_path, "es": "https://portal.example.org" + es_path,
                "x-default": "https://portal.example.org" + en_path}  # fmt: skip
    assert _alternates(en_html) == expected
    assert _alternates(es_html) == expected
    # The switcher leads to the same page in the other language, named in that language.
    assert f'<a href="{es_path}" lang="es" hreflang="es">Español</a>' in en_html
    assert f'<a href="{en_path}" lang="en" hreflang="en">English</a>' in es_html
    assert spanish["Content-Language"] == "es" and english["Content-Language"] == "en"


def test_cancer_type_page_in_both_languages(client, demo_content):
    cancer_type = CancerType.objects.filter(article_revisions__live_for__isnull=False).first()
    es_path = reverse_in("es", "cytokines:cancer-type-detail", args=[cancer_type.slug])
    html = client.get(es_path).content.decode()
    assert '<html lang="es">' in html
    assert set(_alternates(html)) == {"en", "es", "x-default"}


@pytest.mark.parametrize("kind", [Article.Kind.OVERVIEW, Article.Kind.FAQ])
def test_an_english_article_without_translation_says_so_and_links_the_spanish_section(client, demo_content, kind):
    article = Article.objects.published().filter(kind=kind, language="en", translations__isnull=True).first()
    article = article or ArticleFactory(kind=kind, slug=f"untranslated-{kind}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.get_absolute_url() == f"/articles/{article.slug}/"
    assert set(_alternates(html)) == {"en", "x-default"}  # no Spanish page is announced
    assert '<a href="/es/articles/" lang="es" hreflang="es">Español</a>' in html
    assert '<span class="language-note" lang="es">Esta página aún no está traducida</span>' in html


def test_an_article_asked_for_under_the_other_prefix_goes_where_it_lives(client, demo_content):
    article = Article.objects.published().filter(language="en", translations__isnull=True).first()
    response = client.get(f"/es/articles/{article.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/"
    translated = Article.objects.published().filter(language="en", translations__isnull=False).first()
    response = client.get(f"/es/articles/{translated.slug}/")  # one with a Spanish version goes to it
    assert response["Location"] == translated.translations.get(language="es").get_absolute_url()


def test_a_spanish_article_lives_under_es(client, db):
    article = ArticleFactory(language="es", status=Article.Status.PUBLISHED, slug="la-interleucina-2")
    assert article.get_absolute_url() == f"/es/articles/{article.slug}/"
    response = client.get(f"/articles/{article.slug}/")
    assert response.status_code == 302 and response["Location"] == f"/es/articles/{article.slug}/"
    html = client.get(f"/es/articles/{article.slug}/").content.decode()
    assert '<html lang="es">' in html
    assert set(_alternates(html)) == {"es"}
    assert '<a href="/articles/" lang="en" hreflang="en">English</a>' in html


def test_agent_fact_sheet_switcher_leads_to_the_spanish_a_z(client, demo_content):
    agent = Agent.objects.published().first()
    html = client.get(agent.get_absolute_url()).content.decode()
    assert set(_alternates(html)) == {"en", "x-default"}
    assert '<a href="/es/agents/" lang="es" hreflang="es">Español</a>' in html
    assert client.get(f"/es/agents/{agent.slug}/")["Location"] == f"/agents/{agent.slug}/"


def test_a_view_can_supply_the_translation_url(rf):
    """The hook translated content uses: ``alternate_urls`` in the context decides the switcher."""
    from django.template import Context, Template

    request = rf.get("/articles/x/")
    request.resolver_match = None
    template = Template('{% load portal_languages %}{% alternate_url "es" %}|{% alternate_url "en" %}')
    with translation.override("en"):
        text = template.render(Context({"request": request,
                                        "alternate_urls": {"en": "/articles/x/", "es": "/es/articles/equis/"}}))
    assert text == "/es/articles/equis/|/articles/x/"


def test_page_cache_keeps_languages_apart(client, demo_content, settings):
    settings.PUBLIC_PAGE_CACHE = True
    client.get("/")
    client.get("/es/")
    assert '<html lang="es">' in client.get("/es/").content.decode()
    assert '<html lang="en-us">' in client.get("/").content.decode()


def test_no_cookie_or_header_changes_the_language(client, demo_content):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es", HTTP_COOKIE="django_language=es")
    assert response.status_code == 200
    assert '<html lang="en-us">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")


def test_admin_and_feeds_are_not_prefixed(client):
    assert client.get("/es/admin/").status_code == 404
    assert client.get("/es/feed/").status_code == 404


def test_sitemap_lists_each_page_in_its_languages_with_alternates(client, demo_content):
    from cytokines.models import Agent

    index = client.get("/sitemap.xml").content.decode()
    assert "/es/" not in index
    static = client.get("/sitemap-static.xml").content.decode()
    assert "<loc>http://testserver/es/articles/</loc>" in static
    assert '<xhtml:link rel="alternate" hreflang="es" href="http://testserver/es/articles/"/>' in static
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/articles/"/>' in static
    articles = client.get("/sitemap-articles.xml").content.decode()
    article = Article.objects.published().first()
    assert f"<loc>http://testserver/articles/{article.slug}/</loc>" in articles
    for spanish in Article.objects.published().filter(language="es"):  # each at its Spanish address
        assert f"<loc>http://testserver/es/articles/{spanish.slug}/</loc>" in articles
    agents = client.get("/sitemap-agents.xml").content.decode()
    assert f"<loc>http://testserver/agents/{Agent.objects.published().first().slug}/</loc>" in agents


def test_dates_are_written_the_spanish_way_on_spanish_pages(client, db):
    import datetime

    article = ArticleFactory(language="es", status=Article.Status.PUBLISHED, slug="fechas", is_featured=True,
                             last_reviewed=datetime.date(2024, 10, 21), last_revised=datetime.date(2024, 10, 21),
                             next_review_due=datetime.date(2027, 10, 21))  # fmt: skip
    html = client.get(f"/es/articles/{article.slug}/").content.decode()
    assert '<time datetime="2024-10-21">21 de octubre de 2024</time>' in html
    assert "<dt>Última revisión</dt>" in html and "<dt>Próxima revisión</dt>" in html
    home = client.get("/es/").content.decode()
    assert '<time datetime="2027-10-21">octubre de 2027</time>' in home
    english = ArticleFactory(status=Article.Status.PUBLISHED, slug="dates",
                             last_reviewed=datetime.date(2024, 10, 21))
    english_html = client.get(english.get_absolute_url()).content.decode()
    assert '<time datetime="2024-10-21">October 21, 2024</time>' in english_html


def test_a_spanish_request_leaves_the_thread_in_its_language(client):
    client.get("/es/about/")
    assert translation.get_language() in ("en", "en-us") and reverse("cytokines:about") == "/about/"


def test_a_translated_article_and_its_source_link_each_other(client, db, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    english = ArticleFactory(status=Article.Status.PUBLISHED, slug="interleukin-2-treatment")
    spanish = ArticleFactory(status=Article.Status.PUBLISHED, slug="tratamiento-con-interleucina-2", language="es",
                             translation_of=english)  # fmt: skip
    en_html = client.get("/articles/interleukin-2-treatment/").content.decode()
    es_html = client.get("/es/articles/tratamiento-con-interleucina-2/").content.decode()
    expected = {"en": "https://portal.example.org/articles/interleukin-2-treatment/",
                "es": "https://portal.example.org/es/articles/tratamiento-con-interleucina-2/",
                "x-default": "https://portal.example.org/articles/interleukin-2-treatment/"}  # fmt: skip
    assert _alternates(en_html) == expected and _alternates(es_html) == expected
    assert '<a href="/es/articles/tratamiento-con-interleucina-2/" lang="es" hreflang="es">Español</a>' in en_html
    assert "language-note" not in en_html
    assert '<a href="/articles/interleukin-2-treatment/" lang="en" hreflang="en">English</a>' in es_html
    # The English address under the Spanish prefix leads to the translation.
    assert client.get("/es/articles/interleukin-2-treatment/")["Location"] == spanish.get_absolute_url()


def test_a_translated_fact_sheet_links_its_source(client, db):
    from ..factories import AgentFactory

    english = AgentFactory(status=Article.Status.PUBLISHED, slug="aldesleukin")
    AgentFactory(status=Article.Status.PUBLISHED, slug="aldesleukina", language="es", translation_of=english)
    html = client.get("/agents/aldesleukin/").content.decode()
    assert '<a href="/es/agents/aldesleukina/" lang="es" hreflang="es">Español</a>' in html
    assert '<a href="/agents/aldesleukin/" lang="en" hreflang="en">English</a>' in client.get(
        "/es/agents/aldesleukina/").content.decode()
