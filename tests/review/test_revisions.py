"""Readers see only reviewed revisions: an edit of a live page waits, as a pending revision, for review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from cytokines.content import live_version
from cytokines.models import Article, ArticleRevision, ReviewEvent
from cytokines.review import publishing, workflow

from ..admin_forms import change_form_data
from ..factories import ContributorFactory, awaiting_publication, confirmed_checklist, make_live, medical_reviewer
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status
OLD = datetime.date(2025, 1, 10)


def public_html(client, article):
    live_version.bump()  # whatever the cache held, readers get what is live now
    return client.get(article.live_revision.get_absolute_url()).content.decode()


def test_done_when_an_editors_change_reaches_readers_only_after_review(client, staff, make_user, today):
    article = published_article()
    article.faq_items.create(question="Is it safe?", answer="Usually, with care [1].", position=1)
    before = make_live(article).number
    editor = login(Client(), staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    data.update({"body": "A corrected sentence [1].", "faq_items-0-answer": "Yes, in hospital [1]."})
    assert editor.post(change_url(article), data).status_code == 302

    html = public_html(client, article)
    assert "Some text citing a study" in html and "Usually, with care" in html
    assert "A corrected sentence" not in html and "Yes, in hospital" not in html
    admin_page = editor.get(change_url(article)).content.decode()
    assert 'id="pending-revision-banner"' in admin_page and "readers see the version of" in admin_page
    assert "A corrected sentence [1]." in admin_page  # the admin shows the pending revision, not the live text

    workflow.article_transition(article=article, user=staff["editor"], name="submit")
    workflow.article_transition(article=article, user=staff["reviewer"], name="approve_medical",
                                checklist=confirmed_checklist())
    article.refresh_from_db()
    assert (article.last_revised, article.last_reviewed) == (OLD, OLD)
    assert "A corrected sentence" not in public_html(client, article)
    second_editor = make_user("edna", workflow.EDITOR)
    article = workflow.article_transition(article=article, user=second_editor, name="publish")

    html = public_html(client, article)
    assert "A corrected sentence" in html and "Yes, in hospital" in html and "Some text citing" not in html
    assert (article.last_revised, article.last_reviewed, article.status) == (today, today, S.PUBLISHED)
    assert article.live_revision.number == before + 1
    assert article.live_revision.approvers["medical"]["name"] == "Dr Rita Reviewer"
    assert "approved by Dr Rita Reviewer, MD, PhD (medical review)" in html


def test_a_medical_reviewer_who_edits_during_review_cannot_approve(staff, make_user):
    article = awaiting_publication()
    Article.objects.filter(pk=article.pk).update(body="The reviewer's own rewording [1].")
    article.refresh_from_db()
    workflow.record_edit(page=article, user=staff["reviewer"])
    assert Article.objects.get(pk=article.pk).status == S.MEDICAL_REVIEW  # the approval was of other words
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=staff["reviewer"], name="approve_medical",
                                    checklist=confirmed_checklist())
    workflow.article_transition(article=article, user=medical_reviewer("maria"), name="approve_medical",
                                checklist=confirmed_checklist())
    workflow.article_transition(article=article, user=staff["editor"], name="publish")


def test_one_person_cannot_both_approve_and_publish(make_user):
    both = make_user("both", workflow.MEDICAL_REVIEWER, workflow.EDITOR)
    ContributorFactory(user=both)
    article = awaiting_publication()
    workflow.article_transition(article=article, user=both, name="request_changes", comment="One more source")
    workflow.article_transition(article=article, user=make_user("w", workflow.WRITER), name="submit")
    workflow.article_transition(article=article, user=both, name="approve_medical", checklist=confirmed_checklist())
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=both, name="publish")


def test_an_editor_who_edited_the_revision_cannot_publish_it(staff, make_user):
    article = awaiting_publication()
    Article.objects.filter(pk=article.pk).update(title="Retitled by the editor")
    article.refresh_from_db()
    workflow.record_edit(page=article, user=staff["editor"])
    workflow.article_transition(article=article, user=medical_reviewer("maria"), name="approve_medical",
                                checklist=confirmed_checklist())
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.article_transition(article=article, user=staff["editor"], name="publish")
    workflow.article_transition(article=article, user=make_user("edna", workflow.EDITOR), name="publish")


@pytest.mark.parametrize(
    ("arrange", "missing"),
    [
        (lambda a, reviewer: a.authors.clear(), "at least one author"),
        (lambda a, reviewer: reviewer.contributor.delete(), "a contributor profile for the medical reviewer maria"),
    ],
    ids=["no author", "reviewer without a profile"],
)
def test_publishing_is_refused_and_says_what_is_missing(staff, arrange, missing):
    reviewer = medical_reviewer("maria")
    article = awaiting_publication()
    workflow.article_transition(article=article, user=staff["editor"], name="request_changes", comment="Re-check")
    workflow.article_transition(article=article, user=staff["writer"], name="submit")
    workflow.article_transition(article=article, user=reviewer, name="approve_medical", checklist=confirmed_checklist())
    arrange(article, reviewer)
    with pytest.raises(ValidationError, match=missing):
        workflow.article_transition(article=article, user=staff["superuser"], name="publish")
    article.refresh_from_db()
    assert article.status == S.EDITORIAL_REVIEW and article.live_revision is None


def test_publish_records_who_approved_with_credentials_and_shows_them(client, staff, today):
    article = awaiting_publication()
    article = workflow.article_transition(article=article, user=staff["editor"], name="publish")
    approvers = article.live_revision.approvers
    assert approvers["medical"] == {"username": "medic", "name": "Dr Medic", "credentials": "MD"}
    assert approvers["editor"]["username"] == "eddie"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "approved by Dr Medic, MD (medical review) and eddie (editorial review)" in html


def test_archive_takes_the_page_down_and_restore_starts_a_draft(client, staff):
    article = published_article()
    workflow.article_transition(article=article, user=staff["editor"], name="archive", comment="Superseded")
    assert client.get(article.get_absolute_url()).status_code == 404
    article = workflow.article_transition(article=article, user=staff["editor"], name="restore")
    assert article.status == S.DRAFT and article.live_revision is None
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_shows_the_pending_revision_while_readers_see_the_live_one(client, staff):
    article = published_article()
    Article.objects.filter(pk=article.pk).update(body="Pending wording [1].", status=S.DRAFT)
    preview = login(Client(), staff["writer"]).get(reverse("admin:cytokines_article_preview", args=[article.pk]))
    assert "Pending wording" in preview.content.decode() and "Preview." in preview.content.decode()
    assert "Pending wording" not in public_html(client, article)


def test_existing_published_pages_keep_their_text_as_revision_one(staff):
    article = published_article()
    previous = article.live_revision.number
    Article.objects.filter(pk=article.pk).update(live_revision=None)  # as before revisions existed
    assert publishing.first_revisions(Article) == 1
    article.refresh_from_db()
    assert article.live_revision.content["body"] == article.body and article.live_revision.number == previous + 1
    assert (article.status, article.last_reviewed) == (S.PUBLISHED, OLD)


def test_a_revision_cannot_be_changed_or_deleted_through_the_model():
    article = published_article()
    revision = article.live_revision
    make_live(article)
    revision.title = "Rewritten"
    with pytest.raises(ValidationError, match="permanent"):
        revision.save()
    with pytest.raises(ValidationError, match="permanent"):
        revision.delete()
    assert ArticleRevision.objects.get(pk=revision.pk).title != "Rewritten"


@pytest.mark.parametrize(
    "change",
    [
        lambda r: ArticleRevision.objects.filter(pk=r.pk).update(title="Rewritten"),
        lambda r: ArticleRevision.objects.filter(pk=r.pk).delete(),
        lambda r: r.agents.clear(),
        lambda r: connection.cursor().execute("UPDATE cytokines_articlerevision SET content = '{}'"),
    ],
    ids=["update", "delete", "topic links", "raw SQL"],
)
def test_no_orm_path_changes_a_published_revision(change):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    from ..factories import AgentFactory

    article = published_article()
    article.agents.add(AgentFactory())
    revision = make_live(article)
    make_live(article)  # the earlier revision is history now: only the trigger stands in the way
    with pytest.raises(IntegrityError, match="permanent record"), transaction.atomic():
        change(revision)
    stored = ArticleRevision.objects.get(pk=revision.pk)
    assert stored.title == article.title and stored.agents.count() == 1 and stored.content["body"]


def test_edit_events_record_who_changed_the_pending_revision(client, staff):
    article = published_article()
    editor = login(client, staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    data["summary"] = "A clearer summary."
    editor.post(change_url(article), data)
    data = change_form_data(editor.get(change_url(article)))
    data["summary"] = "A clearer summary, again."
    editor.post(change_url(article), data)
    events = ReviewEvent.objects.filter(article=article).order_by("pk")
    assert [(e.action, e.from_status, e.to_status) for e in events] == [("edited", S.PUBLISHED, S.DRAFT),
                                                                       ("edited", S.DRAFT, S.DRAFT)]  # fmt: skip
