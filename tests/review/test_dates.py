"""Dates that tell the truth: what moves "last revised", "last reviewed" and "next review due", and what not.

A material revision moves all three; "Confirm review" moves only the review dates, even while a pending
revision is being worked on; a typo-only correction, approved by a second Editor without medical review,
moves none; a later review never rewrites an earlier revision date.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from cytokines.content import live_version
from cytokines.models import Article, ReviewEvent
from cytokines.review import publishing, workflow

from ..factories import ArticleFactory, ArticleReferenceFactory, ReferenceFactory, confirmed_checklist
from .admin_helpers import change_url, login

pytestmark = pytest.mark.django_db
S = Article.Status
OLD = datetime.date(2025, 1, 10)
DUE = datetime.date(2028, 1, 10)
MEDIC = {"username": "medic", "name": "Dr Medic", "credentials": "MD"}
LIVE_TEXT = "Most people stay in hospital for about a week. The nurses check your blood presure often [1]."
FIXED_TEXT = "Most people stay in hospital for about a week. The nurses check your blood pressure often [1]."


def typo_pending(*, status=S.DRAFT, body=FIXED_TEXT, **kwargs):
    """A live page (approved by Dr Medic long ago) whose pending revision corrects one misspelled word."""
    fields = {"last_reviewed": OLD, "last_revised": OLD, "next_review_due": DUE, **kwargs}
    article = ArticleFactory(status=S.PUBLISHED, body=LIVE_TEXT, live=False, **fields)
    ArticleReferenceFactory(article=article, position=1)
    publishing.go_live(
        article, approvers={"medical": MEDIC, "editor": {"username": "ed", "name": "Ed", "credentials": ""}}
    )
    Article.objects.filter(pk=article.pk).update(body=body, status=status)
    article.refresh_from_db()
    return article


def dates(article):
    article.refresh_from_db()
    return article.last_revised, article.last_reviewed, article.next_review_due


def public_html(article):
    live_version.bump()
    return Client().get(article.get_absolute_url()).content.decode()


def test_a_typo_correction_approved_by_a_second_editor_goes_live_without_medical_review(staff, make_user):
    article = typo_pending()
    workflow.record_edit(page=article, user=staff["editor"])
    live_before = article.live_revision
    second = make_user("edna", workflow.EDITOR)
    article = workflow.article_transition(article=article, user=second, name="publish_typo_fix")

    revision = article.live_revision
    assert revision.pk != live_before.pk and revision.typo_only is True
    assert revision.content["body"] == FIXED_TEXT and article.status == S.PUBLISHED
    assert revision.approvers["medical"] == MEDIC and revision.approvers["editor"]["username"] == "edna"
    assert dates(article) == (OLD, OLD, DUE)  # not a revision of substance, not a review
    event = ReviewEvent.objects.filter(article=article).latest("pk")
    assert (event.action, event.actor) == ("publish_typo_fix", second)
    html = public_html(article)
    assert "blood pressure often" in html and "typo correction checked by a second editor" in html


def test_the_editor_who_fixed_the_typo_cannot_publish_it(staff):
    article = typo_pending()
    workflow.record_edit(page=article, user=staff["editor"])
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=staff["editor"], name="publish_typo_fix")


@pytest.mark.parametrize("role", ["writer", "reviewer", "nobody"])
def test_only_editors_publish_typo_corrections(staff, role):
    article = typo_pending()
    with pytest.raises(PermissionDenied):
        workflow.article_transition(article=article, user=staff[role], name="publish_typo_fix")
    assert article.live_revision.content["body"] == LIVE_TEXT


def test_a_page_that_is_not_live_has_no_typo_path(staff):
    article = ArticleFactory(status=S.DRAFT)
    with pytest.raises(PermissionDenied, match="only for a page readers can see"):
        workflow.article_transition(article=article, user=staff["editor"], name="publish_typo_fix")


def add_faq(article):
    article.faq_items.create(question="Can I drive home?", answer="Ask your nurse.", position=1)


def add_reference(article):
    ArticleReferenceFactory(article=article, position=2, reference=ReferenceFactory())


@pytest.mark.parametrize(
    ("body", "arrange", "problem"),
    [
        (LIVE_TEXT.replace("a week", "2 weeks"), None, "a number changed"),
        (LIVE_TEXT.replace("check your", "do not check your"), None, "can change the meaning changed (“not”)"),
        (
            "Nobody needs to stay in hospital, and the nurses leave you alone at home for as long as you like [1].",
            None,
            "more than 12 words changed",
        ),  # fmt: skip
        (FIXED_TEXT, add_faq, "questions and answers were added, removed or reordered"),
        (FIXED_TEXT, add_reference, "references changed"),
        (LIVE_TEXT, None, "it changes nothing readers see"),
    ],
    ids=["number", "negation", "rewrite", "faq added", "reference added", "no change"],
)
def test_more_than_a_typo_is_refused_and_says_why(staff, make_user, body, arrange, problem):
    article = typo_pending(body=body)
    if arrange:
        arrange(article)
    live_before = article.live_revision_id
    with pytest.raises(ValidationError, match="more than a typo correction") as refused:
        workflow.article_transition(article=article, user=make_user("edna", workflow.EDITOR), name="publish_typo_fix")
    assert problem in str(refused.value)
    article.refresh_from_db()
    assert (article.status, article.live_revision_id) == (S.DRAFT, live_before)


def test_confirm_review_while_a_revision_is_pending_moves_only_the_review_dates(staff, today):
    article = typo_pending(status=S.MEDICAL_REVIEW)
    live_before = article.live_revision_id
    article = workflow.article_transition(article=article, user=staff["reviewer"], name="confirm_review")
    dates(article)
    assert article.last_reviewed == today and article.last_revised == OLD and article.next_review_due > DUE
    # The pending revision is untouched: same stage, same text; readers' page is the same revision.
    assert (article.status, article.body, article.live_revision_id) == (S.MEDICAL_REVIEW, FIXED_TEXT, live_before)
    event = ReviewEvent.objects.filter(article=article).latest("pk")
    assert (event.action, event.from_status, event.to_status) == ("confirm_review", S.MEDICAL_REVIEW, S.MEDICAL_REVIEW)


def on(day, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def test_a_later_review_never_rewrites_an_earlier_revision_date(staff, make_user, monkeypatch):
    article = typo_pending(body=LIVE_TEXT.replace("about a week", "five to seven days"))
    day1, day2, day3, day4 = (datetime.date(2026, month, 2) for month in (3, 5, 7, 9))
    second = make_user("edna", workflow.EDITOR)

    on(day1, monkeypatch)  # a material revision, reviewed in full
    for user, step in [(staff["editor"], "submit"), (staff["reviewer"], "approve_medical"), (second, "publish")]:
        article = workflow.article_transition(article=article, user=user, name=step, checklist=confirmed_checklist())
    assert dates(article)[:2] == (day1, day1)

    on(day2, monkeypatch)  # still correct: a review, not a revision
    article = workflow.article_transition(article=article, user=staff["reviewer"], name="confirm_review")
    assert dates(article)[:2] == (day1, day2)

    on(day3, monkeypatch)  # a typo fixed by a second Editor: neither
    Article.objects.filter(pk=article.pk).update(body=article.body.replace("presure", "pressure"))
    article.refresh_from_db()
    workflow.record_edit(page=article, user=staff["editor"])
    article = workflow.article_transition(article=article, user=second, name="publish_typo_fix")
    assert dates(article)[:2] == (day1, day2)

    on(day4, monkeypatch)  # reviewed in full again, no change to the words: the review dates only
    workflow.record_edit(page=article, user=staff["editor"])
    for user, step in [(staff["editor"], "submit"), (staff["reviewer"], "approve_medical"), (second, "publish")]:
        article = workflow.article_transition(article=article, user=user, name=step, checklist=confirmed_checklist())
    assert dates(article)[:2] == (day1, day4)


def test_the_change_page_says_whether_a_revision_is_a_typo_correction(client, staff, make_user):
    article = typo_pending()
    workflow.record_edit(page=article, user=staff["writer"])
    html = login(client, make_user("edna", workflow.EDITOR)).get(change_url(article)).content.decode()
    assert "Small enough for a typo-only correction" in html and 'value="publish_typo_fix"' in html
    Article.objects.filter(pk=article.pk).update(body="Entirely new advice [1].")
    html = client.get(change_url(article)).content.decode()
    assert "Not a typo-only correction" in html and 'value="publish_typo_fix"' not in html
