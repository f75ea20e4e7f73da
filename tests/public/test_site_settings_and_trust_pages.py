"""Site settings and trust pages: one locale in one place, changed by one Editor and approved by another."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from cytokines.content import live_version, site_reads
from cytokines.content.site import ImpactLine, SiteSettings, TrustPage
from cytokines.review import rules as workflow
from cytokines.review import site_versions

pytestmark = pytest.mark.django_db

TRUST_URLS = {
    "about": "/about/",
    "editorial-policy": "/about/editorial-policy/",
    "privacy": "/about/privacy/",
    "contact": "/about/contact/",
    "accessibility": "/about/accessibility/",
    "terms": "/about/terms/",
}


def forget_cached_copies():
    """As an approval does after commit: the cached settings and every cached page are retired."""
    site_reads.forget_live_settings()
    live_version.bump()


def fictional_us_phone(text):
    return re.search(r"1-800-555-01\d\d", text)


# --- one locale, set in one place ----------------------------------------------------------------


def test_demo_settings_are_one_country_and_the_placeholder_helpline_is_gone(client):
    html = client.get(reverse("cytokines:home")).content.decode()
    live = SiteSettings.objects.live().get()
    assert "0800 000 0000" not in html
    assert fictional_us_phone(html) and live.helpline_phone in html
    assert (live.currency_code, live.currency_symbol, live.spelling, live.time_zone) == (
        "USD", "$", "en-us", "America/New_York"
    )  # fmt: skip
    assert "501(c)(3)" in live.tax_wording and "No goods or services" in live.tax_wording
    assert '<html lang="en-us">' in html


def test_templates_read_every_setting_from_the_live_version(client):
    live = SiteSettings.objects.live().get()
    html = client.get(reverse("cytokines:donate")).content.decode()
    for value in (live.organisation_name, live.charity_number, live.helpline_hours, live.funding_statement):
        assert value in html
    assert live.tax_wording in html


def test_interface_labels_follow_the_spelling_setting(client, demo_content):
    assert "Tumor necrosis factor" in client.get(reverse("cytokines:agent-list")).content.decode()
    SiteSettings.objects.live().update(spelling=SiteSettings.Spelling.UK)
    forget_cached_copies()
    html = client.get(reverse("cytokines:agent-list")).content.decode()
    assert "Tumour necrosis factor" in html and '<html lang="en-gb">' in html
    assert "In honour of" in client.get(reverse("cytokines:donate")).content.decode()


def test_times_are_shown_in_the_settings_time_zone(client, make_user):
    from django.utils import timezone

    seen = {}

    def spy(request):
        seen["zone"] = timezone.get_current_timezone_name()
        from django.http import HttpResponse

        return HttpResponse("ok")

    from django.test import RequestFactory

    from cytokines.public.time_zone import SiteTimeZoneMiddleware

    SiteTimeZoneMiddleware(spy)(RequestFactory().get("/"))
    assert seen["zone"] == "America/New_York"
    SiteSettings.objects.live().update(time_zone="Europe/London")
    forget_cached_copies()
    SiteTimeZoneMiddleware(spy)(RequestFactory().get("/"))
    assert seen["zone"] == "Europe/London"


def test_a_time_zone_that_does_not_exist_is_refused_with_a_clear_message():
    live = SiteSettings.objects.live().get()
    live.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(Exception, match="not a time zone name"):
        live.full_clean()


# --- a change needs a second Editor ---------------------------------------------------------------


@pytest.fixture
def editors(make_user):
    return make_user("erin", workflow.EDITOR), make_user("ezra", workflow.EDITOR)


def admin_change_url(obj):
    return reverse(f"admin:cytokines_{obj._meta.model_name}_change", args=[obj.pk])


def change_data(proposal, **changes):
    data = {
        field: getattr(proposal, field)
        for field in ("site_name", "organisation_name", "charity_number_label", "charity_number", "helpline_phone",
                      "helpline_hours", "currency_code", "currency_symbol", "tax_wording", "funding_statement",
                      "spelling", "time_zone")
    }  # fmt: skip
    lines = list(proposal.impact_lines.all())
    data.update({
        "impact_lines-TOTAL_FORMS": str(len(lines)), "impact_lines-INITIAL_FORMS": str(len(lines)),
        "impact_lines-MIN_NUM_FORMS": "0", "impact_lines-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    for i, line in enumerate(lines):
        prefix = f"impact_lines-{i}-"
        data.update({prefix + "id": line.pk, prefix + "settings_version": proposal.pk,
                     prefix + "amount": line.amount, prefix + "description": line.description})  # fmt: skip
    data.update(changes)
    return data


def test_a_settings_change_reaches_readers_only_when_a_second_editor_approves_it(
    client, editors, django_capture_on_commit_callbacks
):
    first, second = editors
    client.force_login(first)
    response = client.post(reverse("admin:cytokines_sitesettings_propose"))
    proposal = SiteSettings.objects.proposed().get()
    assert response["Location"] == admin_change_url(proposal)
    assert proposal.impact_lines.count() == 4  # copied from the live version
    client.post(admin_change_url(proposal), change_data(proposal, helpline_phone="1-800-555-0199"))
    client.post(admin_change_url(proposal), change_data(proposal, helpline_phone="1-800-555-0199", _approve="1"))
    client.logout()
    assert "1-800-555-0199" not in client.get("/").content.decode()  # the proposer cannot approve it

    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_change_url(proposal), change_data(proposal, helpline_phone="1-800-555-0199", _approve="1")
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_by) == (SiteSettings.Status.LIVE, second)
    assert SiteSettings.objects.live().count() == 1
    client.logout()
    assert "1-800-555-0199" in client.get("/").content.decode()


def test_an_approver_who_changes_the_text_saves_it_and_sends_it_to_a_third_editor(client, editors):
    first, second = editors
    proposal = site_versions.version_propose(model=SiteSettings, user=first)
    client.force_login(second)
    client.post(admin_change_url(proposal), change_data(proposal, helpline_hours="Every day", _approve="1"))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.helpline_hours, proposal.changed_by) == ("proposed", "Every day", second)
    assert SiteSettings.objects.live().get().helpline_hours != "Every day"


@pytest.mark.parametrize("method", ["get", "post"])
def test_writers_and_reviewers_can_neither_propose_nor_approve(client, make_user, editors, method):
    proposal = site_versions.version_propose(model=SiteSettings, user=editors[0])
    for user in (make_user("wendy", workflow.WRITER), make_user("rita", workflow.MEDICAL_REVIEWER)):
        client.force_login(user)
        propose = getattr(client, method)(reverse("admin:cytokines_sitesettings_propose"))
        assert propose.status_code in (302, 403)
        change = getattr(client, method)(admin_change_url(proposal), change_data(proposal, _approve="1"))
        assert change.status_code == (200 if method == "get" else 403)  # they may read it, not change it
        if method == "get":
            assert 'name="_approve"' not in change.content.decode()
    assert SiteSettings.objects.proposed().count() == 1
    assert SiteSettings.objects.live().get().approved_by is None


def test_the_database_refuses_self_approval_and_two_live_versions(editors):
    first, _ = editors
    proposal = site_versions.version_propose(model=SiteSettings, user=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteSettings.objects.filter(pk=proposal.pk).update(approved_by=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteSettings.objects.filter(pk=proposal.pk).update(status="live", approved_at="2026-01-01T00:00:00Z")
    with pytest.raises(PermissionDenied, match="second Editor"):
        site_versions.version_approve(version=proposal, user=first)


def test_live_versions_cannot_be_changed_in_the_admin(client, editors):
    client.force_login(editors[0])
    live = SiteSettings.objects.live().get()
    before = live.helpline_phone
    response = client.post(admin_change_url(live), change_data(live, helpline_phone="1-800-555-0100"))
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.helpline_phone == before


def test_impact_lines_set_the_donation_amounts(client, editors, django_capture_on_commit_callbacks):
    first, second = editors
    proposal = site_versions.version_propose(model=SiteSettings, user=first)
    proposal.impact_lines.all().delete()
    ImpactLine.objects.create(settings_version=proposal, amount=30, description="buys a box of leaflets")
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=proposal, user=second)
    html = client.get(reverse("cytokines:donate")).content.decode()
    assert "$30" in html and "buys a box of leaflets" in html and "$250" not in html


# --- trust pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "url"), TRUST_URLS.items())
def test_every_trust_page_answers_and_is_linked_from_every_footer(client, kind, url, demo_content):
    response = client.get(url)
    assert response.status_code == 200
    page = TrustPage.objects.live().get(kind=kind)
    assert f"<h1>{page.title}</h1>" in response.content.decode()
    for other in ("/", "/donate/", "/agents/interleukin-2/"):
        assert f'href="{url}"' in client.get(other).content.decode()


def test_the_privacy_notice_says_what_is_stored_and_reads_periods_from_the_settings(client):
    html = client.get(TRUST_URLS["privacy"]).content.decode()
    for words in ("donate", "newsletter", "delete", "card details", "30 days", "12 months", "7 years"):
        assert words in html
    with override_settings(PORTAL_RETENTION={"UNCONFIRMED_SIGNUP_DAYS": 14, "FEEDBACK_MONTHS": 6,
                                             "MAIL_LOG_DAYS": 60, "DONATION_RECORD_YEARS": 5}):  # fmt: skip
        forget_cached_copies()
        html = client.get(TRUST_URLS["privacy"]).content.decode()
    assert "14 days" in html and "6 months" in html and "5 years" in html and "[[" not in html


def test_the_editorial_policy_covers_what_readers_need_to_judge_us(client):
    html = client.get(TRUST_URLS["editorial-policy"]).content.decode()
    for words in ("Medical review", "last reviewed", "sources", "Independence and funding", "Found a mistake?"):
        assert words.lower() in html.lower()
    assert 'href="#section-how-we-check"' in html  # "On this page" contents


def test_a_trust_page_change_goes_live_only_after_a_second_editor(client, editors, django_capture_on_commit_callbacks):
    first, second = editors
    proposal = site_versions.version_propose(model=TrustPage, user=first, kind="terms")
    TrustPage.objects.filter(pk=proposal.pk).update(title="Terms of use (new)")
    assert "Terms of use (new)" not in client.get(TRUST_URLS["terms"]).content.decode()
    proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=proposal, user=second)
    assert "Terms of use (new)" in client.get(TRUST_URLS["terms"]).content.decode()
    assert TrustPage.objects.filter(kind="terms", status="replaced").count() == 1


def test_unknown_trust_pages_answer_404(client):
    assert client.get("/about/about/").status_code == 404
    assert client.get("/about/cookies/").status_code == 404


def test_the_trust_page_admin_shows_the_markdown_rendered_and_who_may_change_it(client, make_user):
    client.force_login(make_user("wendy", workflow.WRITER))
    page = TrustPage.objects.live().get(kind="contact")
    html = client.get(admin_change_url(page)).content.decode()
    assert "<h2" in html and "1-800-555-0142" in html  # rendered, with the helpline token filled in
    assert "a second Editor approves them" in html
