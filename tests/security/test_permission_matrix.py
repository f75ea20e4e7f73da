"""Who may open or post what in the admin: one table, every role against every URL.

Allowed means the request does its job (200 for a page, 302 after a successful post); refused means
403 for staff, or a redirect to the login page for anonymous visitors. Written out by hand from the
design, so a wrong permission anywhere fails here.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Article, Donation, ProblemReport, ReviewEvent, Subscriber
from cytokines.review import workflow

from ..factories import (
    AgentFactory,
    ArticleFactory,
    ArticleReferenceFactory,
    GlossaryTermFactory,
    ReferenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "writer", "reviewer", "editor", "superuser", "supporter_care"]
CONTENT = {"writer", "reviewer", "editor", "superuser"}
EDITORS = {"editor", "superuser"}
SUPPORTERS = {"supporter_care", "superuser"}
ALL_STAFF = {"writer", "reviewer", "editor", "superuser", "supporter_care"}


@pytest.fixture
def world(db):
    draft = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    in_review = ArticleFactory(status=Article.Status.EDITORIAL_REVIEW, last_reviewed=None, next_review_due=None)
    ArticleReferenceFactory(article=in_review, position=1)
    agent = AgentFactory()
    reference = ReferenceFactory()
    _reference_check(reference)
    donation = Donation.objects.create(amount=25, donor_name="D", email="d@example.org", provider="pledge")
    subscriber = Subscriber.objects.create(email="s@example.org", consent_at=timezone.now())
    author = UserFactory(username="author")
    workflow.article_transition(article=draft, user=UserFactory(username="root0", is_superuser=True), name="submit")
    workflow.article_transition(
        article=Article.objects.get(pk=draft.pk), user=UserFactory(username="root1", is_superuser=True),
        name="request_changes", comment="More detail",
    )  # fmt: skip
    event = ReviewEvent.objects.filter(article=draft).first()
    in_review.owner = author
    in_review.save()
    fresh = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    problem = ProblemReport.objects.create(page_path="/", page_title="Home", description="Typo",
                                           reporter_email="reader@example.org")  # fmt: skip
    draft_agent = AgentFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    term = GlossaryTermFactory()
    draft_term = GlossaryTermFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    fresh_term = GlossaryTermFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    return {"problem": problem, "fresh": fresh, "draft": draft, "in_review": in_review, "agent": agent,
            "draft_agent": draft_agent, "term": term, "draft_term": draft_term, "fresh_term": fresh_term,
            "reference": reference, "donation": donation, "subscriber": subscriber, "event": event}  # fmt: skip


def _reference_check(reference):
    """A check with a mismatch and a proposed note, so the fix buttons have something to do."""
    from cytokines.quality.models import ReferenceCheck
    from cytokines.quality.resolvers import Record

    record = Record(source="pmid", identifier=reference.pmid, volume="39")
    ReferenceCheck.objects.create(
        reference=reference, status="mismatch", records={"pmid": record.as_json()}, link_status="dead",
        mismatches=[{"field": "volume", "source": "pmid", "ours": reference.volume, "record": "39"}],
        proposed_note="Content is no longer available",
    )  # fmt: skip


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


# (label, method, url builder, POST data builder, roles allowed)
MATRIX = [
    ("article list", "get", lambda w: admin_url("cytokines_article_changelist"), None, CONTENT),
    ("article add page", "get", lambda w: admin_url("cytokines_article_add"), None, {"writer", "editor", "superuser"}),
    ("article change page", "get", lambda w: admin_url("cytokines_article_change", w["draft"].pk), None, CONTENT),
    ("article delete (never reviewed)", "post", lambda w: admin_url("cytokines_article_delete", w["fresh"].pk),
     lambda w: {"post": "yes"}, EDITORS),
    ("article history", "get", lambda w: admin_url("cytokines_article_history", w["draft"].pk), None, CONTENT),
    ("article preview", "get", lambda w: admin_url("cytokines_article_preview", w["draft"].pk), None, CONTENT),
    ("publish transition", "post", lambda w: admin_url("cytokines_article_transition", w["in_review"].pk),
     lambda w: {"transition": "publish"}, EDITORS),
    ("approve transition", "post", lambda w: admin_url("cytokines_article_transition", w["in_review"].pk),
     lambda w: {"transition": "request_changes", "comment": "x"}, {"reviewer", "editor", "superuser"}),
    ("review dashboard", "get", lambda w: admin_url("cytokines_review_dashboard"), None, CONTENT),
    ("review schedule CSV", "get", lambda w: admin_url("cytokines_review_schedule_csv"), None, CONTENT),
    ("calendar link", "get", lambda w: admin_url("cytokines_calendar_link"), None, ALL_STAFF),
    ("article export", "get", lambda w: admin_url("cytokines_article_export"), None, CONTENT),
    ("article import", "get", lambda w: admin_url("cytokines_article_import"), None, {"writer", "editor", "superuser"}),
    ("reassign action", "post", lambda w: admin_url("cytokines_article_changelist"),
     lambda w: {"action": "reassign", "_selected_action": [w["draft"].pk], "apply": "1"}, CONTENT),
    ("agent list", "get", lambda w: admin_url("cytokines_agent_changelist"), None, CONTENT),
    ("agent change page", "get", lambda w: admin_url("cytokines_agent_change", w["agent"].pk), None, CONTENT),
    ("agent delete", "post", lambda w: admin_url("cytokines_agent_delete", w["agent"].pk), lambda w: {"post": "yes"},
     EDITORS),
    ("agent confirm review", "post", lambda w: admin_url("cytokines_agent_transition", w["agent"].pk),
     lambda w: {"transition": "confirm_review", "comment": "checked"}, {"reviewer", "superuser"}),
    ("agent preview", "get", lambda w: admin_url("cytokines_agent_preview", w["agent"].pk), None, CONTENT),
    ("agent history", "get", lambda w: admin_url("cytokines_agent_history", w["agent"].pk), None, CONTENT),
    ("agent submit transition", "post", lambda w: admin_url("cytokines_agent_transition", w["draft_agent"].pk),
     lambda w: {"transition": "submit"}, {"writer", "editor", "superuser"}),
    ("agent archive transition", "post", lambda w: admin_url("cytokines_agent_transition", w["agent"].pk),
     lambda w: {"transition": "archive", "comment": "Withdrawn"}, EDITORS),
    ("agent export", "get", lambda w: admin_url("cytokines_agent_export"), None, CONTENT),
    ("glossary term list", "get", lambda w: admin_url("cytokines_glossaryterm_changelist"), None, CONTENT),
    ("glossary term add page", "get", lambda w: admin_url("cytokines_glossaryterm_add"), None,
     {"writer", "editor", "superuser"}),
    ("glossary term change page", "get", lambda w: admin_url("cytokines_glossaryterm_change", w["term"].pk), None,
     CONTENT),
    ("glossary term preview", "get", lambda w: admin_url("cytokines_glossaryterm_preview", w["draft_term"].pk), None,
     CONTENT),
    ("glossary term history", "get", lambda w: admin_url("cytokines_glossaryterm_history", w["term"].pk), None,
     CONTENT),
    ("glossary term submit transition", "post",
     lambda w: admin_url("cytokines_glossaryterm_transition", w["draft_term"].pk), lambda w: {"transition": "submit"},
     {"writer", "editor", "superuser"}),
    ("glossary term confirm review", "post", lambda w: admin_url("cytokines_glossaryterm_transition", w["term"].pk),
     lambda w: {"transition": "confirm_review", "comment": "checked"}, {"reviewer", "superuser"}),
    ("glossary term archive transition", "post",
     lambda w: admin_url("cytokines_glossaryterm_transition", w["term"].pk),
     lambda w: {"transition": "archive", "comment": "Merged"}, EDITORS),
    ("glossary term delete (never reviewed)", "post",
     lambda w: admin_url("cytokines_glossaryterm_delete", w["fresh_term"].pk), lambda w: {"post": "yes"}, EDITORS),
    ("glossary term import", "get", lambda w: admin_url("cytokines_glossaryterm_import"), None, set()),
    ("glossary term import post", "post", lambda w: admin_url("cytokines_glossaryterm_import"),
     lambda w: {"format": "0"}, set()),
    ("reference add page", "get", lambda w: admin_url("cytokines_reference_add"), None, CONTENT),
    ("reference delete", "post", lambda w: admin_url("cytokines_reference_delete", w["reference"].pk),
     lambda w: {"post": "yes"}, EDITORS),
    ("reference change page (check panel)", "get", lambda w: admin_url("cytokines_reference_change",
     w["reference"].pk), None, CONTENT),
    ("accept a record's values", "post", lambda w: admin_url("cytokines_reference_accept_record", w["reference"].pk),
     lambda w: {"source": "pmid"}, EDITORS),
    ("confirm an availability note", "post", lambda w: admin_url("cytokines_reference_confirm_note",
     w["reference"].pk), lambda w: {"note": "Gone"}, EDITORS),
    ("dismiss a proposed note", "post", lambda w: admin_url("cytokines_reference_dismiss_note", w["reference"].pk),
     lambda w: {}, EDITORS),
    ("citation import", "get", lambda w: admin_url("cytokines_reference_import_citations"), None, CONTENT),
    ("review event list", "get", lambda w: admin_url("cytokines_reviewevent_changelist"), None, CONTENT),
    ("review event edit", "post", lambda w: admin_url("cytokines_reviewevent_change", w["event"].pk),
     lambda w: {"comment": "rewritten"}, set()),
    ("review event delete", "post", lambda w: admin_url("cytokines_reviewevent_delete", w["event"].pk),
     lambda w: {"post": "yes"}, set()),
    ("feedback list", "get", lambda w: admin_url("cytokines_pagefeedback_changelist"), None, CONTENT),
    ("problem report list", "get", lambda w: admin_url("cytokines_problemreport_changelist"), None, EDITORS),
    ("problem report page", "get", lambda w: admin_url("cytokines_problemreport_change", w["problem"].pk), None,
     EDITORS),
    ("problem report resolve", "post", lambda w: admin_url("cytokines_problemreport_changelist"),
     lambda w: {"action": "mark_resolved", "_selected_action": [w["problem"].pk]}, EDITORS),
    ("problem report add", "get", lambda w: admin_url("cytokines_problemreport_add"), None, set()),
    ("donation list", "get", lambda w: admin_url("cytokines_donation_changelist"), None, SUPPORTERS),
    ("donation export", "get", lambda w: admin_url("cytokines_donation_export"), None, SUPPORTERS),
    ("donation delete", "post", lambda w: admin_url("cytokines_donation_delete", w["donation"].pk),
     lambda w: {"post": "yes"}, set()),
    ("subscriber list", "get", lambda w: admin_url("cytokines_subscriber_changelist"), None, SUPPORTERS),
    ("subscriber export", "get", lambda w: admin_url("cytokines_subscriber_export"), None, SUPPORTERS),
    ("user accounts", "get", lambda w: admin_url("auth_user_changelist"), None, {"superuser"}),
    ("login lockouts", "get", lambda w: admin_url("axes_accessattempt_changelist"), None, {"superuser"}),
]  # fmt: skip


@pytest.fixture
def as_role(client, db):
    def login(role):
        if role == "anonymous":
            return client
        groups = {"writer": [workflow.WRITER], "reviewer": [workflow.MEDICAL_REVIEWER], "editor": [workflow.EDITOR],
                  "supporter_care": ["Supporter care"], "superuser": []}[role]  # fmt: skip
        user = UserFactory(username=f"as-{role}", is_superuser=role == "superuser")
        user.groups.add(*Group.objects.filter(name__in=groups))
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "method", "url", "data", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_permission_matrix(world, as_role, role, label, method, url, data, allowed):
    client = as_role(role)
    target = url(world)
    response = client.post(target, data(world)) if method == "post" else client.get(target)
    if role in allowed:
        assert response.status_code in (200, 302), f"{role} should be able to use {label}"
        if response.status_code == 302:
            assert "/admin/login/" not in response["Location"], f"{role} was sent to log in for {label}"
    elif role == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 403, f"{role} must not use {label} (got {response.status_code})"


def test_refused_posts_changed_nothing(world, as_role):
    client = as_role("writer")
    client.post(admin_url("cytokines_article_transition", world["in_review"].pk), {"transition": "publish"})
    client.post(admin_url("cytokines_article_delete", world["draft"].pk), {"post": "yes"})
    assert Article.objects.get(pk=world["in_review"].pk).status == Article.Status.EDITORIAL_REVIEW
    assert Article.objects.filter(pk=world["draft"].pk).exists()
    for name, data in [("cytokines_reference_accept_record", {"source": "pmid"}),
                       ("cytokines_reference_confirm_note", {"note": "Gone"})]:
        client.post(admin_url(name, world["reference"].pk), data)
    client.post(admin_url("cytokines_problemreport_changelist"),
                {"action": "mark_resolved", "_selected_action": [world["problem"].pk]})  # fmt: skip
    assert ProblemReport.objects.get(pk=world["problem"].pk).status == ProblemReport.Status.OPEN
    world["reference"].refresh_from_db()
    assert world["reference"].volume == "38" and world["reference"].availability_note == ""
    as_role("superuser").post(admin_url("cytokines_donation_delete", world["donation"].pk), {"post": "yes"})
    assert Donation.objects.filter(pk=world["donation"].pk).exists()


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_an_article_with_review_history_cannot_be_deleted_only_archived(world, as_role, role):
    response = as_role(role).post(admin_url("cytokines_article_delete", world["draft"].pk), {"post": "yes"})
    assert "Cannot delete article" in response.content.decode()
    assert Article.objects.filter(pk=world["draft"].pk).exists()
    assert ReviewEvent.objects.filter(article=world["draft"]).count() == 2


# --- live pages: no role and no path changes what readers see without the workflow -----------------------


@pytest.fixture
def live_world(db):
    """A live article (a reference and an FAQ item) and a live fact sheet (a reference and an approval)."""
    import datetime

    from ..factories import RegulatoryApprovalFactory, make_live

    old = datetime.date(2025, 1, 10)
    article = ArticleFactory(last_reviewed=old, last_revised=old, body="Reviewed body [1].")
    reference = ReferenceFactory(title="Reviewed citation title")
    ArticleReferenceFactory(article=article, reference=reference, position=1)
    article.faq_items.create(question="Is it safe?", answer="Reviewed answer [1].", position=1)
    make_live(article)
    agent = AgentFactory(last_reviewed=old, last_revised=old, hospital_note="Reviewed side effect")
    agent.references.add(reference)
    RegulatoryApprovalFactory(agent=agent, status="approved", year_approved=1992)
    make_live(agent)
    term = GlossaryTermFactory(name="Reviewed word", slug="reviewed-word", definition="Reviewed definition.",
                               last_reviewed=old, last_revised=old)  # fmt: skip
    return {"article": article, "agent": agent, "reference": reference, "term": term}


def _form_data(url, mutate):
    """What a browser would post from ``url``'s form (read as a superuser), changed by ``mutate``."""
    from django.test import Client

    from ..admin_forms import _field_values, change_form_data

    reader = Client()
    reader.force_login(UserFactory(username="form-reader", is_superuser=True))
    response = reader.get(url)
    context = response.context
    has_inlines = "inline_admin_formsets" in context
    data = change_form_data(response) if has_inlines else _field_values(context["adminform"].form)
    mutate(data)
    return data


