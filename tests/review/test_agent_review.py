"""Agents go through the same review as articles: confirm review, four-eyes, no status set by hand."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cytokines.models import Agent, Article, ReviewEvent
from cytokines.review import workflow

from ..admin_forms import change_form_data
from ..factories import AgentFactory
from .admin_helpers import change_url, login

pytestmark = pytest.mark.django_db
S = Article.Status


def transition_url(agent):
    return reverse("admin:cytokines_agent_transition", args=[agent.pk])


def test_medical_reviewer_confirms_an_agents_review_and_the_dates_move(client, staff, today):
    from cytokines.models import add_months

    agent = AgentFactory(last_reviewed=today - datetime.timedelta(days=400),
                         next_review_due=today - datetime.timedelta(days=35), review_needed=True)  # fmt: skip
    revision = agent.live_revision
    client = login(client, staff["reviewer"])
    assert "Confirm review: content still correct" in client.get(change_url(agent)).content.decode()
    response = client.post(transition_url(agent), {"transition": "confirm_review", "comment": "Checked FDA label"})
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.last_reviewed == today and agent.next_review_due == add_months(today, 12)
    assert not agent.review_needed and agent.live_revision == revision  # nothing readers read changed
    event = ReviewEvent.objects.get(agent=agent)
    assert (event.action, event.actor, event.comment) == ("confirm_review", staff["reviewer"], "Checked FDA label")


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_medical_reviewers_confirm_an_agents_review(client, staff, role):
    agent = AgentFactory()
    before = agent.last_reviewed
    response = login(client, staff[role]).post(transition_url(agent), {"transition": "confirm_review"})
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.last_reviewed == before


def test_a_draft_agent_cannot_be_confirmed(staff):
    agent = AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None)
    with pytest.raises(PermissionDenied, match="only for a page readers can see now"):
        workflow.transition(page=agent, user=staff["reviewer"], name="confirm_review")


def test_editors_can_no_longer_set_an_agents_status_or_dates_by_hand(client, staff):
    agent = AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None)
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(agent)))
    assert "status" not in data and "last_reviewed" not in data
    data.update({"status": "published", "last_reviewed": "2026-01-01", "next_review_due": "2027-01-01"})
    assert client.post(change_url(agent), data).status_code == 302
    agent.refresh_from_db()
    assert (agent.status, agent.last_reviewed, agent.live_revision) == (S.DRAFT, None, None)
