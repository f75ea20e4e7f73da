import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cytokines.models import Agent, Article, Reference, RegulatoryApproval, add_months

from ..factories import (
    AgentFactory,
    ArticleFactory,
    ArticleReferenceFactory,
    ReferenceFactory,
    RegulatoryApprovalFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_duplicate_doi_is_rejected_whatever_its_spelling():
    ReferenceFactory(doi="10.1200/JCO.1995.13.3.688")
    assert_rejected_by_database(lambda: ReferenceFactory(doi="https://doi.org/10.1200/jco.1995.13.3.688"))
    assert Reference.objects.count() == 1


def test_duplicate_pmid_is_rejected():
    ReferenceFactory(pmid="7884429")
    assert_rejected_by_database(lambda: ReferenceFactory(pmid="7884429"))


def test_many_references_may_have_no_doi_or_pmid():
    ReferenceFactory(doi="", pmid="")
    ReferenceFactory(doi="", pmid="")
    assert Reference.objects.filter(doi="", pmid="").count() == 2


def test_reference_clean_names_the_duplicate_for_editors():
    existing = ReferenceFactory(doi="10.1056/nejm198401053100104")
    duplicate = Reference(
        authors="X Y", title="Copy", container="N Engl J Med", year=1984, doi="doi:10.1056/NEJM198401053100104"
    )
    with pytest.raises(ValidationError, match="already in the library") as error:
        duplicate.full_clean()
    assert str(existing) in str(error.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [("doi", "not-a-doi"), ("pmid", "12ab"), ("pmid", "0123"), ("year", 1700)],
)
def test_reference_fields_are_validated(field, value):
    reference = ReferenceFactory.build(**{field: value})
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert field in error.value.message_dict


def test_reference_year_is_checked_by_the_database():
    assert_rejected_by_database(lambda: ReferenceFactory(year=1500))


@pytest.mark.parametrize("factory", [ArticleFactory, AgentFactory])
def test_next_review_must_fall_after_last_review(factory):
    day = datetime.date(2026, 1, 10)
    assert_rejected_by_database(lambda: factory(last_reviewed=day, next_review_due=day))
    item = factory.build(last_reviewed=day, next_review_due=day - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="after the last review"):
        item.full_clean(exclude=["slug", "name", "title"])


@pytest.mark.parametrize("factory", [ArticleFactory, AgentFactory])
def test_published_pages_must_carry_review_dates(factory):
    assert_rejected_by_database(lambda: factory(status="published", last_reviewed=None, next_review_due=None))


def test_slugs_are_unique():
    ArticleFactory(slug="interleukins")
    assert_rejected_by_database(lambda: ArticleFactory(slug="interleukins"))
    AgentFactory(slug="interleukin-2")
    assert_rejected_by_database(lambda: AgentFactory(slug="interleukin-2"))


def test_reference_position_and_citation_are_unique_within_an_article():
    link = ArticleReferenceFactory(position=1)
    assert_rejected_by_database(lambda: ArticleReferenceFactory(article=link.article, position=1))
    assert_rejected_by_database(
        lambda: ArticleReferenceFactory(article=link.article, reference=link.reference, position=2)
    )


def test_one_approval_row_per_regulator():
    approval = RegulatoryApprovalFactory(regulator=RegulatoryApproval.Regulator.FDA)
    assert_rejected_by_database(
        lambda: RegulatoryApprovalFactory(agent=approval.agent, regulator=RegulatoryApproval.Regulator.FDA)
    )


def test_unknown_route_is_refused():
    agent = AgentFactory.build(routes=["iv", "by_mouth_magic"])
    with pytest.raises(ValidationError, match="by_mouth_magic"):
        agent.full_clean()


def test_agents_default_to_yearly_review_and_articles_to_three_years():
    assert Agent._meta.get_field("review_interval_months").default == 12
    assert Article._meta.get_field("review_interval_months").default == 36


def test_citation_is_vancouver_style():
    reference = Reference(
        authors="Fyfe G, Fisher RI, Rosenberg SA, Sznol M, Parkinson DR, Louie AC, Extra Z",
        title="Results of treatment of 255 patients.",
        container="J Clin Oncol",
        year=1995,
        volume="13",
        issue="3",
        pages="688-696",
    )
    assert reference.citation() == (
        "Fyfe G, Fisher RI, Rosenberg SA, Sznol M, Parkinson DR, Louie AC, et al. "
        "Results of treatment of 255 patients. J Clin Oncol. 1995;13(3):688-696."
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 3, 10), 36, datetime.date(2029, 3, 10)),
        (datetime.date(2026, 11, 15), 2, datetime.date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_queryset_reads_split_published_pages_by_review_date(today):
    overdue = ArticleFactory(
        last_reviewed=today - datetime.timedelta(days=400), next_review_due=today - datetime.timedelta(days=1)
    )
    due_soon = ArticleFactory(
        last_reviewed=today - datetime.timedelta(days=400), next_review_due=today + datetime.timedelta(days=20)
    )
    ArticleFactory(last_reviewed=today, next_review_due=today + datetime.timedelta(days=200))
    ArticleFactory(status=Article.Status.DRAFT, next_review_due=None)
    assert list(Article.objects.review_overdue()) == [overdue]
    assert list(Article.objects.due_within(30)) == [due_soon]
    assert Article.objects.published().count() == 3


def test_pasted_doi_links_are_accepted_and_stored_bare():
    reference = ReferenceFactory.build(doi="https://doi.org/10.1200/JCO.1995.13.3.688", pmid=" 7884429 ")
    reference.full_clean()
    assert (reference.doi, reference.pmid) == ("10.1200/JCO.1995.13.3.688", "7884429")  # the spelling given, bare
