import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cytokines.models import Article, ReviewEvent, add_months
from cytokines.review import workflow

from ..factories import ArticleFactory, ArticleReferenceFactory, awaiting_publication, confirmed_checklist, make_live
from .test_dates import typo_pending

pytestmark = pytest.mark.django_db

S = Article.Status

# Written out by hand, not derived from workflow.TRANSITIONS, so a wrong rule there fails here.
ALLOWED = {
    "submit": {"writer", "editor", "superuser"},
    "approve_medical": {"reviewer", "superuser"},
    "request_changes": {"reviewer", "editor", "superuser"},
    "publish": {"editor", "superuser"},
    "publish_typo_fix": {"editor", "superuser"},
    "confirm_review": {"reviewer", "superuser"},
    "archive": {"editor", "superuser"},
    "restore": {"editor", "superuser"},
}
START = {
    "submit": S.DRAFT,
    "approve_medical": S.MEDICAL_REVIEW,
    "request_changes": S.MEDICAL_REVIEW,
    "publish": S.EDITORIAL_REVIEW,
    "publish_typo_fix": S.DRAFT,
    "confirm_review": S.PUBLISHED,
    "archive": S.PUBLISHED,
    "restore": S.ARCHIVED,
}
END = {
    "submit": S.MEDICAL_REVIEW,
    "approve_medical": S.EDITORIAL_REVIEW,
    "request_changes": S.DRAFT,
    "publish": S.PUBLISHED,
    "publish_typo_fix": S.PUBLISHED,
    "confirm_review": S.PUBLISHED,
    "archive": S.ARCHIVED,
    "restore": S.DRAFT,
}
ROLES = ["writer", "reviewer", "editor", "superuser", "nobody"]
ON_LIVE_PAGES = {"publish_typo_fix"}  # steps for a pending revision of a page readers see


def article_in(status, *, live=False, **kwargs):
    if live:
        return typo_pending(status=status, **kwargs)
    if status == S.EDITORIAL_REVIEW:
        return awaiting_publication(**kwargs)  # a medical reviewer approved it, as publishing needs
    article = ArticleFactory(status=status, **kwargs)
    ArticleReferenceFactory(article=article, position=1)
    return article


def test_the_matrix_covers_every_transition():
    assert set(ALLOWED) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permission_matrix(staff, make_user, name, role):
    author = make_user("author", workflow.WRITER)
    article = article_in(START[name], owner=author, live=name in ON_LIVE_PAGES)
    user = staff[role]
    events_before = ReviewEvent.objects.filter(article=article).count()
    if role in ALLOWED[name]:
        moved = workflow.article_transition(article=article, user=user, name=name, comment="Checked against [1].",
                                            checklist=confirmed_checklist())
        assert moved.status == END[name]
        event = ReviewEvent.objects.filter(article=article).latest("pk")
        assert (event.actor, event.action, event.from_status, event.to_status) == (user, name, START[name], END[name])
    else:
        with pytest.raises(PermissionDenied):
            workflow.article_transition(article=article, user=user, name=name, comment="Trying.")
        article.refresh_from_db()
        assert article.status == START[name]
        assert ReviewEvent.objects.filter(article=article).count() == events_before


@pytest.mark.parametrize("name", list(ALLOWED))
def test_transitions_are_refused_from_the_wrong_state(staff, name):
    wrong = S.ARCHIVED if START[name] != S.ARCHIVED else S.DRAFT
    article = article_in(wrong)
    with pytest.raises(PermissionDenied, match="not possible while"):
        workflow.article_transition(article=article, user=staff["superuser"], name=name, comment="x")


def test_writer_cannot_approve_own_article_even_as_medical_reviewer(make_user):
    both = make_user("dual", workflow.WRITER, workflow.MEDICAL_REVIEWER)
    article = article_in(S.DRAFT)
    workflow.article_transition(article=article, user=both, name="submit")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=both, name="approve_medical", checklist=confirmed_checklist())
    assert Article.objects.get(pk=article.pk).status == S.MEDICAL_REVIEW


def test_editor_cannot_publish_an_article_they_own(staff):
    article = article_in(S.EDITORIAL_REVIEW, owner=staff["editor"])
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=staff["editor"], name="publish")


def test_four_eyes_binds_superusers_and_linked_authors(staff, make_user):
    from ..factories import ContributorFactory

    article = article_in(S.EDITORIAL_REVIEW)
    article.authors.add(ContributorFactory(user=staff["superuser"]))
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=staff["superuser"], name="publish")


def test_request_changes_needs_a_comment(staff):
    article = article_in(S.MEDICAL_REVIEW)
    with pytest.raises(ValidationError, match="say why"):
        workflow.article_transition(article=article, user=staff["reviewer"], name="request_changes", comment="  ")
    assert Article.objects.get(pk=article.pk).status == S.MEDICAL_REVIEW


