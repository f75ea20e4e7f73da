"""The glossary for readers: A–Z page, a page per term, terms in search and the sitemap, and articles whose
first use of each term opens its meaning in place, for a constant number of queries."""

import datetime
import re

import pytest
from django.urls import reverse

from cytokines.content import live_version
from cytokines.models import GlossaryTerm
from cytokines.quality import glossary as quality_glossary

from ..factories import ArticleFactory, ArticleReferenceFactory, GlossaryTermFactory, make_live

pytestmark = pytest.mark.django_db
S = GlossaryTerm.Status


def term(name, definition, **kwargs):
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return GlossaryTermFactory(name=name, slug=slug, definition=definition, **kwargs)


def live_article(body):
    article = ArticleFactory(body=body, last_reviewed=datetime.date(2026, 1, 1),
                             next_review_due=datetime.date(2029, 1, 1))  # fmt: skip
    ArticleReferenceFactory(article=article, position=1)
    make_live(article)
    return article


def prose(response):
    return re.search(r'<div class="prose"[^>]*>(.*?)</div>', response.content.decode(), re.S).group(1)


def test_a_z_page_lists_live_terms_by_letter_each_with_an_anchor_and_its_own_page(client):
    term("Cytokine", "A protein cells use to send messages.", synonyms="cytokines")
    term("Platelets", "Tiny cell pieces that help blood clot.")
    term("Draft word", "Not reviewed yet.", status=S.DRAFT, last_reviewed=None, next_review_due=None)
    html = client.get(reverse("cytokines:glossary")).content.decode()
    assert '<h2 id="letter-C">C</h2>' in html and '<h2 id="letter-P">P</h2>' in html
    assert 'id="term-cytokine"' in html and 'href="/glossary/cytokine/"' in html
    assert "A protein cells use to send messages." in html and "Draft word" not in html
    page = client.get("/glossary/platelets/")
    assert page.status_code == 200 and "Tiny cell pieces that help blood clot." in page.content.decode()
    assert "Last reviewed" in page.content.decode()
    assert client.get("/glossary/draft-word/").status_code == 404


def test_an_archived_term_leaves_the_glossary(client, staff):
    from cytokines.review import workflow

    word = term("Dose", "How much medicine you take and how often.")
    workflow.transition(page=word, user=staff["editor"], name="archive", comment="Merged into another term.")
    live_version.bump()
    assert "How much medicine" not in client.get(reverse("cytokines:glossary")).content.decode()
    assert client.get("/glossary/dose/").status_code == 404


def test_terms_are_found_by_site_search_by_name_and_other_name(client):
    term("Granulocyte colony-stimulating factor", "A medicine that helps your body make germ-fighting cells.",
         synonyms="G-CSF")  # fmt: skip
    html = client.get(reverse("cytokines:search"), {"q": "G-CSF"}).content.decode()
    assert "Words explained" in html and 'href="/glossary/granulocyte-colony-stimulating-factor/"' in html


def test_sitemap_lists_the_glossary_and_every_live_term(client):
    term("Melanoma", "A cancer that starts in the cells that give skin its color.")
    assert "sitemap-glossary.xml" in client.get("/sitemap.xml").content.decode()
    xml = client.get("/sitemap-glossary.xml").content.decode()
    assert "/glossary/melanoma/" in xml
    assert "/glossary/</loc>" in client.get("/sitemap-static.xml").content.decode()


def test_every_page_footer_links_to_the_glossary(client):
    assert 'href="/glossary/"' in client.get(reverse("cytokines:home")).content.decode()


def test_first_use_of_each_term_in_an_article_links_to_its_meaning(client):
    term("Cytokine", "A protein cells use to send messages.")
    term("Interleukin-2", "A cytokine made as a medicine.", synonyms="IL-2, aldesleukin")
    article = live_article("## What cytokines do\n\nCytokines carry messages. A cytokine again.\n\n"
                           "IL-2 is one. `cytokine` in code. Interleukin-2 again.")  # fmt: skip
    body = prose(client.get(article.get_absolute_url()))
    assert body.count('class="glossary-term"') == 2
    assert '<h2 id="section-what-cytokines-do">What cytokines do</h2>' in body  # never in a heading
    assert ('<a class="glossary-term" href="/glossary/cytokine/" data-term="cytokine" '
            'data-definition="A protein cells use to send messages.">Cytokines</a> carry messages.') in body
    assert ">IL-2</a> is one." in body and "<code>cytokine</code>" in body


def test_article_page_links_terms_with_a_script_file_and_a_translatable_hint(client):
    term("Cytokine", "A protein cells use to send messages.")
    html = client.get(live_article("Cytokines.").get_absolute_url()).content.decode()
    assert 'src="/static/js/glossary.js"' in html and "data-label-more=" in html
    assert "<script>" not in html  # the strict policy: no inline script


def test_a_newly_published_term_is_linked_in_articles_already_rendered(client):
    article = live_article("Neutropenia can follow treatment.")
    assert "glossary-term" not in prose(client.get(article.get_absolute_url()))
    term("Neutropenia", "Too few of the white blood cells that fight germs.")
    live_version.bump()  # what publishing does after it commits
    assert 'href="/glossary/neutropenia/"' in prose(client.get(article.get_absolute_url()))


# An article with no medicines or cancer types (nothing to read next): the site settings, the live revision,
# its pages in other languages, its medicines, its cancer types, the glossary's version and its terms. Once the
# linked text is cached for this glossary version, the terms are not read again.
ARTICLE_QUERIES_COLD = 7


@pytest.mark.parametrize("terms", [0, 30])
def test_article_page_query_count_does_not_grow_with_glossary_terms(client, django_assert_num_queries, terms):
    words = [f"word{n}" for n in range(terms)]
    for word in words:
        term(word, f"What {word} means.")
    article = live_article("Text using " + " and ".join(words or ["nothing"]) + ".")
    with django_assert_num_queries(ARTICLE_QUERIES_COLD):
        response = client.get(article.get_absolute_url())
    assert prose(response).count('class="glossary-term"') == terms
    live_version.bump()  # the page is rendered again; its linked text comes from the cache
    with django_assert_num_queries(ARTICLE_QUERIES_COLD - 1):
        client.get(article.get_absolute_url())


def test_the_reading_level_report_counts_published_terms_as_explained():
    term("Thrombocythemia", "Too many platelets in the blood.", synonyms="ET")
    term("Neutropenia", "Too few germ-fighting white blood cells.", status=S.DRAFT, last_reviewed=None,
         next_review_due=None)  # fmt: skip
    assert quality_glossary.explained_terms() == frozenset({"thrombocythemia", "et"})
