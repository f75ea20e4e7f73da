import datetime

import pytest
from django.urls import reverse

from cytokines.models import Agent, Article
from cytokines.review import workflow

from ..factories import AgentFactory
from .admin_helpers import change_url, login

pytestmark = pytest.mark.django_db
S = Article.Status
S = Article.Status

# --- agent fact sheets --------------------------------------------------------------------------


def test_medical_reviewer_confirms_an_agents_review_and_the_dates_move(client, staff, today):
    from cytokines.models import add_months

    agent = AgentFactory(last_reviewed=today - datetime.timedelta(days=400),
                         next_review_due=today - datetime.timedelta(days=35), review_needed=True)  # fmt: skip
    client = login(client, staff["reviewer"])
    assert "Confirm review: facts still correct" in client.get(change_url(agent)).content.decode()
    url = reverse("admin:cytokines_agent_confirm_review", args=[agent.pk])
    assert client.post(url, {"comment": "Checked FDA label"}).status_code == 302
    agent.refresh_from_db()
    assert agent.last_reviewed == today and agent.next_review_due == add_months(today, 12)
    assert not agent.review_needed
    assert agent.history.latest().history_change_reason == "Review confirmed by rita: Checked FDA label"


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_medical_reviewers_confirm_an_agents_review(client, staff, role):
    agent = AgentFactory()
    before = agent.last_reviewed
    response = login(client, staff[role]).post(reverse("admin:cytokines_agent_confirm_review", args=[agent.pk]))
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.last_reviewed == before


def test_a_draft_agent_cannot_be_confirmed(staff):
    agent = AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None)
    with pytest.raises(workflow.PermissionDenied, match="published"):
        workflow.agent_confirm_review(agent=agent, user=staff["reviewer"])


