import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cytokines.content import live_version
from cytokines.models import Agent, Article, ReviewEvent

from ..admin_forms import change_form_data
from ..factories import AgentFactory, ArticleFactory
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status

# --- editing: dates, lost edits -----------------------------------------------------------------


def test_an_editors_edit_of_a_published_page_waits_for_review(client, staff):
    article = published_article()
    live = article.live_revision
    page_before = client.get(article.get_absolute_url()).content.decode()
    editor = login(Client(), staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    data["body"] = "Corrected dose information [1]."
    response = editor.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    # The working copy holds the edit as a pending revision (a draft); readers keep the live revision.
    assert article.body == "Corrected dose information [1]." and article.status == S.DRAFT
    assert article.live_revision == live and live.content["body"] == "Some text citing a study [1]."
    assert (article.last_revised, article.last_reviewed) == (datetime.date(2025, 1, 10), datetime.date(2025, 1, 10))
    live_version.bump()
    page_after = client.get(article.get_absolute_url()).content.decode()
    assert "Corrected dose information" not in page_after and "Some text citing a study" in page_after
    assert page_before.count("Some text citing a study") == page_after.count("Some text citing a study")
    event = ReviewEvent.objects.get(article=article)
    assert (event.action, event.actor, event.from_status, event.to_status) == ("edited", staff["editor"], S.PUBLISHED,
                                                                               S.DRAFT)  # fmt: skip


def test_saving_a_published_page_unchanged_starts_no_revision(client, staff):
    article = published_article()
    editor = login(client, staff["editor"])
    assert editor.post(change_url(article), change_form_data(editor.get(change_url(article)))).status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and not ReviewEvent.objects.filter(article=article).exists()


def test_writer_cannot_change_a_published_article(client, staff):
    article = published_article()
    client = login(client, staff["writer"])
    response = client.get(change_url(article))
    assert response.status_code == 200  # view only
    data = change_form_data(response) if response.context.get("adminform") else {}
    data["body"] = "Sneaky change"
    assert client.post(change_url(article), data).status_code == 403
    assert Article.objects.get(pk=article.pk).body != "Sneaky change"


@pytest.mark.parametrize("role", ["writer", "reviewer", "editor", "superuser"])
def test_status_and_review_dates_are_never_form_fields(client, staff, role):
    article = published_article()
    form = login(client, staff[role]).get(change_url(article)).context["adminform"].form
    assert not {"status", "last_revised", "last_reviewed", "next_review_due", "published_at"} & set(form.fields)


def test_saving_over_someone_elses_newer_save_is_refused(client, staff):
    from django.test import Client

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Original")
    first, second = Client(), Client()
    first.force_login(staff["writer"])
    second.force_login(staff["editor"])
    first_data = change_form_data(first.get(change_url(article)))
    second_data = change_form_data(second.get(change_url(article)))

    first_data["body"] = "First editor's text"
    assert first.post(change_url(article), first_data).status_code == 302

    second_data["body"] = "Second editor's text"
    response = second.post(change_url(article), second_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "after you opened it" in html and "wendy" in html
    assert "Second editor&#x27;s text" in html  # their work is still in the form
    assert Article.objects.get(pk=article.pk).body == "First editor's text"


def test_agent_is_protected_against_lost_edits_too(client, staff):
    agent = AgentFactory()
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(agent)))
    Agent.objects.filter(pk=agent.pk).update(version=agent.version + 1)
    data["summary"] = "Changed"
    response = client.post(change_url(agent), data)
    assert response.status_code == 200 and "after you opened it" in response.content.decode()


# --- agent facts flag articles ------------------------------------------------------------------


def publish_agent(agent, editor, make_user):
    """Take a fact sheet's pending revision through review to the readers."""
    from cytokines.review import workflow

    from ..factories import medical_reviewer

    agent.refresh_from_db()
    workflow.transition(page=agent, user=editor, name="submit")
    workflow.transition(page=agent, user=medical_reviewer(f"medic-{agent.version}"), name="approve_medical",
                        checklist=[item.pk for item in workflow.current_checklist()])  # fmt: skip
    return workflow.transition(page=agent, user=make_user(f"edna-{agent.version}", workflow.EDITOR), name="publish")