def test_publishing_without_references_is_refused(staff):
    article = awaiting_publication()
    article.article_references.all().delete()
    with pytest.raises(ValidationError, match="at least one reference"):
        workflow.article_transition(article=article, user=staff["editor"], name="publish")
    assert Article.objects.get(pk=article.pk).status == S.EDITORIAL_REVIEW


def test_full_review_sets_all_three_dates(staff, today):
    article = article_in(S.DRAFT, last_reviewed=None, next_review_due=None, last_revised=None, published_at=None)
    for user, name in [("writer", "submit"), ("reviewer", "approve_medical"), ("editor", "publish")]:
        article = workflow.article_transition(article=article, user=staff[user], name=name,
                                              checklist=confirmed_checklist())
    assert article.status == S.PUBLISHED
    assert article.last_reviewed == today
    assert article.last_revised == today
    assert article.next_review_due == add_months(today, 36)
    assert article.published_at is not None
    assert list(article.review_events.order_by("created_at", "pk").values_list("action", flat=True)) == [
        "submit",
        "approve_medical",
        "publish",
    ]


def test_review_interval_is_per_article(staff, today):
    article = awaiting_publication(review_interval_months=6)
    article = workflow.article_transition(article=article, user=staff["editor"], name="publish")
    assert article.next_review_due == add_months(today, 6)


def test_confirming_an_unchanged_page_moves_last_reviewed_but_not_last_revised(staff, today):
    old = today - datetime.timedelta(days=1200)
    article = article_in(
        S.PUBLISHED, last_reviewed=old, last_revised=old, next_review_due=old + datetime.timedelta(days=1000)
    )
    article.review_needed = True
    article.save()
    article = workflow.article_transition(article=article, user=staff["reviewer"], name="confirm_review")
    assert article.last_reviewed == today
    assert article.last_revised == old
    assert article.next_review_due == add_months(today, 36)
    assert article.review_needed is False


def revise(article, editor, **changes):
    """An editor's saved change to the working copy, as the admin makes it."""
    Article.objects.filter(pk=article.pk).update(**changes)
    article.refresh_from_db()
    workflow.record_edit(page=article, user=editor)
    return article


def review_and_publish(article, staff):
    for user, name in [("writer", "submit"), ("reviewer", "approve_medical"), ("superuser", "publish")]:
        article = workflow.article_transition(article=article, user=staff[user], name=name,
                                              checklist=confirmed_checklist())
    return article


def test_republishing_changed_text_moves_last_revised(staff, today):
    old = today - datetime.timedelta(days=500)
    article = article_in(S.PUBLISHED, last_reviewed=old, last_revised=old)
    make_live(article)
    article = review_and_publish(revise(article, staff["editor"], body="New evidence changes the advice [1]."), staff)
    assert article.last_revised == today and article.last_reviewed == today
    assert article.live_revision.content["body"] == "New evidence changes the advice [1]."


def test_republishing_unchanged_text_moves_the_review_dates_only(staff, today):
    old = today - datetime.timedelta(days=500)
    article = article_in(S.PUBLISHED, last_reviewed=old, last_revised=old)
    first = make_live(article)
    article = review_and_publish(revise(article, staff["editor"]), staff)
    assert article.live_revision.number == first.number + 1
    assert article.last_revised == old and article.last_reviewed == today


def test_review_events_cannot_be_changed_or_deleted(staff):
    article = article_in(S.DRAFT)
    workflow.article_transition(article=article, user=staff["writer"], name="submit")
    event = ReviewEvent.objects.get(article=article)
    event.comment = "rewritten history"
    with pytest.raises(ValidationError, match="permanent"):
        event.save()
    with pytest.raises(ValidationError, match="permanent"):
        event.delete()
    assert ReviewEvent.objects.get(pk=event.pk).comment == ""


@pytest.mark.parametrize(
    ("role", "status", "may_edit"),
    [
        ("writer", S.DRAFT, True),
        ("writer", S.MEDICAL_REVIEW, False),
        ("writer", S.PUBLISHED, False),
        ("reviewer", S.MEDICAL_REVIEW, True),
        ("reviewer", S.PUBLISHED, False),
        ("editor", S.PUBLISHED, True),
        ("nobody", S.DRAFT, False),
    ],
)
def test_who_may_edit_the_text(staff, role, status, may_edit):
    assert workflow.can_edit(staff[role], article_in(status)) is may_edit


def test_available_transitions_are_exactly_the_allowed_ones(staff):
    article = article_in(S.MEDICAL_REVIEW)
    assert {t.name for t in workflow.available_transitions(staff["reviewer"], article)} == {
        "approve_medical",
        "request_changes",
    }
    assert {t.name for t in workflow.available_transitions(staff["writer"], article)} == set()