def _history_url(page):
    version = page.history.earliest()
    return admin_url(f"cytokines_{page._meta.model_name}_simple_history", page.pk, version.history_id)


# (label, url builder, change to the form, roles whose post is an accepted edit, pages it makes pending)
LIVE_POSTS = [
    ("article change: body, FAQ answer and reference inline",
     lambda w: admin_url("cytokines_article_change", w["article"].pk),
     lambda d: d.update({"body": "Unreviewed body [1].", "faq_items-0-answer": "Unreviewed answer [1].",
                         "article_references-0-position": "2"}), EDITORS, {"Article"}),
    ("article history revert", lambda w: _history_url(w["article"]), lambda d: d.update({"body": "Old body [1]."}),
     EDITORS, {"Article"}),
    ("agent change: side effects and approval", lambda w: admin_url("cytokines_agent_change", w["agent"].pk),
     lambda d: d.update({"hospital_note": "Unreviewed side effect", "approvals-0-status": "withdrawn"}),
     EDITORS, {"Agent"}),
    ("agent history revert", lambda w: _history_url(w["agent"]),
     lambda d: d.update({"hospital_note": "Unreviewed side effect"}), EDITORS, {"Agent"}),
    ("glossary term change: definition", lambda w: admin_url("cytokines_glossaryterm_change", w["term"].pk),
     lambda d: d.update({"definition": "Unreviewed definition."}), EDITORS, {"GlossaryTerm"}),
    ("glossary term history revert", lambda w: _history_url(w["term"]),
     lambda d: d.update({"definition": "Unreviewed definition."}), EDITORS, {"GlossaryTerm"}),
    ("cited reference change", lambda w: admin_url("cytokines_reference_change", w["reference"].pk),
     lambda d: d.update({"title": "Unreviewed citation title"}), CONTENT, {"Article", "Agent"}),
]  # fmt: skip


