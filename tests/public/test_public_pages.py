import datetime
import re

import pytest
from django.urls import reverse

from cytokines.models import Agent, Article, CancerType

from ..factories import AgentFactory, ArticleFactory, ArticleReferenceFactory, ReferenceFactory, make_live

pytestmark = pytest.mark.django_db


def test_home_lists_featured_articles_and_the_helpline(client, demo_content, settings):
    response = client.get(reverse("cytokines:home"))
    assert response.status_code == 200
    for article in Article.objects.published().filter(is_featured=True):
        assert article.title in response.content.decode()
    assert settings.PORTAL["HELPLINE_PHONE"] in response.content.decode()


def test_article_list_shows_published_articles_only(client, demo_content):
    html = client.get(reverse("cytokines:article-list")).content.decode()
    for article in Article.objects.filter(language="en"):  # the Spanish pages are listed under /es/
        assert (article.title in html) == article.is_published


def test_every_published_article_renders_with_dates_reviewers_and_numbered_references(client, demo_content):
    for article in Article.objects.published().filter(language="en"):  # Spanish pages: test_spanish_pages
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.slug
        html = response.content.decode()
        assert "Last reviewed" in html and "Next review due" in html
        for person in article.reviewers.all():
            assert person.name in html
        for link in article.article_references.all():
            assert f'id="ref-{link.position}"' in html


def test_citations_in_the_body_link_to_the_reference_list(client, demo_content):
    article = Article.objects.get(slug="interleukins-in-cancer-treatment")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="#ref-2" title="Reference 2"' in html
    assert "doi.org/10.1200/jco.1995.13.3.688" in html


def test_overdue_article_stays_public_with_an_honest_notice(client, demo_content):
    article = Article.objects.review_overdue().first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This page is due for review" in html


def test_faq_article_renders_questions_and_answers(client, demo_content):
    article = Article.objects.get(kind=Article.Kind.FAQ, status=Article.Status.PUBLISHED, language="en")
    html = client.get(article.get_absolute_url()).content.decode()
    for item in article.faq_items.all():
        assert item.question in html


def test_agent_pages_render_with_approvals_and_side_effects(client, demo_content):
    html = client.get(reverse("cytokines:agent-list")).content.decode()
    for agent in Agent.objects.published().filter(language="en"):  # the A–Z in English
        assert agent.name in html
        detail = client.get(agent.get_absolute_url())
        assert detail.status_code == 200
        page = detail.content.decode()
        assert "Approval status" in page
        for effect in agent.side_effects.all():
            assert effect.name.replace("'", "&#x27;") in page


def test_agent_list_filters_by_class(client, demo_content):
    html = client.get(reverse("cytokines:agent-list"), {"class": "interferon"}).content.decode()
    assert "Interferon alfa-2b" in html
    assert "Interleukin-2 (aldesleukin)" not in html


def test_cancer_type_page_lists_approved_agents(client, demo_content):
    kidney = CancerType.objects.get(slug="kidney-cancer")
    html = client.get(kidney.get_absolute_url()).content.decode()
    assert "Interleukin-2 (aldesleukin)" in html


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.MEDICAL_REVIEW, Article.Status.ARCHIVED])
def test_unpublished_articles_answer_404(client, status):
    article = ArticleFactory(status=status, last_reviewed=None, next_review_due=None, title="Secret draft")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Secret draft" not in client.get(reverse("cytokines:article-list")).content.decode()


@pytest.mark.parametrize("status", [Agent.Status.DRAFT, Agent.Status.ARCHIVED])
def test_unpublished_agents_answer_404(client, status):
    agent = AgentFactory(status=status, last_reviewed=None, next_review_due=None, name="Hidden agent")
    assert client.get(agent.get_absolute_url()).status_code == 404
    assert "Hidden agent" not in client.get(reverse("cytokines:agent-list")).content.decode()


