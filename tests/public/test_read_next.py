"""What to read next: related pages from shared medicines and cancer types, and clinical trial searches."""

import re

import pytest

from cytokines.content.trials import trial_search_url
from cytokines.models import Article

from ..factories import AgentFactory, ArticleFactory, CancerTypeFactory, RegulatoryApprovalFactory, make_live

pytestmark = pytest.mark.django_db


def side_links(response, heading_id):
    """The link texts of one side-column section, in order."""
    html = response.content.decode()
    section = re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert section, f"no section {heading_id}"
    return re.findall(r"<a [^>]*>([^<]+)", section.group(1))


def live_article(title, *, agents=(), cancer_types=(), **fields):
    """A live article whose revision links these medicines and cancer types."""
    article = ArticleFactory(title=title, live=False, **fields)
    article.agents.add(*agents)
    article.cancer_types.add(*cancer_types)
    if article.status == Article.Status.PUBLISHED:
        make_live(article)
    return article


def test_article_suggests_pages_sharing_a_medicine_before_pages_sharing_only_a_cancer_type(client):
    melanoma, kidney = CancerTypeFactory(name="Melanoma"), CancerTypeFactory(name="Kidney cancer")
    aldesleukin = AgentFactory(name="Aldesleukin")
    article = live_article("Reading", agents=[aldesleukin], cancer_types=[melanoma, kidney])
    live_article("A: both cancer types", cancer_types=[melanoma, kidney])
    live_article("B: same medicine", agents=[aldesleukin])
    live_article("C: one cancer type", cancer_types=[kidney])
    live_article("D: unrelated")
    live_article("E: a draft", agents=[aldesleukin], status=Article.Status.DRAFT)
    pending = live_article("F: live, its pending revision drops the medicine", agents=[aldesleukin])
    pending.agents.clear()  # readers still see the live revision, which names it

    response = client.get(article.get_absolute_url())

    # a shared medicine counts twice a shared cancer type; ties by title; drafts and unrelated pages never;
    # what counts is what the live revisions link
    assert side_links(response, "read-next-heading") == ["A: both cancer types", "B: same medicine",
                                                         "F: live, its pending revision drops the medicine",
                                                         "C: one cancer type"]  # fmt: skip
    assert side_links(response, "cancer-types-heading") == ["Kidney cancer", "Melanoma"]


def test_an_article_linked_to_nothing_suggests_nothing(client):
    live_article("Other")
    response = client.get(live_article("Alone").get_absolute_url())
    assert 'id="read-next-heading"' not in response.content.decode()


def test_fact_sheet_suggests_its_articles_and_other_medicines_approved_for_the_same_cancers(client):
    kidney, melanoma, bladder = (CancerTypeFactory(name=n) for n in ("Kidney cancer", "Melanoma", "Bladder cancer"))
    agent = AgentFactory(name="Aldesleukin")
    RegulatoryApprovalFactory(agent=agent).cancer_types.add(kidney, melanoma)
    two_shared = AgentFactory(name="Z medicine for both")
    RegulatoryApprovalFactory(agent=two_shared).cancer_types.add(kidney, melanoma)
    one_shared = AgentFactory(name="A medicine for one")
    RegulatoryApprovalFactory(agent=one_shared).cancer_types.add(kidney)
    only_studied = AgentFactory(name="Investigational only")
    RegulatoryApprovalFactory(agent=only_studied, status="investigational").cancer_types.add(kidney)
    elsewhere = AgentFactory(name="Bladder medicine")
    RegulatoryApprovalFactory(agent=elsewhere).cancer_types.add(bladder)
    for medicine in (agent, two_shared, one_shared, only_studied, elsewhere):
        make_live(medicine)  # readers see approvals once a revision with them is live
    live_article("Z: about aldesleukin", agents=[agent])
    live_article("A: about kidney cancer", cancer_types=[kidney])

    response = client.get(agent.get_absolute_url())

    assert side_links(response, "read-next-heading") == ["Z: about aldesleukin", "A: about kidney cancer"]
    assert side_links(response, "related-agents-heading") == ["Z medicine for both", "A medicine for one"]
    assert side_links(response, "cancer-types-heading") == ["Kidney cancer", "Melanoma"]


def test_trial_search_url_asks_clinicaltrials_gov_for_recruiting_trials():
    assert trial_search_url(condition="Renal Cell Carcinoma") == (
        "https://clinicaltrials.gov/search?cond=Renal%20Cell%20Carcinoma&aggFilters=status%3Arec"
    )
    assert trial_search_url(intervention=" interferon alfa-2b ") == (
        "https://clinicaltrials.gov/search?intr=interferon%20alfa-2b&aggFilters=status%3Arec"
    )
    assert trial_search_url(condition="", intervention="  ") == ""


def test_trial_links_come_from_the_terms_editors_keep(client):
    kidney = CancerTypeFactory(name="Kidney cancer", trial_search_term="Renal Cell Carcinoma")
    melanoma = CancerTypeFactory(name="Melanoma")  # no term: no link
    agent = AgentFactory(name="Aldesleukin", trial_search_term="aldesleukin")
    article = live_article("Kidney cancer treatment", agents=[agent], cancer_types=[kidney, melanoma])

    html = client.get(article.get_absolute_url()).content.decode()

    # per cancer type on the article; the medicine's trials are on its own page
    assert side_links_html(html, "trials-heading") == [kidney.trial_search_url.replace("&", "&amp;")]
    assert "Melanoma: recruiting trials" not in html
    assert agent.trial_search_url.replace("&", "&amp;") in client.get(agent.get_absolute_url()).content.decode()
    assert kidney.trial_search_url.replace("&", "&amp;") in client.get(kidney.get_absolute_url()).content.decode()


def side_links_html(html, heading_id):
    section = re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"', section)


def test_no_trial_section_when_no_term_is_set(client):
    kidney = CancerTypeFactory()
    assert 'id="trials-heading"' not in client.get(kidney.get_absolute_url()).content.decode()


def test_article_page_query_count_does_not_grow_with_related_pages(client, django_assert_num_queries):
    from .test_public_pages import ARTICLE_PAGE_QUERIES

    cancers = CancerTypeFactory.create_batch(3, trial_search_term="x")
    agents = AgentFactory.create_batch(5)
    article = live_article("Reading", agents=agents, cancer_types=cancers)
    for number in range(15):
        live_article(f"Related {number}", agents=agents[:2], cancer_types=cancers[:1])
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert len(side_links(response, "read-next-heading")) == 4
    assert len(side_links(response, "trials-heading")) == 3
