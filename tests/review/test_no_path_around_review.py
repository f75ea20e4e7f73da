"""No path around review: references edited anywhere, history restores and imports of live pages only ever
make pending revisions; readers keep the live page, its status and its dates until the workflow publishes."""

import datetime

import pytest
import tablib
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cytokines.content import live_version
from cytokines.models import Agent, Article, ReviewEvent
from cytokines.quality import fixes
from cytokines.quality.models import ReferenceCheck
from cytokines.quality.resolvers import Record
from cytokines.quality.verification import apply_comparison
from cytokines.review import workflow
from cytokines.review.rules import authors_of
from cytokines.transfer import content_io

from ..admin_forms import _field_values, change_form_data
from ..factories import (
    AgentFactory,
    ArticleFactory,
    ArticleReferenceFactory,
    GlossaryTermFactory,
    ReferenceFactory,
    make_live,
)
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status
OLD = datetime.date(2025, 1, 10)
WORKFLOW_COLUMNS = ("status", "last_revised", "last_reviewed", "next_review_due", "published_at", "live_revision")


def public_html(client, page):
    live_version.bump()
    return client.get(page.live_revision.get_absolute_url()).content.decode()


def workflow_state(page):
    return type(page).objects.values(*WORKFLOW_COLUMNS).get(pk=page.pk)


@pytest.fixture
def cited():
    """A reference cited by a live article and a live fact sheet."""
    reference = ReferenceFactory(title="The reviewed title of the study", year=2019)
    article = published_article()
    ArticleReferenceFactory(article=article, reference=reference, position=2)
    make_live(article)
    agent = AgentFactory(last_reviewed=OLD, last_revised=OLD, next_review_due=OLD + datetime.timedelta(days=365))
    agent.references.add(reference)
    make_live(agent)
    return reference, article, agent


def assert_pending_edit(page, user, before_live):
    page.refresh_from_db()
    assert page.status == S.DRAFT and page.live_revision_id == before_live  # readers keep the live revision
    event = ReviewEvent.objects.filter(**{page._meta.model_name: page}, action="edited").get()
    assert event.actor == user and (event.from_status, event.to_status) == (S.PUBLISHED, S.DRAFT)


def test_editing_a_cited_reference_in_its_admin_makes_pending_revisions_never_live_changes(client, staff, cited):
    reference, article, agent = cited
    lives = (article.live_revision_id, agent.live_revision_id)
    dates = (workflow_state(article)["last_revised"], workflow_state(agent)["last_reviewed"])
    editor = login(Client(), staff["editor"])
    url = reverse("admin:cytokines_reference_change", args=[reference.pk])
    data = change_form_data(editor.get(url))
    data["title"] = "A retitled study"
    response = editor.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    for page in (article, agent):
        html = public_html(client, page)
        assert "The reviewed title of the study" in html and "A retitled study" not in html
    assert_pending_edit(article, staff["editor"], lives[0])
    assert_pending_edit(agent, staff["editor"], lives[1])
    assert (workflow_state(article)["last_revised"], workflow_state(agent)["last_reviewed"]) == dates
    # The editor who changed the reference edited both revisions: four-eyes counts them.
    assert staff["editor"].pk in authors_of(Agent.objects.get(pk=agent.pk))


def test_accepting_a_registry_value_for_a_cited_reference_makes_pending_revisions(client, staff, cited):
    reference, article, agent = cited
    lives = (article.live_revision_id, agent.live_revision_id)
    record = Record(source="pmid", identifier=reference.pmid, title=reference.title, first_author="Smith AB",
                    year=2020, journal=reference.container, journal_names=(reference.container,))  # fmt: skip
    check = ReferenceCheck(reference=reference, records={"pmid": record.as_json()}, checked_at=timezone.now())
    apply_comparison(check, reference, today=timezone.localdate())
    check.save()
    assert "year" in {m["field"] for m in check.mismatches}

    fixes.accept_record_values(check=check, source="pmid", user=staff["editor"])

    assert "2019" in public_html(client, article)  # the reviewed citation, until the revision is published
    assert_pending_edit(article, staff["editor"], lives[0])
    assert_pending_edit(agent, staff["editor"], lives[1])