def test_draft_agents_are_not_linked_from_published_articles(client):
    article = ArticleFactory()
    article.agents.add(
        AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None, name="Draft agent")
    )
    assert "Draft agent" not in client.get(article.get_absolute_url()).content.decode()


# The live revision with its page's dates; the medicines it names; its cancer types; the live pages to read
# next; the site settings; the glossary's version and its terms; the page in other languages
# (alternates.counterpart_slugs), all on a cold cache. A translation's notice costs one more (its own test).
ARTICLE_PAGE_QUERIES = 8


def article_with(references, agents, faq_items):
    article = ArticleFactory(last_reviewed=datetime.date(2026, 1, 1), next_review_due=datetime.date(2029, 1, 1))
    for position in range(1, references + 1):
        ArticleReferenceFactory(article=article, reference=ReferenceFactory(), position=position)
    article.agents.add(*AgentFactory.create_batch(agents))
    for position in range(1, faq_items + 1):
        article.faq_items.create(question=f"Question {position}?", answer="An answer [1].", position=position)
    make_live(article)
    return article


@pytest.mark.parametrize(("references", "agents", "faq_items"), [(1, 1, 0), (50, 20, 12)])
def test_article_page_query_count_is_constant(client, django_assert_num_queries, references, agents, faq_items):
    article = article_with(references, agents, faq_items)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.count('id="ref-') == references and html.count('class="faq-item') == faq_items
    assert len(re.findall(r'href="/agents/[^"/]+/"', html)) == agents


def test_agent_list_query_count_is_constant(client, django_assert_max_num_queries):
    AgentFactory.create_batch(20)
    with django_assert_max_num_queries(4):  # 3, and the live site settings on a cold cache
        response = client.get(reverse("cytokines:agent-list"))
    assert response.status_code == 200


@pytest.fixture
def busy_site():
    """Twenty agents and an article citing fifty references, all linked together."""
    cancer = CancerType.objects.create(name="Melanoma", slug="melanoma")
    agents = AgentFactory.create_batch(20)
    article = ArticleFactory(is_featured=True)
    article.cancer_types.add(cancer)
    for position in range(1, 51):
        ArticleReferenceFactory(article=article, reference=ReferenceFactory(), position=position)
    for agent in agents:
        article.agents.add(agent)
        agent.references.add(*ReferenceFactory.create_batch(2))
        approval = agent.approvals.create(regulator="fda", status="approved")
        approval.cancer_types.add(cancer)
        label = ReferenceFactory()
        for n in range(5):
            agent.side_effects.create(name=f"Effect {n}", frequency="common", reference=label, what_to_do="Call.")
        agent.safety_statements.create(topic="boxed_warning", text="Serious.", reference=label)
        agent.safety_statements.create(topic="vaccines", text="Ask first.", reference=ReferenceFactory())
        make_live(agent)  # readers see the fact sheet with its approvals and references
    make_live(article)
    return article, agents, cancer


@pytest.mark.parametrize(
    ("name", "max_queries"),
    # each count includes one read of the live site settings (a cold cache; after that they come from the cache)
    [("home", 7), ("article-list", 3), ("agent-list", 4), ("agent-detail", 12), ("cancer-type", 5), ("search", 5)],
)
def test_public_page_query_counts_stay_small_with_many_rows(client, busy_site, django_assert_max_num_queries,
                                                            name, max_queries):  # fmt: skip
    article, agents, cancer = busy_site
    urls = {
        "home": reverse("cytokines:home"),
        "article-list": reverse("cytokines:article-list"),
        "agent-list": reverse("cytokines:agent-list"),
        "agent-detail": agents[0].get_absolute_url(),
        "cancer-type": cancer.get_absolute_url(),
        "search": reverse("cytokines:search") + "?q=interleukin",
    }
    with django_assert_max_num_queries(max_queries):
        response = client.get(urls[name])
    assert response.status_code == 200
