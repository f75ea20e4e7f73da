import pytest
from django.core.management import call_command

from cytokines.models import Agent, Article, CancerType, Contributor, Reference

pytestmark = pytest.mark.django_db


def test_demo_fixture_loads_into_an_empty_database_and_passes_validation(demo_content):
    assert Agent.objects.count() >= 8
    assert Article.objects.published().count() >= 5
    assert Reference.objects.count() >= 10
    assert CancerType.objects.count() >= 5
    assert Contributor.objects.count() >= 3
    for model in (Agent, Article, Reference, CancerType, Contributor):
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_fixture_loads_twice_without_duplicates(demo_content):
    counts = (Agent.objects.count(), Article.objects.count(), Reference.objects.count())
    call_command("loaddata", "demo", verbosity=0)
    assert (Agent.objects.count(), Article.objects.count(), Reference.objects.count()) == counts


def test_demo_references_have_complete_bibliographic_data(demo_content):
    for reference in Reference.objects.all():
        assert reference.authors and reference.title and reference.container and reference.year
        assert reference.volume and reference.pages, reference
        assert reference.doi or reference.pmid, reference


def test_demo_covers_the_agents_and_articles_the_design_names(demo_content):
    names = set(Agent.objects.values_list("nonproprietary_name", flat=True))
    assert {"aldesleukin", "interferon alfa-2b", "peginterferon alfa-2a", "interferon gamma-1b"} <= names
    assert Article.objects.published().filter(kind=Article.Kind.FAQ, faq_items__isnull=False).exists()
    every_article_cites = Article.objects.published().filter(article_references__isnull=True)
    assert not every_article_cites.exists()


def test_demo_has_an_overdue_page_and_a_draft_so_reviews_can_be_tried(demo_content):
    assert Article.objects.review_overdue().exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
