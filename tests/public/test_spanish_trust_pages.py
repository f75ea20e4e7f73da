"""Trust pages (About us, Privacy notice...) are written per language: a Spanish version is proposed from the
English page, approved by a second Editor, and Spanish readers read it; until then they read the English."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cytokines.content.site import SiteSettings, TrustPage
from cytokines.review import rules as workflow
from cytokines.review import site_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(make_user):
    return make_user("erin", workflow.EDITOR), make_user("ezra", workflow.EDITOR)


def spanish_privacy(editors, client, django_capture_on_commit_callbacks):
    """The first Editor asks for the Spanish version in the admin, translates it; the second approves it."""
    first, second = editors
    client.force_login(first)
    response = client.post(reverse("admin:cytokines_trustpage_propose"), {"kind": "privacy", "language": "es"})
    proposal = TrustPage.objects.proposed().get()
    assert response["Location"] == reverse("admin:cytokines_trustpage_change", args=[proposal.pk])
    english = TrustPage.objects.live().get(kind="privacy", language="en")
    assert (proposal.language, proposal.title, proposal.body) == ("es", english.title, english.body)  # to translate
    TrustPage.objects.filter(pk=proposal.pk).update(
        title="Aviso de privacidad", summary="Qué guardamos y por cuánto tiempo.",
        body="## Qué guardamos\n\nSu correo. Llame al [[helpline_phone]] ([[helpline_hours]]).")  # fmt: skip
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=TrustPage.objects.get(pk=proposal.pk), user=second)
    return english


def test_spanish_readers_read_the_spanish_version_once_approved(client, editors, django_capture_on_commit_callbacks):
    before = client.get("/es/about/privacy/").content.decode()
    assert '<h1 lang="en">Privacy notice</h1>' in before  # no Spanish yet: the English, marked as English
    english = spanish_privacy(editors, client, django_capture_on_commit_callbacks)
    spanish = client.get("/es/about/privacy/").content.decode()
    assert "<h1>Aviso de privacidad</h1>" in spanish and english.body[:40] not in spanish
    assert "Qué guardamos</h2>" in spanish
    assert "<h1>Privacy notice</h1>" in client.get("/about/privacy/").content.decode()  # English readers: English
    assert '<h1 lang="en">Terms of use</h1>' in client.get("/es/about/terms/").content.decode()  # not written yet


def test_a_spanish_trust_page_names_the_settings_in_spanish(client, editors, django_capture_on_commit_callbacks):
    first, second = editors
    settings_proposal = site_versions.version_propose(model=SiteSettings, user=first)
    SiteSettings.objects.filter(pk=settings_proposal.pk).update(helpline_hours_es="Lunes a viernes")
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=SiteSettings.objects.get(pk=settings_proposal.pk), user=second)
    spanish_privacy(editors, client, django_capture_on_commit_callbacks)
    assert "(Lunes a viernes)" in client.get("/es/about/privacy/").content.decode()


def test_one_live_page_per_kind_and_language(editors, client, django_capture_on_commit_callbacks):
    spanish_privacy(editors, client, django_capture_on_commit_callbacks)
    assert TrustPage.objects.live().filter(kind="privacy").count() == 2  # English and Spanish
    live = TrustPage.objects.live().get(kind="privacy", language="es")
    with pytest.raises(IntegrityError), transaction.atomic():
        TrustPage.objects.create(kind="privacy", language="es", title="Otra", summary="s", body="b", status="live",
                                 approved_at=live.approved_at)  # fmt: skip
    # A change to the Spanish page replaces only the Spanish page.
    proposal = site_versions.version_propose(model=TrustPage, user=editors[0], kind="privacy", language="es")
    assert proposal.title == "Aviso de privacidad"
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=proposal, user=editors[1])
    assert set(TrustPage.objects.live().filter(kind="privacy").values_list("language", flat=True)) == {"en", "es"}


def test_the_english_page_offers_to_write_the_spanish_version(client, editors):
    client.force_login(editors[0])
    english = TrustPage.objects.live().get(kind="terms", language="en")
    html = client.get(reverse("admin:cytokines_trustpage_change", args=[english.pk])).content.decode()
    assert "Write or change the Spanish version" in html and 'name="language" value="es"' in html
    response = client.post(reverse("admin:cytokines_trustpage_propose"), {"kind": "terms", "language": "xx"})
    assert response.status_code == 403 and not TrustPage.objects.proposed().exists()


def test_spanish_readers_are_told_when_the_english_page_changed_after_their_version(
    client, editors, django_capture_on_commit_callbacks
):
    spanish_privacy(editors, client, django_capture_on_commit_callbacks)
    assert "translation-notice" not in client.get("/es/about/privacy/").content.decode()
    proposal = site_versions.version_propose(model=TrustPage, user=editors[0], kind="privacy")  # the English page
    TrustPage.objects.filter(pk=proposal.pk).update(body="We now keep less.")
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=TrustPage.objects.get(pk=proposal.pk), user=editors[1])
    html = client.get("/es/about/privacy/").content.decode()
    assert "La versión en inglés de esta página se actualizó el" in html
    assert 'href="/about/privacy/" hreflang="en"' in html
    assert "translation-notice" not in client.get("/about/privacy/").content.decode()  # English readers: nothing


def test_editors_see_spanish_pages_behind_their_english_page_on_the_dashboard(
    client, editors, django_capture_on_commit_callbacks
):
    spanish_privacy(editors, client, django_capture_on_commit_callbacks)
    client.force_login(editors[0])
    dashboard = reverse("admin:cytokines_review_dashboard")
    assert client.get(dashboard).context["data"]["trust_pages_out_of_date"] == []
    proposal = site_versions.version_propose(model=TrustPage, user=editors[0], kind="privacy")  # English
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=proposal, user=editors[1])
    response = client.get(dashboard)
    assert [(p.title, english.title) for p, english in response.context["data"]["trust_pages_out_of_date"]] == [
        ("Aviso de privacidad", "Privacy notice")]
    assert "Trust pages to translate again (the English page changed) (1)" in response.content.decode()