def _what_readers_see(world):
    from cytokines.content import live_version
    from cytokines.models import Agent, GlossaryTerm

    live_version.bump()
    from django.test import Client

    pages = {}
    for model, page in ((Article, world["article"]), (Agent, world["agent"]), (GlossaryTerm, world["term"])):
        row = model.objects.values("live_revision", "last_revised", "last_reviewed", "next_review_due",
                                   "published_at").get(pk=page.pk)  # fmt: skip
        html = Client().get(page.live_revision.get_absolute_url()).content.decode()
        pages[model.__name__] = (row, "Unreviewed" not in html and "Reviewed" in html)
    return pages


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "url", "mutate", "editors", "made_pending"), LIVE_POSTS,
                         ids=[row[0] for row in LIVE_POSTS])  # fmt: skip
def test_no_role_changes_what_readers_see_or_a_live_pages_dates_without_the_workflow(
    live_world, as_role, role, label, url, mutate, editors, made_pending
):
    from cytokines.models import Agent, GlossaryTerm

    target = url(live_world)
    data = _form_data(target, mutate)
    before = _what_readers_see(live_world)
    client = as_role(role)
    assert client.get(target).status_code in ((200,) if role in CONTENT else (302, 403))
    response = client.post(target, data)
    if role in editors:
        assert response.status_code == 302 and "/admin/login/" not in response["Location"], (
            response.context and response.context["adminform"].form.errors)  # fmt: skip
    elif role == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 403, f"{role} must not post {label}"
    assert _what_readers_see(live_world) == before  # live content, live revision and dates: all as they were
    statuses = {"Article": Article.objects.get(pk=live_world["article"].pk).status,
                "Agent": Agent.objects.get(pk=live_world["agent"].pk).status,
                "GlossaryTerm": GlossaryTerm.objects.get(pk=live_world["term"].pk).status}  # fmt: skip
    # An accepted edit starts the pending revision (a draft) of each page it changes; nothing else moves a status.
    pending = made_pending if role in editors else set()
    assert statuses == {kind: Article.Status.DRAFT if kind in pending else Article.Status.PUBLISHED
                        for kind in statuses}  # fmt: skip