def test_renumbering_references_and_editing_an_faq_answer_inline_waits_for_review(client, staff):
    article = published_article()
    ArticleReferenceFactory(article=article, reference=ReferenceFactory(title="Second study"), position=2)
    article.faq_items.create(question="Is it safe?", answer="Usually [1].", position=1)
    live = make_live(article)
    before = workflow_state(article)
    editor = login(Client(), staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    data.update({"article_references-1-position": "3", "faq_items-0-answer": "Only in hospital [1]."})
    response = editor.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert "Usually" in public_html(client, article) and "Only in hospital" not in public_html(client, article)
    after = workflow_state(article)
    assert after["status"] == S.DRAFT and after["live_revision"] == live.pk
    assert {k: v for k, v in after.items() if k != "status"} == {k: v for k, v in before.items() if k != "status"}


# --- history ------------------------------------------------------------------------------------------


def revert(client, page, version):
    url = reverse(f"admin:cytokines_{page._meta.model_name}_simple_history", args=[page.pk, version.history_id])
    data = _field_values(client.get(url).context["adminform"].form)  # the history form has no inlines
    return client.post(url, data)


def test_restoring_a_version_always_records_an_edit_even_when_the_form_looks_unchanged(client, staff):
    article = ArticleFactory(status=S.PUBLISHED, body="First wording [1].", last_reviewed=OLD, last_revised=OLD)
    ArticleReferenceFactory(article=article, position=1)
    first = article.history.earliest()
    Article.objects.filter(pk=article.pk).update(body="Second wording [1].")  # no history row: a silent change
    article.refresh_from_db()
    live = make_live(article)
    before = workflow_state(article)
    response = revert(login(client, staff["editor"]), article, first)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "First wording [1]." and article.status == S.DRAFT and article.live_revision == live
    event = article.review_events.get(action="edited")
    assert event.actor == staff["editor"] and event.comment.startswith("Restored from the version history")
    assert {k: v for k, v in workflow_state(article).items() if k != "status"} == {
        k: v for k, v in before.items() if k != "status"}  # fmt: skip


def test_restoring_an_old_version_of_a_live_agent_makes_a_pending_revision(client, staff):
    agent = AgentFactory(hospital_note="Fever only", last_reviewed=OLD, last_revised=OLD)
    first = agent.history.earliest()
    agent.hospital_note = "Fever and Chills"
    agent.save()
    live = make_live(agent)
    response = revert(login(client, staff["editor"]), agent, first)
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.hospital_note, agent.status, agent.live_revision) == ("Fever only", S.DRAFT, live)
    assert "Chills" in public_html(client, agent)


def test_restoring_an_old_version_of_a_live_glossary_term_makes_a_pending_revision(client, staff):
    term = GlossaryTermFactory(name="Platelets", slug="platelets", definition="Cells that help blood clot.",
                               last_reviewed=OLD, last_revised=OLD)  # fmt: skip
    first = term.history.earliest()
    term.definition = "Tiny cell pieces that help blood clot."
    term.save()
    live = make_live(term)
    before = workflow_state(term)
    response = revert(login(client, staff["editor"]), term, first)
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.definition, term.status, term.live_revision) == ("Cells that help blood clot.", S.DRAFT, live)
    assert "Tiny cell pieces" in public_html(client, term)
    assert {k: v for k, v in workflow_state(term).items() if k != "status"} == {
        k: v for k, v in before.items() if k != "status"}  # fmt: skip


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_nobody_edits_a_live_glossary_term_in_its_admin_but_an_editor(client, staff, role):
    term = GlossaryTermFactory(definition="Reviewed meaning.")
    url = change_url(term)
    data = change_form_data(login(Client(), staff["editor"]).get(url))
    data["definition"] = "Unreviewed meaning."
    user = login(client, staff[role])
    assert user.get(url).status_code == 200  # they may read it
    assert user.post(url, data).status_code == 403
    term.refresh_from_db()
    assert term.definition == "Reviewed meaning." and term.status == S.PUBLISHED
    assert "Reviewed meaning." in public_html(client, term)


def test_a_term_archived_through_the_workflow_leaves_every_article_it_was_linked_in(client, staff):
    term = GlossaryTermFactory(name="Neutropenia", slug="neutropenia", definition="Too few germ fighters.")
    article = published_article(body="Neutropenia can follow treatment [1].")
    assert 'href="/glossary/neutropenia/"' in public_html(client, article)
    workflow.transition(page=term, user=staff["editor"], name="archive", comment="Replaced")
    assert "glossary/neutropenia" not in public_html(client, article)


@pytest.mark.parametrize("role", ["writer", "reviewer"])
def test_only_people_who_may_edit_an_agent_restore_its_history(client, staff, role):
    agent = AgentFactory(hospital_note="Fever")
    first = agent.history.earliest()
    agent.hospital_note = "Chills"
    agent.save()
    assert revert(login(client, staff[role]), agent, first).status_code == 403
    agent.refresh_from_db()
    assert agent.hospital_note == "Chills" and agent.status == S.PUBLISHED


# --- imports ------------------------------------------------------------------------------------------


def exported_with(kind, slug, **cells):
    dataset = content_io.export_dataset(kind)
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    changed = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        if slug in row.values():
            row.update(cells)
            changed.append([row[h] for h in dataset.headers])
    return changed


