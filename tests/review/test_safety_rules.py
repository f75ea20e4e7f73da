"""Issue 23: the workflow refuses a fact sheet without its safety information, a medical reviewer with a
declared interest in the medicine, and a medical approval without the checklist (which it keeps)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cytokines.models import Agent, ChecklistItem, DeclaredInterest, ReviewEvent, SafetyStatement
from cytokines.review import workflow
from cytokines.review.safety import missing_safety_information

from ..admin_forms import change_form_data
from ..factories import AgentFactory, ArticleFactory, ArticleReferenceFactory, ReferenceFactory, confirmed_checklist
from .admin_helpers import change_url, login

pytestmark = pytest.mark.django_db
S = Agent.Status
CHECKED = datetime.date(2026, 12, 3)


def draft_agent():
    return AgentFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)


def complete_safety(agent, *, not_applicable=("boxed_warning", "fertility")):
    label = ReferenceFactory(container="Prescribing information")
    for topic in SafetyStatement._meta.get_field("topic").choices:
        if topic[0] in not_applicable:
            agent.safety_statements.create(topic=topic[0], not_applicable=True, text="The label has none.")
        else:
            agent.safety_statements.create(topic=topic[0], text="What the label says.", reference=label,
                                           checked_on=CHECKED)  # fmt: skip
    agent.side_effects.create(name="Fever", frequency="very_common", what_to_do="Call your team.", reference=label)
    agent.approvals.create(regulator="fda", status="approved", indication="Kidney cancer", year_approved=1992,
                           source_url="https://example.org/label", checked_on=CHECKED)  # fmt: skip
    Agent.objects.filter(pk=agent.pk).update(places=["hospital"])
    agent.refresh_from_db()
    return agent


def publish_by_form(client, editor, agent):
    """Through review to editorial review, then the Publish button of the change page (another Editor)."""
    from django.contrib.auth.models import Group

    from ..factories import UserFactory, medical_reviewer

    agent.references.add(ReferenceFactory())
    workflow.transition(page=agent, user=editor, name="submit")
    workflow.transition(page=agent, user=medical_reviewer("safety-medic"), name="approve_medical",
                        checklist=confirmed_checklist())  # fmt: skip
    publisher = UserFactory(username="second-editor")
    publisher.groups.add(Group.objects.get(name=workflow.EDITOR))
    client = login(client, publisher)
    assert client.get(change_url(agent)).status_code == 200
    return client.post(reverse("admin:cytokines_agent_transition", args=[agent.pk]), {"transition": "publish"},
                       follow=True)  # fmt: skip


def test_publishing_an_agent_without_its_safety_information_is_refused_naming_what_is_missing(client, staff):
    agent = draft_agent()
    response = publish_by_form(client, staff["editor"], agent)
    assert response.status_code == 200  # the form again, with the reason
    html = response.content.decode()
    assert "This fact sheet cannot be published yet" in html, html[:3000]
    for missing in ("where it is given", "Most important safety information (boxed warning)", "Who must not have it",
                    "Pregnancy and contraception", "Breastfeeding", "Fertility", "Vaccines",
                    "Other medicines (interactions)", "its side effects", "its regulatory status"):  # fmt: skip
        assert missing in html
    agent.refresh_from_db()
    assert (agent.status, agent.live_revision) == (S.EDITORIAL_REVIEW, None)  # nothing went live


def test_an_explicit_not_applicable_answers_a_topic_and_the_complete_sheet_publishes(client, staff):
    agent = complete_safety(draft_agent())
    assert missing_safety_information(agent) == []
    response = publish_by_form(client, staff["editor"], agent)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert Agent.objects.get(pk=agent.pk).status == S.PUBLISHED


def test_a_statement_without_source_or_date_and_an_unsourced_side_effect_are_named(client):
    agent = complete_safety(draft_agent())
    agent.safety_statements.filter(topic="vaccines").update(reference=None)
    agent.side_effects.create(name="Chills", frequency="common", what_to_do="")
    agent.approvals.update(checked_on=None)
    missing = " ".join(missing_safety_information(agent))
    assert "the source and date checked of “Vaccines”" in missing
    assert "a source for the side effect(s) Chills" in missing
    assert "what to do about the side effect(s) Chills" in missing
    assert "the source and date checked of the regulatory status (FDA (United States))" in missing


def test_the_database_refuses_a_topic_with_neither_text_nor_not_applicable():
    from django.db import IntegrityError, transaction

    agent = draft_agent()
    with pytest.raises(IntegrityError), transaction.atomic():
        agent.safety_statements.create(topic="vaccines", text="")


# --- conflicts of interest ---------------------------------------------------------------------------------


def declare_interest(user, agent):
    interest = DeclaredInterest.objects.create(contributor=user.contributor, declared_on=datetime.date(2023, 5, 1),
                                               description="Speaker fees from the maker (2023)")  # fmt: skip
    interest.agents.add(agent)


def article_about(agent):
    article = ArticleFactory(status=S.MEDICAL_REVIEW, last_reviewed=None, next_review_due=None)
    ArticleReferenceFactory(article=article, position=1)
    article.agents.add(agent)
    return article


def test_a_reviewer_with_a_declared_interest_cannot_approve_a_page_about_that_agent(staff):
    agent = AgentFactory(name="Ropeginterferon alfa-2b")
    article = article_about(agent)
    declare_interest(staff["reviewer"], agent)
    with pytest.raises(PermissionDenied) as refused:
        workflow.article_transition(article=article, user=staff["reviewer"], name="approve_medical",
                                    checklist=confirmed_checklist())  # fmt: skip
    assert "declared an interest in Ropeginterferon alfa-2b" in str(refused.value)
    assert "Speaker fees from the maker (2023)" in str(refused.value)
    article.refresh_from_db()
    assert article.status == S.MEDICAL_REVIEW and not article.review_events.filter(action="approve_medical").exists()
    assert "approve_medical" not in {t.name for t in workflow.available_transitions(staff["reviewer"], article)}


def test_the_interest_binds_only_pages_about_that_agent(staff):
    declare_interest(staff["reviewer"], AgentFactory())
    article = article_about(AgentFactory())
    moved = workflow.article_transition(article=article, user=staff["reviewer"], name="approve_medical",
                                        checklist=confirmed_checklist())  # fmt: skip
    assert moved.status == S.EDITORIAL_REVIEW


def test_the_admin_refuses_the_conflicted_reviewer_on_get_and_post(client, staff):
    agent = AgentFactory()
    article = article_about(agent)
    declare_interest(staff["reviewer"], agent)
    client = login(client, staff["reviewer"])
    assert 'value="approve_medical"' not in client.get(change_url(article)).content.decode()
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    response = client.post(url, {"transition": "approve_medical", "checklist": confirmed_checklist()})
    assert response.status_code == 403 and "declared an interest" in response.content.decode()
    assert Agent.objects.filter(pk=agent.pk).exists() and article.review_events.count() == 0


def test_a_conflicted_reviewer_cannot_confirm_the_fact_sheets_review(staff):
    agent = AgentFactory(status=S.PUBLISHED)
    declare_interest(staff["reviewer"], agent)
    with pytest.raises(PermissionDenied, match="declared an interest"):
        workflow.transition(page=agent, user=staff["reviewer"], name="confirm_review")


# --- the medical review checklist --------------------------------------------------------------------------


def test_the_checklist_is_stored_with_the_approval(staff):
    article = article_about(AgentFactory())
    workflow.article_transition(article=article, user=staff["reviewer"], name="approve_medical",
                                checklist=confirmed_checklist())  # fmt: skip
    event = ReviewEvent.objects.get(article=article, action="approve_medical")
    texts = [entry["item"] for entry in event.checklist]
    assert texts == list(ChecklistItem.objects.filter(is_active=True).values_list("text", flat=True))
    assert "Each statement is supported by the reference it cites." in texts
    assert all(entry["checked"] for entry in event.checklist)


def test_an_approval_with_a_point_not_confirmed_is_refused_and_nothing_changes(staff):
    article = article_about(AgentFactory())
    first, *rest = confirmed_checklist()
    with pytest.raises(ValidationError) as refused:
        workflow.article_transition(article=article, user=staff["reviewer"], name="approve_medical", checklist=rest)
    assert ChecklistItem.objects.get(pk=first).text in " ".join(refused.value.messages)
    article.refresh_from_db()
    assert article.status == S.MEDICAL_REVIEW and article.review_events.count() == 0


def test_the_reviewer_sees_the_checklist_and_the_admin_keeps_what_was_ticked(client, staff):
    ChecklistItem.objects.create(text="Dosing matches the label.", position=9)
    article = article_about(AgentFactory())
    client = login(client, staff["reviewer"])
    html = client.get(change_url(article)).content.decode()
    assert "Medical review checklist" in html and "Dosing matches the label." in html
    url = reverse("admin:cytokines_article_transition", args=[article.pk])
    client.post(url, {"transition": "approve_medical", "checklist": confirmed_checklist()})
    event = ReviewEvent.objects.get(article=article, action="approve_medical")
    assert "Dosing matches the label." in [entry["item"] for entry in event.checklist]


@pytest.mark.parametrize("method", ["get", "post"])
def test_editors_keep_the_checklist_and_others_may_not(client, staff, method):
    url = reverse("admin:cytokines_checklistitem_add")
    data = {"text": "Doses are in the label's units.", "position": 5, "is_active": "on"}
    for role, allowed in (("writer", False), ("reviewer", False), ("editor", True)):
        response = getattr(login(client, staff[role]), method)(url, data)
        assert (response.status_code in (200, 302)) is allowed, role
        assert (response.status_code == 403) is not allowed, role
    assert ChecklistItem.objects.filter(text=data["text"]).count() == (1 if method == "post" else 0)



def test_a_conflicted_reviewer_cannot_be_assigned_to_a_page_about_that_agent(staff):
    agent = AgentFactory(name="Besremi test")
    article = article_about(agent)
    declare_interest(staff["reviewer"], agent)
    with pytest.raises(ValidationError, match="declared an interest in Besremi test"):
        workflow.articles_reassign(articles=type(article).objects.filter(pk=article.pk),
                                   medical_reviewer=staff["reviewer"], user=staff["editor"])  # fmt: skip
    article.refresh_from_db()
    assert article.medical_reviewer_id != staff["reviewer"].pk


def test_the_article_form_refuses_a_conflicted_medical_reviewer(client, staff):
    agent = AgentFactory()
    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    article.agents.add(agent)
    declare_interest(staff["reviewer"], agent)
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(article)))
    data["medical_reviewer"] = str(staff["reviewer"].pk)
    response = client.post(change_url(article), data)
    assert response.status_code == 200 and "declared an interest" in response.content.decode()
    article.refresh_from_db()
    assert article.medical_reviewer_id is None
