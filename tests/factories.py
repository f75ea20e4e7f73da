import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cytokines.models import (
    Agent,
    Article,
    ArticleReference,
    CancerType,
    Contributor,
    GlossaryTerm,
    Reference,
    RegulatoryApproval,
    SafetyStatement,
    add_months,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True


class CancerTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancerType

    name = factory.Sequence(lambda n: f"Cancer type {n}")
    slug = factory.Sequence(lambda n: f"cancer-type-{n}")


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    authors = "Smith AB, Jones CD"
    title = factory.Sequence(lambda n: f"A study of cytokines, part {n}")
    container = "J Clin Oncol"
    year = 2020
    volume = "38"
    issue = "4"
    pages = "100-110"
    doi = factory.Sequence(lambda n: f"10.5555/test.{n}")
    pmid = factory.Sequence(lambda n: str(90000000 + n))


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Reviewer {n}")
    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    role = Contributor.Role.MEDICAL_REVIEWER
    credentials = "MD"


def _reviewed_recently():
    return timezone.localdate() - datetime.timedelta(days=30)


class ReviewedContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    status = Article.Status.PUBLISHED
    last_reviewed = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == Article.Status.PUBLISHED),
        yes_declaration=factory.LazyFunction(_reviewed_recently),
        no_declaration=None,
    )
    last_revised = factory.SelfAttribute("last_reviewed")
    next_review_due = factory.LazyAttribute(
        lambda o: add_months(o.last_reviewed, o.review_interval_months) if o.last_reviewed else None
    )
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Article.Status.PUBLISHED else None)


class AgentFactory(ReviewedContentFactory):
    class Meta:
        model = Agent
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Interleukin-{n + 100}")
    slug = factory.Sequence(lambda n: f"interleukin-{n + 100}")
    agent_class = Agent.AgentClass.INTERLEUKIN
    summary = "A test agent."
    mechanism = "Signals to immune cells."
    routes = factory.LazyFunction(lambda: [Agent.Route.IV])
    review_interval_months = 12

    @factory.post_generation
    def live(agent, create, extracted, **kwargs):
        # A published agent has a live revision; tests that add approvals or references afterwards call
        # make_live again (the fact sheet readers see is the revision, not the working copy).
        if create and agent.status == Agent.Status.PUBLISHED and extracted is not False:
            make_live(agent)


class ArticleFactory(ReviewedContentFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A test article."
    body = "Some text citing a study [1]."
    review_interval_months = 36

    @factory.post_generation
    def authors(article, create, extracted, **kwargs):
        # Every page names its author (publishing needs one); pass authors=[] for a page without.
        if create:
            article.authors.set(extracted if extracted is not None else [ContributorFactory(role="writer")])

    @factory.post_generation
    def live(article, create, extracted, **kwargs):
        # A published article has a live revision; tests that change it afterwards call make_live again.
        if create and article.status == Article.Status.PUBLISHED and extracted is not False:
            make_live(article)


class GlossaryTermFactory(ReviewedContentFactory):
    class Meta:
        model = GlossaryTerm
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"word{n}")
    slug = factory.Sequence(lambda n: f"word{n}")
    definition = factory.LazyAttribute(lambda o: f"What {o.name} means, in plain words.")
    review_interval_months = 36

    @factory.post_generation
    def authors(term, create, extracted, **kwargs):
        if create:
            term.authors.set(extracted if extracted is not None else [ContributorFactory(role="writer")])

    @factory.post_generation
    def live(term, create, extracted, **kwargs):
        if create and term.status == GlossaryTerm.Status.PUBLISHED and extracted is not False:
            make_live(term)


def make_live(page):
    """Publish the page's (article's or agent's) working copy as a new live revision, as if reviewed long ago.

    For tests that arrange a published page directly (call it again after adding references or FAQ
    items); the workflow's own tests publish through the workflow.
    """
    from cytokines.review import publishing

    return publishing.go_live(page, approvers={})


class ArticleReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleReference

    article = factory.SubFactory(ArticleFactory)
    reference = factory.SubFactory(ReferenceFactory)
    position = factory.Sequence(lambda n: n + 1)


class RegulatoryApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegulatoryApproval

    agent = factory.SubFactory(AgentFactory)
    regulator = RegulatoryApproval.Regulator.FDA
    status = RegulatoryApproval.ApprovalStatus.APPROVED


def medical_reviewer(username="medic", **profile):
    """A Medical reviewer whose login is linked to a contributor profile (publishing records it)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name="Medical reviewer")[0])  # flushed by a transactional test?
    if not Contributor.objects.filter(user=user).exists():
        ContributorFactory(user=user, **{"name": f"Dr {username.title()}", "credentials": "MD", **profile})
    return user


def awaiting_publication(**kwargs):
    """An article in editorial review: a medical reviewer with a profile approved it through the workflow."""
    from cytokines.review import workflow

    fields = {"status": Article.Status.MEDICAL_REVIEW, "last_reviewed": None, "next_review_due": None, **kwargs}
    article = ArticleFactory(**fields)
    if not article.article_references.exists():
        ArticleReferenceFactory(article=article, position=1)
    return workflow.article_transition(article=article, user=medical_reviewer(), name="approve_medical",
                                       checklist=confirmed_checklist())  # fmt: skip


def confirmed_checklist():
    """Every point of the medical review checklist, as a reviewer who ticked them all sends them."""
    from cytokines.review.models import ChecklistItem

    return list(ChecklistItem.objects.filter(is_active=True).values_list("pk", flat=True))


def with_safety(agent, *, side_effect="Tiredness"):
    """Give ``agent`` the safety information publishing asks for: every topic answered (here "not
    applicable"), one sourced side effect with what to do, where it is given, and checked approvals."""
    import datetime

    label = ReferenceFactory(container="Prescribing information")
    for topic in SafetyStatement._meta.get_field("topic").choices:
        agent.safety_statements.get_or_create(topic=topic[0], defaults={"not_applicable": True,
                                                                        "text": "The label has none."})  # fmt: skip
    agent.side_effects.create(name=side_effect, frequency="common", what_to_do="Tell your team.", reference=label)
    if not agent.approvals.exists():
        agent.approvals.create(regulator="fda", status="approved", year_approved=1992)
    agent.approvals.update(source_url="https://example.org/label", checked_on=datetime.date(2026, 12, 1))
    type(agent).objects.filter(pk=agent.pk).update(places=["hospital"])
    agent.refresh_from_db()
    return agent