def test_importing_a_change_to_a_published_article_makes_a_pending_revision_and_says_so(client):
    article = published_article(slug="live-page", title="Live title")
    live = article.live_revision
    before = workflow_state(article)
    dataset = exported_with("articles", "live-page", title="Retitled by a spreadsheet", last_reviewed="2020-01-01")
    summary = content_io.import_dataset("articles", dataset)
    assert summary.updated == 1, summary.notes
    assert any("Row 1:" in note and "pending revision" in note and "Live title" in note for note in summary.notes)
    assert any("left as they are" in note and "last reviewed" in note for note in summary.notes)
    article.refresh_from_db()
    assert article.title == "Retitled by a spreadsheet" and article.status == S.DRAFT
    assert article.live_revision == live and "Live title" in public_html(client, article)
    assert {k: v for k, v in workflow_state(article).items() if k != "status"} == {
        k: v for k, v in before.items() if k != "status"}  # fmt: skip
    assert article.review_events.get().action == "edited"


def test_importing_an_unchanged_published_page_changes_nothing():
    article = published_article(slug="same")
    summary = content_io.import_dataset("articles", exported_with("articles", "same"))
    assert summary.notes == []
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and not article.review_events.exists()


def test_importing_new_side_effects_for_a_live_agent_makes_a_pending_revision(client):
    agent = AgentFactory(slug="counted", hospital_note="Fever")
    live = agent.live_revision
    summary = content_io.import_dataset("agents", exported_with("agents", "counted",
                                                                **{"Hospital note": "Fever and Rash"}))
    assert any("pending revision" in note for note in summary.notes)
    agent.refresh_from_db()
    assert agent.status == S.DRAFT and agent.live_revision == live
    assert "Rash" not in public_html(client, agent)


def test_an_import_cannot_change_an_archived_page():
    ArticleFactory(slug="gone", title="Gone", status=S.ARCHIVED, live=False)
    with pytest.raises(content_io.ImportRejected, match="archived"):
        content_io.import_dataset("articles", exported_with("articles", "gone", title="Back"))
    assert Article.objects.get(slug="gone").title == "Gone"


def test_importing_a_changed_reference_makes_pending_revisions_of_the_live_pages_citing_it(client, cited):
    reference, article, agent = cited
    dataset = tablib.Dataset(headers=["doi", "pmid", "title", "authors", "container", "year"])
    dataset.append([reference.doi, reference.pmid, "Retitled by a file", reference.authors, reference.container,
                    reference.year])  # fmt: skip
    summary = content_io.import_dataset("references", dataset)
    assert any("pending revision" in note and article.title in note for note in summary.notes)
    for page in (article, agent):
        page.refresh_from_db()
        assert page.status == S.DRAFT
        assert "Retitled by a file" not in public_html(client, page)


def test_a_writer_cannot_publish_what_an_import_changed_without_review(staff):
    article = published_article(slug="live-page")
    content_io.import_dataset("articles", exported_with("articles", "live-page", title="New"))
    with pytest.raises(PermissionDenied):
        workflow.transition(page=Article.objects.get(pk=article.pk), user=staff["editor"], name="publish")


# --- translations -----------------------------------------------------------------------------------------


@pytest.fixture
def live_translation(make_user):
    """A live Spanish translation of a live English article, citing the same reference, owned by a translator."""
    translator = make_user("tania", workflow.TRANSLATOR)
    source = published_article()
    page = ArticleFactory(title="Interleucina-2", slug="interleucina-2", language="es", translation_of=source,
                          source_revision=source.live_revision, owner=translator, last_reviewed=OLD,
                          last_revised=OLD, next_review_due=OLD + datetime.timedelta(days=900), live=False)  # fmt: skip
    ArticleReferenceFactory(article=page, reference=source.article_references.get().reference, position=1)
    make_live(page)
    return page, translator


def test_a_translators_edit_of_a_live_translation_waits_for_review(client, live_translation):
    page, translator = live_translation
    live = page.live_revision_id
    before = workflow_state(page)
    form = login(Client(), translator)
    data = change_form_data(form.get(change_url(page)))
    data["body"] = "Texto nuevo sin revisar [1]."
    response = form.post(change_url(page), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert "Texto nuevo sin revisar" not in public_html(client, page)
    assert_pending_edit(page, translator, live)
    after = workflow_state(page)
    assert {k: v for k, v in after.items() if k != "status"} == {k: v for k, v in before.items() if k != "status"}
    with pytest.raises(PermissionDenied):  # and a translator cannot publish it either
        workflow.transition(page=page, user=translator, name="publish")


def test_editing_a_reference_a_live_translation_cites_makes_its_pending_revision(staff, live_translation):
    from cytokines.review import pending

    page, _ = live_translation
    live = page.live_revision_id
    reference = page.article_references.get().reference
    reference.title = "A corrected title"
    reference.save()
    assert page in pending.reference_edited(reference, user=staff["editor"])
    assert_pending_edit(page, staff["editor"], live)
