"""Agent fact sheets are reviewed revisions too: readers see the live revision; an edit waits for review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from cytokines.content import live_version
from cytokines.models import Agent, AgentRevision, CancerType, ReviewEvent
from cytokines.review import workflow

from ..admin_forms import change_form_data
from ..factories import (
    AgentFactory,
    ContributorFactory,
    ReferenceFactory,
    RegulatoryApprovalFactory,
    confirmed_checklist,
    make_live,
    medical_reviewer,
    with_safety,
)
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Agent.Status
OLD = datetime.date(2025, 1, 10)


def live_agent(**kwargs):
    """A published fact sheet, reviewed long ago, with a reference and an FDA approval for kidney cancer."""
    agent = AgentFactory(last_reviewed=OLD, last_revised=OLD, next_review_due=OLD + datetime.timedelta(days=365),
                         hospital_note="Watch for Chills", **kwargs)  # fmt: skip
    agent.references.add(ReferenceFactory())
    kidney = CancerType.objects.create(name="Kidney cancer", slug="kidney-cancer")
    approval = RegulatoryApprovalFactory(agent=agent, regulator="fda", status="approved", year_approved=1992)
    approval.cancer_types.add(kidney)
    with_safety(agent)
    make_live(agent)
    return agent


def public_html(client, agent):
    live_version.bump()  # whatever the cache held, readers get what is live now
    return client.get(agent.live_revision.get_absolute_url()).content.decode()


def test_done_when_an_editors_change_of_side_effects_and_approvals_reaches_readers_only_after_review(
    client, staff, make_user, today
):
    agent = live_agent()
    article = published_article()
    article.agents.add(agent)
    before = agent.live_revision.number
    assert "Chills" in public_html(client, agent) and "Approved in 1992" in public_html(client, agent)

    editor = login(Client(), staff["editor"])
    data = change_form_data(editor.get(change_url(agent)))
    data.update({"hospital_note": "Watch for Low blood pressure", "approvals-0-status": "withdrawn"})
    response = editor.post(change_url(agent), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    # Readers keep the reviewed version; the working copy is a pending revision (a draft).
    html = public_html(client, agent)
    assert "Chills" in html and "Low blood pressure" not in html and "Approved in 1992" in html
    agent.refresh_from_db()
    assert (agent.status, agent.live_revision.number, agent.last_revised) == (S.DRAFT, before, OLD)
    admin_page = editor.get(change_url(agent)).content.decode()
    assert 'id="pending-revision-banner"' in admin_page and "readers see the version of" in admin_page
    assert "Low blood pressure" in admin_page  # the admin shows the pending revision, not the live text
    assert 'id="revision-comparison"' in admin_page and "added: </span>Withdrawn" in admin_page
    assert ReviewEvent.objects.filter(agent=agent, action="edited", actor=staff["editor"]).count() == 1
    article.refresh_from_db()
    assert not article.review_needed  # readers were told nothing new yet

    workflow.transition(page=agent, user=staff["editor"], name="submit")
    workflow.transition(page=agent, user=staff["reviewer"], name="approve_medical", checklist=confirmed_checklist())
    assert "Low blood pressure" not in public_html(client, agent)
    with pytest.raises(PermissionDenied, match="four-eyes"):  # the editor who edited it cannot publish it
        workflow.transition(page=agent, user=staff["editor"], name="publish")
    agent = workflow.transition(page=agent, user=make_user("edna", workflow.EDITOR), name="publish")

    html = public_html(client, agent)
    assert "Low blood pressure" in html and "Chills" not in html
    assert "Withdrawn: no longer available for this use" in html
    assert (agent.status, agent.last_revised, agent.last_reviewed) == (S.PUBLISHED, today, today)
    assert agent.live_revision.number == before + 1
    assert "approved by Dr Rita Reviewer, MD, PhD (medical review)" in html
    article.refresh_from_db()
    assert article.review_needed  # the facts readers see changed: articles about the medicine get a review


def test_a_reviewer_who_edited_the_fact_sheet_cannot_approve_it(staff, make_user):
    agent = live_agent()
    both = make_user("both", workflow.MEDICAL_REVIEWER, workflow.EDITOR)
    ContributorFactory(user=both)
    Agent.objects.filter(pk=agent.pk).update(mechanism="Reworded by the reviewer.")
    workflow.record_edit(page=agent, user=both)
    agent.refresh_from_db()
    workflow.transition(page=agent, user=staff["editor"], name="submit")
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.transition(page=agent, user=both, name="approve_medical", checklist=confirmed_checklist())


def test_one_person_cannot_both_approve_and_publish_a_fact_sheet(staff, make_user):
    agent = with_safety(AgentFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None))
    agent.references.add(ReferenceFactory())
    both = make_user("both", workflow.MEDICAL_REVIEWER, workflow.EDITOR)
    ContributorFactory(user=both)
    workflow.transition(page=agent, user=staff["editor"], name="submit")
    workflow.transition(page=agent, user=both, name="approve_medical", checklist=confirmed_checklist())
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.transition(page=agent, user=both, name="publish")
    agent = workflow.transition(page=agent, user=make_user("edna", workflow.EDITOR), name="publish")
    assert agent.live_revision.approvers["medical"]["username"] == "both"


def test_publishing_a_fact_sheet_needs_a_reference_and_a_medical_reviewer_with_a_profile(staff, make_user):
    agent = with_safety(AgentFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None))
    workflow.transition(page=agent, user=staff["editor"], name="submit")
    workflow.transition(page=agent, user=make_user("mo", workflow.MEDICAL_REVIEWER), name="approve_medical",
                        checklist=confirmed_checklist())  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        workflow.transition(page=agent, user=make_user("edna", workflow.EDITOR), name="publish")
    message = str(refused.value)  # mo has no contributor profile
    assert "at least one reference" in message and "contributor profile for the medical reviewer mo" in message
    agent.refresh_from_db()
    assert (agent.status, agent.live_revision) == (S.EDITORIAL_REVIEW, None)


def test_an_agent_never_published_is_not_shown_and_its_first_publication_shows_it(client, staff, make_user):
    agent = with_safety(AgentFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, slug="new-medicine"))
    agent.references.add(ReferenceFactory())
    assert client.get("/agents/new-medicine/").status_code == 404
    workflow.transition(page=agent, user=staff["editor"], name="submit")
    workflow.transition(page=agent, user=medical_reviewer(), name="approve_medical", checklist=confirmed_checklist())
    workflow.transition(page=agent, user=make_user("edna", workflow.EDITOR), name="publish")
    live_version.bump()
    assert client.get("/agents/new-medicine/").status_code == 200


def test_a_renamed_slug_waits_for_review_too(client, staff):
    agent = live_agent(slug="old-name")
    editor = login(Client(), staff["editor"])
    data = change_form_data(editor.get(change_url(agent)))
    data.update({"slug": "new-name", "name": "New name"})
    assert editor.post(change_url(agent), data).status_code == 302
    live_version.bump()
    assert client.get("/agents/old-name/").status_code == 200 and client.get("/agents/new-name/").status_code == 404
    assert "New name" not in client.get(reverse("cytokines:agent-list")).content.decode()


def test_archiving_a_fact_sheet_takes_it_away_from_readers(client, staff):
    agent = live_agent(slug="going")
    workflow.transition(page=agent, user=staff["editor"], name="archive", comment="Withdrawn everywhere")
    live_version.bump()
    assert client.get("/agents/going/").status_code == 404
    assert Agent.objects.get(pk=agent.pk).live_revision is None


def test_the_preview_shows_the_pending_revision_as_readers_will_see_it(client, staff):
    agent = live_agent()
    Agent.objects.filter(pk=agent.pk).update(hospital_note="Pending wording of side effects")
    html = login(client, staff["reviewer"]).get(reverse("admin:cytokines_agent_preview", args=[agent.pk]))
    assert "Pending wording of side effects" in html.content.decode() and "Preview." in html.content.decode()


def test_agent_revisions_are_permanent(staff):
    revision = live_agent().live_revision
    with pytest.raises(ValidationError):
        revision.save()
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            AgentRevision.objects.filter(pk=revision.pk).update(name="Rewritten")


@pytest.mark.parametrize("approvals", [1, 3])
def test_the_agent_page_query_count_does_not_grow_with_its_approvals_and_references(
    client, approvals, django_assert_max_num_queries
):
    agent = AgentFactory(slug="counted")
    cancer_types = [CancerType.objects.create(name=f"Cancer {n}", slug=f"cancer-{n}") for n in range(approvals * 3)]
    for n, regulator in enumerate(["fda", "ema", "mhra"][:approvals]):
        RegulatoryApprovalFactory(agent=agent, regulator=regulator).cancer_types.add(*cancer_types[n * 3:n * 3 + 3])
    agent.references.add(*ReferenceFactory.create_batch(approvals * 5))
    agent.reviewers.add(*[ContributorFactory() for _ in range(approvals)])
    make_live(agent)
    live_version.bump()
    client.get("/")  # the site settings are cached by the first page
    # the live revision with its page's dates, its pages in other languages, its approved cancer types, what to
    # read next, other medicines
    with django_assert_max_num_queries(5):
        response = client.get("/agents/counted/")
    assert response.status_code == 200 and response.content.decode().count('<tr class="approval-') == approvals
