"""Migrating existing data: published pages keep their live content, dates and history (issue 12)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cytokines", "0023_editorial_check_permissions")]
AFTER = [("cytokines", "0026_working_copy_columns")]


def migrate(targets):
    # Going back past 0028_supporter_privacy: its backward step deletes the consent wording and then alters
    # that table in one transaction, which PostgreSQL refuses while the deletes' constraint checks are
    # pending. The wording is deleted here first, in a transaction of its own (the migration makes it again).
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    if ("cytokines", "0028_supporter_privacy") in applied and not any(t[1] >= "0028" for t in targets):
        from cytokines.models import ConsentText

        ConsentText.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# serialized_rollback: the groups and other rows the migrations made are put back for the tests after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_published_pages_get_revision_one_from_their_current_text():
    old = migrate(BEFORE)
    try:
        Article, Contributor = old.get_model("cytokines", "Article"), old.get_model("cytokines", "Contributor")
        ReviewEvent, User = old.get_model("cytokines", "ReviewEvent"), old.get_model("auth", "User")
        reviewer = User.objects.create(username="amara", first_name="Amara", last_name="Okafor")
        Contributor.objects.create(name="Dr Amara Okafor", slug="amara", credentials="MD", user=reviewer)
        day = datetime.date(2025, 3, 1)
        published = Article.objects.create(title="Live page", slug="live", summary="S", body="Live **text**.",
                                           status="published", last_reviewed=day, last_revised=day,
                                           next_review_due=datetime.date(2028, 3, 1))  # fmt: skip
        draft = Article.objects.create(title="Draft", slug="draft", summary="S", body="Not yet.", status="draft")
        ReviewEvent.objects.create(article=published, actor=reviewer, actor_name="amara", role="medical_reviewer",
                                   action="approve_medical", from_status="medical_review",
                                   to_status="editorial_review")  # fmt: skip

        new = migrate(AFTER)
        Article = new.get_model("cytokines", "Article")
        page = Article.objects.get(slug="live")
        revision = page.live_revision
        assert (revision.number, revision.title, revision.content["body"]) == (1, "Live page", "Live **text**.")
        assert "<strong>text</strong>" in revision.content["body_html"]
        assert revision.approvers["medical"] == {"username": "amara", "name": "Dr Amara Okafor", "credentials": "MD"}
        assert (page.status, page.last_reviewed, page.last_revised) == ("published", day, day)
        assert page.review_events.count() == 1
        assert Article.objects.get(pk=draft.pk).live_revision is None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_published_agents_get_revision_one_with_their_facts_approvals_safety_and_history():
    old = migrate([("cytokines", "0031_donor_contact_consent")])
    try:
        Agent, CancerType = old.get_model("cytokines", "Agent"), old.get_model("cytokines", "CancerType")
        Reference = old.get_model("cytokines", "Reference")
        day = datetime.date(2025, 3, 1)
        live = Agent.objects.create(name="Aldesleukin", slug="aldesleukin", agent_class="interleukin", summary="S",
                                    mechanism="Grows *T cells*.", status="published", places=["hospital"],
                                    last_reviewed=day, last_revised=day, next_review_due=datetime.date(2026, 3, 1),
                                    routes=["iv"])  # fmt: skip
        label = Reference.objects.create(title="Proleukin label", container="FDA", year=2023)
        live.side_effects.create(name="Fever", frequency="very_common", what_to_do="Call.", reference=label)
        live.safety_statements.create(topic="boxed_warning", text="Capillary leak.", reference=label)
        kidney = CancerType.objects.create(name="Kidney cancer", slug="kidney")
        live.approvals.create(regulator="fda", status="approved", year_approved=1992).cancer_types.add(kidney)
        draft = Agent.objects.create(name="New", slug="new", agent_class="other", summary="S", mechanism="M")

        new = migrate([("cytokines", "0033_live_agent_revisions")])
        Agent = new.get_model("cytokines", "Agent")
        page = Agent.objects.get(slug="aldesleukin")
        revision = page.live_revision
        assert (revision.number, revision.name, revision.content["places"]) == (1, "Aldesleukin", ["hospital"])
        assert "<em>T cells</em>" in revision.content["mechanism_html"]
        assert [e["name"] for e in revision.content["side_effects"]] == ["Fever"]
        assert revision.content["side_effects"][0]["source_position"] == 1
        assert [s["text"] for s in revision.content["safety_statements"]] == ["Capillary leak."]
        kidney_approval = {"regulator": "fda", "indication": "", "status": "approved", "year_approved": 1992,
                           "year_ended": None, "source_url": "", "checked_on": "",
                           "cancer_types": [{"name": "Kidney cancer", "slug": "kidney"}]}  # fmt: skip
        assert revision.content["approvals"] == [kidney_approval]
        assert list(revision.approved_cancer_types.values_list("slug", flat=True)) == ["kidney"]
        assert (page.status, page.last_reviewed, page.last_revised) == ("published", day, day)
        assert Agent.objects.get(pk=draft.pk).live_revision is None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema
