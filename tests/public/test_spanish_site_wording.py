"""The settings' free text (helpline hours, funding statement, tax wording, what a gift does) has its own
Spanish wording, approved with the rest of the settings version; left blank, Spanish readers read the English."""

import pytest
from django.core import mail
from django.urls import reverse

from cytokines.content.site import ImpactLine, SiteSettings
from cytokines.ops.mail import mail_send_queued
from cytokines.review import rules as workflow
from cytokines.review import site_versions

from ..supporters.test_donations import donation_data, paid_event, webhook

pytestmark = pytest.mark.django_db

HOURS_ES = "Lunes a viernes, de 9 a. m. a 5 p. m."
FUNDING_ES = "Nos financian donaciones del público."
TAX_ES = "Las donaciones son deducibles según la ley."


@pytest.fixture
def editors(make_user):
    return make_user("erin", workflow.EDITOR), make_user("ezra", workflow.EDITOR)


def approve_spanish(editors, django_capture_on_commit_callbacks, **wording):
    first, second = editors
    proposal = site_versions.version_propose(model=SiteSettings, user=first)
    for field, text in wording.items():
        setattr(proposal, field, text)
    proposal.save()
    for line in proposal.impact_lines.filter(amount=25):
        line.description_es = "paga dos llamadas a la línea de ayuda"
        line.save()
    with django_capture_on_commit_callbacks(execute=True):
        site_versions.version_approve(version=proposal, user=second)
    return proposal


def test_each_field_falls_back_to_the_english_on_its_own():
    live = SiteSettings.objects.live().get()
    assert live.in_language("es") is live  # nothing written in Spanish yet: the same settings
    live.helpline_hours_es = HOURS_ES
    spanish = live.in_language("es")
    assert spanish.helpline_hours == HOURS_ES and spanish.funding_statement == live.funding_statement
    assert live.in_language("en").helpline_hours == live.helpline_hours != HOURS_ES  # the original is untouched


def test_spanish_pages_show_the_spanish_wording_once_approved(client, editors, django_capture_on_commit_callbacks):
    english_hours = SiteSettings.objects.live().get().helpline_hours
    assert english_hours in client.get("/es/").content.decode()  # before: the English, as until now
    approve_spanish(editors, django_capture_on_commit_callbacks, helpline_hours_es=HOURS_ES,
                    funding_statement_es=FUNDING_ES, tax_wording_es=TAX_ES)  # fmt: skip
    spanish = client.get("/es/").content.decode()
    assert HOURS_ES in spanish and FUNDING_ES in spanish and english_hours not in spanish
    english = client.get("/").content.decode()
    assert english_hours in english and HOURS_ES not in english and FUNDING_ES not in english
    donate = client.get("/es" + reverse("cytokines:donate")).content.decode()
    assert TAX_ES in donate and "paga dos llamadas a la línea de ayuda" in donate
    assert "pays for a nurse" not in donate.split("paga dos llamadas")[0]  # $25 is worded in Spanish
    english_donate = client.get(reverse("cytokines:donate")).content.decode()
    assert TAX_ES not in english_donate and "paga dos llamadas" not in english_donate


def test_a_spanish_receipt_carries_the_spanish_tax_wording(client, settings, editors,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    settings.PAYMENT_WEBHOOK_SECRET = "test-webhook-secret"
    approve_spanish(editors, django_capture_on_commit_callbacks, tax_wording_es=TAX_ES)
    client.post("/es/donate/", donation_data(other_amount="20"))
    from cytokines.models import Donation

    webhook(client, paid_event(Donation.objects.get()))
    mail_send_queued()
    receipt = mail.outbox[-1]
    assert receipt.subject.startswith("Su recibo") and TAX_ES in receipt.body


def test_a_proposal_copies_the_spanish_wording_of_the_live_version(editors, django_capture_on_commit_callbacks):
    approve_spanish(editors, django_capture_on_commit_callbacks, helpline_hours_es=HOURS_ES)
    proposal = site_versions.version_propose(model=SiteSettings, user=editors[1])
    assert proposal.helpline_hours_es == HOURS_ES
    line = ImpactLine.objects.get(settings_version=proposal, amount=25)
    assert line.description_es == "paga dos llamadas a la línea de ayuda"


def test_the_settings_form_asks_for_the_spanish_wording(client, editors):
    client.force_login(editors[0])
    proposal = site_versions.version_propose(model=SiteSettings, user=editors[0])
    html = client.get(reverse("admin:cytokines_sitesettings_change", args=[proposal.pk])).content.decode()
    assert "For Spanish readers" in html
    assert all(f'name="{field}_es"' in html for field in SiteSettings.WORDED)
    assert 'name="impact_lines-0-description_es"' in html


def test_hours_written_mid_sentence_start_the_help_box_with_a_capital(client, editors,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    approve_spanish(editors, django_capture_on_commit_callbacks, helpline_hours_es="de lunes a viernes")
    html = client.get("/es/about/").content.decode()
    assert "(de lunes a viernes)" in html  # the footer: inside a sentence
    assert "De lunes a viernes. En una emergencia, llame al 911." in html  # the help box: a sentence of its own
