"""Consent is recorded with the words agreed to; suppressed addresses get no mail (or no newsletter)."""

import re

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from cytokines.models import ConsentRecord, ConsentText, Subscriber, SuppressedAddress
from cytokines.ops.mail import mail_queue
from cytokines.supporters import consent, suppression

pytestmark = pytest.mark.django_db
ADDRESS = "reader@example.org"


def sign_up(client, **extra):
    return client.post(reverse("cytokines:newsletter"), {"email": ADDRESS, "consent": "on", **extra})


def confirm_link(outbox):
    return re.search(r"http://testserver(/newsletter/confirm/[^\s]+/)", outbox[-1].body).group(1)


def test_confirming_records_the_time_and_the_version_of_the_wording_seen(client, deliver_mail, staff):
    page = client.get(reverse("cytokines:newsletter")).content.decode()
    v1 = ConsentText.objects.get(purpose="newsletter")
    assert v1.wording in page and 'name="consent_version" value="1"' in page
    sign_up(client, consent_version="1")
    assert not ConsentRecord.objects.exists()  # ticked, not yet confirmed
    client.get(confirm_link(deliver_mail()))
    record = ConsentRecord.objects.get()
    subscriber = Subscriber.objects.get()
    assert (record.subscriber, record.consent_text) == (subscriber, v1)
    assert (record.agreed_at, record.confirmed_at) == (subscriber.consent_at, subscriber.confirmed_at)


def test_changing_the_wording_makes_a_new_version_and_a_stale_form_is_refused(client, deliver_mail, staff):
    v1 = ConsentText.objects.get(purpose="newsletter")
    v2 = consent.consent_text_publish(purpose="newsletter", wording="Send me the newsletter.", user=staff["superuser"])
    assert (v2.version, ConsentText.objects.get(pk=v1.pk).wording) == (2, v1.wording)
    stale = sign_up(client, consent_version="1")  # the page was loaded before the change
    assert stale.status_code == 400 and "changed the wording" in stale.content.decode()
    assert 'name="consent_version" value="2"' in stale.content.decode() and not Subscriber.objects.exists()
    sign_up(client, consent_version="2")
    client.get(confirm_link(deliver_mail()))
    assert ConsentRecord.objects.get().consent_text == v2


@pytest.mark.parametrize("wording", ["", "   "])
def test_empty_wording_is_refused(staff, wording):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot be empty"):
        consent.consent_text_publish(purpose="newsletter", wording=wording, user=staff["superuser"])
    assert ConsentText.objects.filter(purpose="newsletter").count() == 1


def queue_both_kinds():
    mail_queue(EmailMessage("Receipt", "Thanks", "portal@example.org", [ADDRESS.upper()]))
    mail_queue(EmailMessage("Newsletter", "News", "portal@example.org", [ADDRESS]), purpose="newsletter")


def test_an_unsubscribed_address_gets_receipts_but_no_newsletter(deliver_mail):
    suppression.suppress(ADDRESS, SuppressedAddress.Reason.UNSUBSCRIBED)
    queue_both_kinds()
    assert [m.subject for m in deliver_mail()] == ["Receipt"]


def test_an_erased_address_gets_no_mail_at_all_and_a_later_unsubscribe_does_not_weaken_that(deliver_mail):
    suppression.suppress(ADDRESS, SuppressedAddress.Reason.ERASED)
    suppression.suppress(ADDRESS, SuppressedAddress.Reason.UNSUBSCRIBED)
    suppression.lift_newsletter_suppression(ADDRESS)
    queue_both_kinds()
    assert deliver_mail() == []
    assert SuppressedAddress.objects.get().reason == "erased"


def test_the_list_holds_no_address():
    suppression.suppress(ADDRESS, SuppressedAddress.Reason.ERASED)
    entry = SuppressedAddress.objects.get()
    assert "reader" not in entry.address_hash and len(entry.address_hash) == 64


def test_unsubscribing_suppresses_newsletters_and_confirming_a_new_sign_up_lifts_it(client, deliver_mail):
    sign_up(client)
    client.get(confirm_link(deliver_mail()))
    from cytokines.supporters.newsletter import unsubscribe_token

    token = unsubscribe_token(Subscriber.objects.get())
    client.post(reverse("cytokines:newsletter-unsubscribe", args=[token]))
    assert suppression.is_suppressed(ADDRESS, purpose="newsletter")
    sign_up(client)  # the reader changes their mind: the confirmation e-mail still reaches them
    client.get(confirm_link(deliver_mail()))
    assert not suppression.is_suppressed(ADDRESS, purpose="newsletter")
    assert ConsentRecord.objects.count() == 2


def test_mail_to_an_erased_donations_empty_address_is_not_queued(deliver_mail):
    from mailer.models import Message

    mail_queue(EmailMessage("Refund", "Your refund", "portal@example.org", [""]))
    assert not Message.objects.exists() and deliver_mail() == []


def donation(client, **extra):
    import uuid

    data = {"preset_amount": "50", "frequency": "one_time", "donor_name": "Dana", "email": "dana@example.org",
            "idempotency_key": str(uuid.uuid4()), **extra}  # fmt: skip
    return client.post(reverse("cytokines:donate"), data)


def test_a_donor_who_agrees_to_be_contacted_is_stored_with_the_wording_they_saw(client, staff):
    from django.utils.html import escape

    from cytokines.models import Donation

    page = client.get(reverse("cytokines:donate")).content.decode()
    v1 = ConsentText.objects.get(purpose="donor_contact")
    assert escape(v1.wording) in page
    donation(client, consent_to_contact="on", consent_version="1")
    donation(client)  # did not tick: no wording recorded
    assert sorted(Donation.objects.values_list("consent_to_contact", "consent_text__version")) == [
        (False, None), (True, 1)]  # fmt: skip
    consent.consent_text_publish(purpose="donor_contact", wording="Tell me about your work.", user=staff["editor"])
    stale = donation(client, consent_to_contact="on", consent_version="1")
    assert stale.status_code == 400 and "changed the wording" in stale.content.decode()
    assert Donation.objects.count() == 2
