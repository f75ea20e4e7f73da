"""Translations are reviewed pages of their own: a Translator writes them (never English pages), a Medical
reviewer who reads the language approves them, an Editor publishes them; a new English live text makes them
out of date until they are brought up to date and reviewed again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cytokines.models import Article, ReviewEvent
from cytokines.review import rules, translations, workflow

from ..factories import ArticleFactory, ArticleReferenceFactory, confirmed_checklist, make_live, medical_reviewer
from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def translator(make_user):
    return make_user("tania", rules.TRANSLATOR)


@pytest.fixture
def spanish_reviewer(db):
    return medical_reviewer("lucia", reads_languages="es")


def spanish_draft(source, **kwargs):
    article = ArticleFactory(status=S.DRAFT, language="es", translation_of=source, title="Interleucina-2",
                             slug="interleucina-2", last_reviewed=None, next_review_due=None,
                             source_revision=source.live_revision, **kwargs)  # fmt: skip
    ArticleReferenceFactory(article=article, position=1)
    return article


def through_review(page, *, submitter, reviewer, editor):
    workflow.transition(page=page, user=submitter, name="submit")
    workflow.transition(page=page, user=reviewer, name="approve_medical", checklist=confirmed_checklist())
    return workflow.transition(page=page, user=editor, name="publish")


def test_a_translation_goes_through_review_on_its_own(staff, translator, spanish_reviewer):
    source = published_article(title="Interleukin-2")
    source_dates = (source.last_reviewed, source.next_review_due, source.live_revision_id)
    page = spanish_draft(source, owner=translator)

    workflow.transition(page=page, user=translator, name="submit")
    with pytest.raises(PermissionDenied, match="does not record that you read Spanish"):
        workflow.transition(page=page, user=staff["reviewer"], name="approve_medical", checklist=confirmed_checklist())
    workflow.transition(page=page, user=spanish_reviewer, name="approve_medical", checklist=confirmed_checklist())
    page = workflow.transition(page=page, user=staff["editor"], name="publish")

    live = page.live_revision
    assert (live.language, live.source_revision_id, live.title) == ("es", source.live_revision_id, "Interleucina-2")
    assert live.medical_approver["username"] == "lucia"
    assert page.last_reviewed is not None and page.next_review_due > page.last_reviewed
    source.refresh_from_db()
    assert (source.last_reviewed, source.next_review_due, source.live_revision_id) == source_dates
    actions = list(ReviewEvent.objects.filter(article=page).order_by("pk").values_list("action", "actor__username"))
    assert actions == [("submit", "tania"), ("approve_medical", "lucia"), ("publish", "eddie")]


def test_a_reviewer_without_spanish_is_refused_on_get_and_post(client, staff):
    source = published_article()
    page = spanish_draft(source)
    workflow.transition(page=page, user=staff["writer"], name="submit")
    login(client, staff["reviewer"])

    shown = client.get(change_url(page))
    assert shown.status_code == 200
    assert b'value="approve_medical"' not in shown.content  # no button for a step the rules refuse
    url = change_url(page).replace("/change/", "/transition/")
    refused = client.post(url, {"transition": "approve_medical"} | {"checklist": confirmed_checklist()})
    assert refused.status_code == 403
    assert "read Spanish" in refused.content.decode()
    page.refresh_from_db()
    assert page.status == S.MEDICAL_REVIEW


def test_translators_write_translations_only(client, translator):
    source = published_article()
    page = spanish_draft(source)
    assert rules.can_edit(translator, page)
    assert not rules.can_edit(translator, source)
    with pytest.raises(PermissionDenied, match="Only members of the Writer or Editor group"):
        workflow.transition(page=ArticleFactory(status=S.DRAFT), user=translator, name="submit")

    login(client, translator)
    # The English page is read-only for them (GET shows no save; POST is refused), the translation is theirs.
    assert b'name="_save"' not in client.get(change_url(source)).content
    assert client.post(change_url(source), {"title": "Changed"}).status_code == 403
    assert b'name="_save"' in client.get(change_url(page)).content
    source.refresh_from_db()
    assert source.title != "Changed"


def test_translator_cannot_add_an_english_page(translator):
    from django.forms import modelform_factory

    from cytokines.admin.forms import ArticleAdminForm

    form_class = modelform_factory(Article, form=ArticleAdminForm, fields=["title", "language", "translation_of"])
    form_class.request_user = translator  # as the admin's get_form sets it
    form = form_class(data={"title": "Plain English", "language": "en", "translation_of": ""})
    assert not form.is_valid()
    assert "Translators write translations only" in str(form.errors)
    source = published_article()
    form = form_class(data={"title": "Interleucina", "language": "es", "translation_of": source.pk})
    assert form.is_valid(), form.errors


def test_one_translation_per_language_per_source():
    source = published_article()
    spanish_draft(source)
    duplicate = Article(title="Otra", slug="otra", summary="x", body="x", language="es", translation_of=source)
    with pytest.raises(ValidationError, match="already has a translation in Spanish"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_translation_is_never_in_english_nor_of_a_translation():
    source = published_article()
    spanish = spanish_draft(source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=spanish.pk).update(language="en")
    nested = Article(title="x", slug="x", summary="x", body="x", language="es", translation_of=spanish)
    with pytest.raises(ValidationError, match="not another translation"):
        nested.full_clean()


def test_a_new_source_revision_marks_its_translations_out_of_date(staff, spanish_reviewer, translator):
    source = published_article(title="Interleukin-2", body="Old words [1].")
    page = through_review(spanish_draft(source), submitter=translator, reviewer=spanish_reviewer,
                          editor=staff["editor"])  # fmt: skip
    assert list(Article.objects.out_of_date_translations()) == []

    source.body = "New words about the dose [1]."
    source.save()
    make_live(source)  # the English page's live text changed
    assert list(Article.objects.out_of_date_translations()) == [page]

    changes = translations.source_changes(page)
    assert "Text" in changes.changed_parts()
    with pytest.raises(PermissionDenied):
        translations.bring_up_to_date(page=page, user=staff["writer"])  # a writer edits drafts only
    page = translations.bring_up_to_date(page=page, user=translator)
    assert page.status == S.DRAFT  # an edit of a live translation: its pending revision, through review again
    assert list(Article.objects.out_of_date_translations()) == [page]  # readers still read the old translation
    assert translations.source_changes(page) is not None  # the translator still sees what to change
    page = through_review(page, submitter=translator, reviewer=spanish_reviewer, editor=staff["editor"])
    assert list(Article.objects.out_of_date_translations()) == []
    assert translations.source_changes(page) is None


def test_a_republication_of_the_same_english_words_is_not_a_change(staff, spanish_reviewer):
    source = published_article()
    through_review(spanish_draft(source), submitter=staff["writer"], reviewer=spanish_reviewer,
                   editor=staff["editor"])  # fmt: skip
    make_live(source)  # a new revision, same text
    assert list(Article.objects.out_of_date_translations()) == []


def test_bring_up_to_date_is_refused_to_people_who_may_not_edit_and_when_nothing_changed(staff, translator):
    source = published_article()
    page = spanish_draft(source)
    with pytest.raises(ValidationError, match="already based"):
        translations.bring_up_to_date(page=page, user=translator)
    with pytest.raises(PermissionDenied):
        translations.bring_up_to_date(page=page, user=staff["nobody"])


def test_the_translation_of_box_is_a_search_of_english_source_pages_not_a_list_of_every_page(client, staff):
    # A select of every English article made the change form 8 MB and 6 s at 100,000 articles.
    sources = [ArticleFactory(title=f"Interleukin page {n}", status=S.DRAFT, last_reviewed=None,
                              next_review_due=None) for n in range(3)]  # fmt: skip
    spanish = spanish_draft(sources[0])
    page = login(client, staff["editor"]).get(change_url(spanish)).content.decode()
    assert f">{sources[0]}</option>" in page  # the chosen one only
    assert f">{sources[1]}</option>" not in page and f">{sources[2]}</option>" not in page
    search = {"app_label": "cytokines", "model_name": "article", "field_name": "translation_of", "term": "Interleu"}
    answer = client.get("/admin/autocomplete/", search).json()
    found = {row["text"] for row in answer["results"]}
    assert found == {str(source) for source in sources}  # English pages that translate nothing; not the Spanish one
