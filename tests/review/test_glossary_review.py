"""Glossary terms go through the same review as articles: steps, four-eyes, conflicts of interest, dates,
and a live revision readers keep while a newer one is reviewed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cytokines.content import live_version
from cytokines.models import DeclaredInterest, GlossaryTerm, ReviewEvent
from cytokines.review import workflow

from ..admin_forms import change_form_data
from ..factories import AgentFactory, ContributorFactory, GlossaryTermFactory, confirmed_checklist
from .admin_helpers import change_url, login

pytestmark = pytest.mark.django_db
S = GlossaryTerm.Status
OLD = datetime.date(2025, 1, 10)


def draft(**kwargs):
    fields = {"status": S.DRAFT, "name": "Neutropenia", "slug": "neutropenia",
              "definition": "Too few neutrophils, the white blood cells that fight germs.", **kwargs}  # fmt: skip
    return GlossaryTermFactory(**fields)


def walk(term, staff):
    """Writer submits, the medical reviewer approves, the editor publishes."""
    workflow.transition(page=term, user=staff["writer"], name="submit")
    workflow.transition(page=term, user=staff["reviewer"], name="approve_medical", checklist=confirmed_checklist())
    return workflow.transition(page=term, user=staff["editor"], name="publish")


def test_a_term_is_published_through_medical_and_editorial_review_with_its_dates(staff, today):
    term = walk(draft(), staff)
    assert term.status == S.PUBLISHED and term.live_revision is not None
    assert (term.last_reviewed, term.last_revised) == (today, today)
    assert term.next_review_due > today and term.published_at is not None
    revision = term.live_revision
    assert revision.name == "Neutropenia" and revision.medical_approver["name"] == "Dr Rita Reviewer"
    actions = list(ReviewEvent.objects.filter(glossaryterm=term).order_by("pk").values_list("action", flat=True))
    assert actions == ["submit", "approve_medical", "publish"]


def test_nobody_publishes_a_term_without_a_medical_approval(staff):
    term = draft()
    workflow.transition(page=term, user=staff["writer"], name="submit")
    with pytest.raises(PermissionDenied):  # editorial step comes after the medical one
        workflow.transition(page=term, user=staff["editor"], name="publish")
    assert GlossaryTerm.objects.get(pk=term.pk).live_revision is None


def test_a_term_needs_an_author_before_it_goes_live(staff):
    term = draft(authors=[])
    workflow.transition(page=term, user=staff["writer"], name="submit")
    workflow.transition(page=term, user=staff["reviewer"], name="approve_medical", checklist=confirmed_checklist())
    with pytest.raises(ValidationError, match="at least one author"):
        workflow.transition(page=term, user=staff["editor"], name="publish")


def test_the_writer_of_a_term_cannot_approve_it(staff, make_user):
    both = make_user("wanda", workflow.WRITER, workflow.MEDICAL_REVIEWER)
    ContributorFactory(user=both)
    term = draft()
    workflow.transition(page=term, user=both, name="submit")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.transition(page=term, user=both, name="approve_medical", checklist=confirmed_checklist())


def test_a_reviewer_with_a_declared_interest_in_its_medicine_cannot_approve_a_term(staff):
    agent = AgentFactory(name="Ropeginterferon alfa-2b", slug="ropeginterferon-alfa-2b")
    interest = DeclaredInterest.objects.create(contributor=staff["reviewer"].contributor,
                                               description="Speaker fees", declared_on=OLD)  # fmt: skip
    interest.agents.add(agent)
    term = draft(name="Ropeginterferon", slug="ropeginterferon")
    term.agents.add(agent)
    workflow.transition(page=term, user=staff["writer"], name="submit")
    with pytest.raises(PermissionDenied, match="conflict-of-interest"):
        workflow.transition(page=term, user=staff["reviewer"], name="approve_medical", checklist=confirmed_checklist())


def test_editing_a_live_term_in_the_admin_keeps_the_live_definition_until_the_revision_is_published(
    client, staff, today
):
    term = GlossaryTermFactory(name="Platelets", slug="platelets", definition="Tiny cells that stop bleeding.",
                               last_reviewed=OLD, last_revised=OLD, next_review_due=OLD + datetime.timedelta(900))
    live = term.live_revision
    editor = login(Client(), staff["editor"])
    data = change_form_data(editor.get(change_url(term)))
    data["definition"] = "Tiny cell pieces that help blood clot."
    response = editor.post(change_url(term), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    term.refresh_from_db()
    assert term.status == S.DRAFT and term.live_revision_id == live.pk and term.last_reviewed == OLD
    live_version.bump()
    page = client.get(reverse("cytokines:glossary-term", args=["platelets"])).content.decode()
    assert "Tiny cells that stop bleeding." in page and "help blood clot" not in page
    # The editor edited it: another editor publishes, after a medical reviewer approves the new words.
    workflow.transition(page=term, user=staff["writer"], name="submit")
    workflow.transition(page=term, user=staff["reviewer"], name="approve_medical", checklist=confirmed_checklist())
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.transition(page=term, user=staff["editor"], name="publish")
    other = staff["superuser"]
    term = workflow.transition(page=term, user=other, name="publish")
    assert term.live_revision_id != live.pk and term.last_revised == today
    live_version.bump()
    assert "help blood clot" in client.get(term.get_absolute_url()).content.decode()


def test_confirm_review_moves_only_the_dates_of_a_term(staff, today):
    term = GlossaryTermFactory(last_reviewed=OLD, last_revised=OLD, next_review_due=OLD + datetime.timedelta(900))
    live = term.live_revision
    term = workflow.transition(page=term, user=staff["reviewer"], name="confirm_review")
    assert (term.last_reviewed, term.last_revised, term.live_revision_id) == (today, OLD, live.pk)


def test_the_term_admin_shows_the_review_box_history_and_reading_level(staff):
    term = walk(draft(), staff)
    editor = login(Client(), staff["editor"])
    page = editor.get(change_url(term)).content.decode()
    assert "Review history (permanent record)" in page and "medical content" in page.lower()
    assert "Confirm review: content still correct" in login(Client(), staff["reviewer"]).get(
        change_url(term)).content.decode()  # fmt: skip
    assert "Unpublish and archive" in page
    assert "grade" in page.lower()


def test_terms_cannot_be_imported_around_review(staff):
    editor = login(Client(), staff["editor"])
    for method in (editor.get, editor.post):
        assert method(reverse("admin:cytokines_glossaryterm_import")).status_code == 403


def test_a_published_term_s_revision_is_a_permanent_record(staff):
    term = walk(draft(), staff)
    with pytest.raises(ValidationError):
        term.live_revision.save()
    with pytest.raises(ValidationError):
        term.live_revision.delete()
