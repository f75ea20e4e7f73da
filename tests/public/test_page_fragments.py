"""Pieces of article and fact-sheet pages cached per published revision (cytokines/public/fragments.py).

The whole-page cache is off here: these are the renders it does not save (the first reader after a
publish, signed-in staff), which must still be cheap, right and never stale.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cytokines.content import live_version
from cytokines.models import Article, SiteSettings

from ..factories import AgentFactory, ArticleFactory, ReferenceFactory, make_live
from .test_public_pages import article_with

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PUBLIC_PAGE_CACHE = False


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub(b"", response.content)  # the only part that differs between two renders


def fragment_keys():
    return [key for key in cache._cache if "fragment:" in key]  # the test cache is the local-memory one


@pytest.mark.parametrize(("references", "agents", "faq_items"), [(1, 1, 0), (50, 20, 12)])
def test_an_article_rendered_again_reads_nothing_and_is_the_same_page(client, django_assert_num_queries,
                                                                      references, agents, faq_items):  # fmt: skip
    article = article_with(references, agents, faq_items)
    url = article.get_absolute_url()
    first = page(client, url)
    # Which revision is live and its other languages are kept per content version (public/live_pages.py);
    # every piece of the page, the site's header and footer too, comes from the cache.
    with django_assert_num_queries(0):
        again = page(client, url)
    assert again == first
    assert first.count(b'id="ref-') == references


def test_a_fact_sheet_rendered_again_reads_nothing(client, django_assert_num_queries):
    agent = AgentFactory()
    agent.references.add(*ReferenceFactory.create_batch(3))
    make_live(agent)
    first = page(client, agent.get_absolute_url())
    with django_assert_num_queries(0):
        again = page(client, agent.get_absolute_url())
    assert again == first


def test_a_new_revision_is_shown_to_readers_with_the_new_version_and_to_staff_at_once(client, staff):
    article = ArticleFactory(body="The old wording [1].")
    page(client, article.get_absolute_url())
    article.body = "The corrected wording [1]."
    article.save()
    make_live(article)  # a new revision, a new id: the old pieces are never asked for again
    editor = Client()
    editor.force_login(staff["editor"])
    html = page(editor, article.get_absolute_url())  # signed-in staff read which revision is live: the new one
    assert b"The corrected wording" in html and b"The old wording" not in html
    assert b"The old wording" in page(client, article.get_absolute_url())  # readers: until the version moves
    live_version.bump()  # as the workflow's publish does after its commit
    html = page(client, article.get_absolute_url())
    assert b"The corrected wording" in html and b"The old wording" not in html


def test_other_pages_shown_on_the_side_change_with_the_content_version(client):
    agent = AgentFactory(name="Aldesleukin")
    article = ArticleFactory(status=Article.Status.PUBLISHED, live=False)
    article.agents.add(agent)
    make_live(article)
    assert b"Aldesleukin" in page(client, article.get_absolute_url())
    agent.name = "Proleukin (aldesleukin)"
    agent.save()
    make_live(agent)
    live_version.bump()  # as the workflow's publish does after its commit
    html = page(client, article.get_absolute_url())
    assert b"Proleukin (aldesleukin)" in html


def test_previews_are_never_stored(client, staff):
    article = ArticleFactory(body="Pending wording [1].")
    client.force_login(staff["editor"])
    preview = client.get(reverse("admin:cytokines_article_preview", args=[article.pk]))
    assert b"Pending wording" in preview.content
    site_chrome = [key for key in fragment_keys() if ":header:" in key or ":footer:" in key]
    assert site_chrome and fragment_keys() == site_chrome  # the site's header and footer, the same on every page


def test_pieces_render_while_the_cache_is_down(client, monkeypatch):
    article = article_with(3, 1, 1)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set", down)
    html = page(client, article.get_absolute_url())
    assert html.count(b'id="ref-') == 3


def test_the_home_page_rendered_again_reads_nothing_and_follows_publishes(client, django_assert_num_queries):
    # At 100,000 articles its lists cost 113 ms a render: now once per content version and language.
    make_live(ArticleFactory(title="Interleukin guide", status=Article.Status.PUBLISHED, live=False))
    first = page(client, reverse("cytokines:home"))
    assert b"Interleukin guide" in first
    with django_assert_num_queries(0):  # the lists, the settings and the version all from the cache
        assert page(client, reverse("cytokines:home")) == first
    make_live(ArticleFactory(title="Interferon guide", status=Article.Status.PUBLISHED, live=False))
    live_version.bump()  # as the workflow's publish does after its commit
    assert b"Interferon guide" in page(client, reverse("cytokines:home"))


def chrome_keys():
    return [key for key in fragment_keys() if ":header:" in key or ":footer:" in key]


def test_the_site_header_and_footer_are_rendered_once_per_language_and_content_version(client):
    articles, medicines = reverse("cytokines:article-list"), reverse("cytokines:agent-list")
    page(client, articles)
    assert len(chrome_keys()) == 2
    html = page(client, medicines).decode()  # the footer from the cache, the header for its own current item
    assert f'href="{medicines}" aria-current="page"' in html and f'href="{articles}" aria-current' not in html
    assert len(chrome_keys()) == 3
    spanish = page(client, "/es/").decode()
    assert ">Artículos</a>" in spanish and ">Articles</a>" not in spanish
    live = SiteSettings.objects.live().get()
    old_phone = live.helpline_phone
    SiteSettings.objects.filter(pk=live.pk).update(helpline_phone="1-800-555-0177")
    assert old_phone.encode() in page(client, articles)  # the settings change has not been approved yet
    live_version.bump()  # as approving a settings version does
    html = page(client, articles)
    assert b"1-800-555-0177" in html and old_phone.encode() not in html


def test_a_translation_published_later_is_linked_from_the_english_page_at_once(client):
    source = ArticleFactory(title="Interleukin-2 in the hospital", slug="interleukin-2-in-the-hospital")
    assert b'rel="alternate" hreflang="es"' not in page(client, source.get_absolute_url())
    translation = ArticleFactory(title="La interleucina-2", slug="la-interleucina-2", language="es",
                                 translation_of=source, source_revision=source.live_revision)  # fmt: skip
    make_live(translation)
    live_version.bump()  # as the workflow's publish does after its commit
    html = page(client, source.get_absolute_url()).decode()
    link = r'<link rel="alternate" hreflang="es" href="[^"]*' + re.escape(translation.get_absolute_url())
    assert re.search(link, html)


def test_a_page_is_due_for_review_from_the_day_after_its_due_date_though_its_top_is_cached(client, monkeypatch):
    article = ArticleFactory(last_reviewed=datetime.date(2025, 12, 1), next_review_due=datetime.date(2026, 12, 31))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 12, 31))
    assert b"This page is due for review" not in page(client, article.get_absolute_url())
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2027, 1, 1))
    assert b"This page is due for review" in page(client, article.get_absolute_url())