def test_changing_where_an_agent_is_given_flags_its_published_articles_once_readers_see_it(client, staff, make_user):
    from ..factories import ReferenceFactory, make_live, with_safety

    agent = with_safety(AgentFactory())
    make_live(agent)
    agent.references.add(ReferenceFactory())
    published = published_article()
    draft = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None)
    unrelated = published_article()
    published.agents.add(agent)
    draft.agents.add(agent)
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(agent)))
    data["places"] = ["intensive_care"]
    assert client.post(change_url(agent), data).status_code == 302
    published.refresh_from_db()
    assert not published.review_needed  # a pending revision: readers see nothing new yet
    publish_agent(agent, staff["editor"], make_user)
    published.refresh_from_db(), draft.refresh_from_db(), unrelated.refresh_from_db()
    assert published.review_needed and not draft.review_needed and not unrelated.review_needed
    assert ReviewEvent.objects.get(article=published).action == "flag_review_needed"
    dashboard = client.get(reverse("admin:cytokines_review_dashboard")).content.decode()
    assert published.title in dashboard


def test_a_changed_approval_flags_articles_when_published_but_a_summary_edit_does_not(client, staff, make_user):
    from ..factories import ReferenceFactory, RegulatoryApprovalFactory, make_live, with_safety

    approval = RegulatoryApprovalFactory()
    approval.agent.references.add(ReferenceFactory())
    with_safety(approval.agent)
    make_live(approval.agent)
    article = published_article()
    article.agents.add(approval.agent)
    client = login(client, staff["editor"])
    data = change_form_data(client.get(change_url(approval.agent)))
    data["summary"] = "Clearer wording."
    assert client.post(change_url(approval.agent), data).status_code == 302
    publish_agent(approval.agent, staff["editor"], make_user)
    article.refresh_from_db()
    assert not article.review_needed

    data = change_form_data(client.get(change_url(approval.agent)))
    data["approvals-0-status"] = "withdrawn"
    assert client.post(change_url(approval.agent), data).status_code == 302
    publish_agent(approval.agent, staff["editor"], make_user)
    article.refresh_from_db()
    assert article.review_needed




def _inline_prefix(data, field_suffix, value):
    """The form prefix (e.g. ``references-0``) of the inline row whose ``field_suffix`` holds ``value``."""
    return next(key.removesuffix(field_suffix) for key, v in data.items() if key.endswith(field_suffix) and v == value)


def test_swapping_two_reference_positions_saves_both(client, staff):
    """Renumbering rows in place passes through a moment where two rows share a position."""
    from ..factories import ArticleReferenceFactory

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Cites [1] and [2].")
    first = ArticleReferenceFactory(article=article, position=1)
    second = ArticleReferenceFactory(article=article, position=2)
    editor = login(client, staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    first_row = _inline_prefix(data, "-id", str(first.pk))
    second_row = _inline_prefix(data, "-id", str(second.pk))
    data[first_row + "-position"], data[second_row + "-position"] = "2", "1"
    response = editor.post(change_url(article), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_two_references_at_one_position_are_refused_with_a_message(client, staff):
    from ..factories import ArticleReferenceFactory

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, body="Cites [1] and [2].")
    first = ArticleReferenceFactory(article=article, position=1)
    second = ArticleReferenceFactory(article=article, position=2)
    editor = login(client, staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    data[_inline_prefix(data, "-id", str(second.pk)) + "-position"] = "1"
    response = editor.post(change_url(article), data)
    assert response.status_code == 200 and "position" in response.content.decode().lower()
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.position, second.position) == (1, 2)


def test_moving_an_faq_question_up_saves_the_new_order(client, staff):
    from cytokines.models import FaqItem

    article = ArticleFactory(status=S.DRAFT, last_reviewed=None, next_review_due=None, kind=Article.Kind.FAQ)
    items = [FaqItem.objects.create(article=article, question=f"Question {n}?", answer="Answer.", position=n)
             for n in (1, 2, 3)]  # fmt: skip
    editor = login(client, staff["editor"])
    data = change_form_data(editor.get(change_url(article)))
    for item, new_position in zip(items, ("3", "1", "2"), strict=True):
        data[_inline_prefix(data, "-id", str(item.pk)) + "-position"] = new_position
    response = editor.post(change_url(article), data)
    assert response.status_code == 302
    assert list(article.faq_items.order_by("position").values_list("question", flat=True)) == [
        "Question 2?", "Question 3?", "Question 1?"]  # fmt: skip
