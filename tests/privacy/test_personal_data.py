"""Find, export and erase one supporter's data: every record for the address, nothing of anyone else."""

import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from mailer.models import Message

from cytokines.models import (
    ConsentRecord,
    Donation,
    MonthlyGift,
    NewsletterDelivery,
    PageFeedback,
    PersonalDataRequest,
    ProblemReport,
    Subscriber,
)
from cytokines.privacy.personal_data import ErasureRefused, supporter_data_erase, supporter_data_export
from cytokines.supporters.reports import donation_totals_by_month
from cytokines.supporters.suppression import is_suppressed

from .conftest import ADDRESS, OTHER, at, gift

pytestmark = pytest.mark.django_db


def every_text_value():
    """Every value of every text column in every table: where a copy of an address could hide."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                for value in model._base_manager.values_list(field.attname, flat=True):
                    if value:
                        yield model._meta.db_table, field.column, value


def tables_holding(address):
    return {(table, column) for table, column, value in every_text_value() if address in value.lower()}


def test_export_contains_every_record_for_the_address_and_nothing_of_anyone_else(people, staff):
    document = supporter_data_export(ADDRESS.upper(), user=staff["superuser"])
    assert sorted(d["amount"] for d in document["donations"]) == ["100.00", "25.00", "25.00"]
    first = next(d for d in document["donations"] if d["reference"] == people["first"].reference)
    assert first["dedication_name"] == "Ann Doe" and first["monthly_gift"]["status"] == "cancelled"
    assert first["payment_events"][0]["kind"] == "checkout.session.completed"
    (subscription,) = document["subscription"]
    assert subscription["name"] == "Jane" and subscription["consents"][0]["version"] == 1
    assert subscription["consents"][0]["wording"].startswith("I agree to receive the newsletter")
    assert [n["subject"] for n in subscription["newsletters_sent"]] == ["October news"]
    assert [f["comment"] for f in document["feedback"]] == [f"Please write to me at {ADDRESS}"]
    assert [r["description"] for r in document["problem_reports"]] == ["Dose table is cut off"]
    assert [m["subject"] for m in document["mail"]] == ["Your donation receipt"]
    text = json.dumps(document)
    assert "omar" not in text.lower() and "60.00" not in text and "40.00" not in text
    audit = PersonalDataRequest.objects.get()
    assert (audit.action, audit.records) == ("export", 7)
    assert audit.counts == {"donations": 3, "subscription": 1, "feedback": 1, "problem_reports": 1, "mail": 1}


def test_erase_leaves_no_copy_of_the_address_in_any_table_and_the_monthly_totals_unchanged(people, staff):
    before_totals = donation_totals_by_month()
    LogEntry.objects.log_actions(staff["superuser"].pk, [Subscriber.objects.get(email=ADDRESS)], CHANGE,
                                 change_message="Changed name.")  # an admin log line names the subscriber
    assert tables_holding(ADDRESS)  # the check can fail: the address is in many tables before
    supporter_data_erase(ADDRESS, user=staff["superuser"])
    assert tables_holding(ADDRESS) == set()
    assert not [m for m in Message.objects.all() if ADDRESS in m.email.to]
    assert donation_totals_by_month() == before_totals
    kept = Donation.objects.filter(reference=people["first"].reference).get()
    assert (kept.amount, kept.paid_at, kept.provider_payment, kept.email) == (25, at(2026, 9), "pi_jane", "")
    assert kept.donor_name.startswith("Erased on request (PD-") and kept.dedication_name == ""
    assert MonthlyGift.objects.get().provider_subscription == "sub_jane"
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert NewsletterDelivery.objects.get().subscriber is None  # the count stays right
    assert ConsentRecord.objects.count() == 1
    assert ProblemReport.objects.get(description="Dose table is cut off").reporter_email == ""
    assert PageFeedback.objects.filter(comment="Please write to me at [erased]").exists()
    assert is_suppressed(ADDRESS)


def test_erase_leaves_everyone_else_alone(people, staff):
    before = {(t, c, v) for t, c, v in every_text_value() if OTHER in v.lower()}
    supporter_data_erase(ADDRESS, user=staff["superuser"])
    assert {(t, c, v) for t, c, v in every_text_value() if OTHER in v.lower()} == before
    assert Subscriber.objects.get(email=OTHER).name == "Omar"
    assert len([m for m in Message.objects.all() if OTHER in m.email.to]) == 1
    assert not is_suppressed(OTHER)


def test_the_erasure_audit_says_who_when_and_how_many_without_the_address(people, staff):
    done = supporter_data_erase(ADDRESS, user=staff["superuser"])
    audit = PersonalDataRequest.objects.get()
    assert (audit.pk, audit.action, audit.performed_by, audit.records) == (done.pk, "erase", staff["superuser"], 7)
    assert "jane" not in json.dumps([audit.counts, str(audit), audit.reference]).lower()


@pytest.mark.parametrize("blocker", ["pending", "active_gift", "staff"])
def test_erase_is_refused_with_a_reason_and_changes_nothing(people, staff, make_user, blocker):
    if blocker == "pending":
        gift(ADDRESS, "30", at(2026, 11), status="pending")
        reason = "payment is still pending"
    elif blocker == "active_gift":
        MonthlyGift.objects.update(status="active", cancelled_at=None)
        reason = "monthly gift is still active"
    else:
        make_user("jane", "Writer").__class__.objects.filter(username="jane").update(email=ADDRESS.upper())
        reason = "staff account uses this address"
    before = sorted(tables_holding(ADDRESS))
    with pytest.raises(ErasureRefused) as refused:
        supporter_data_erase(ADDRESS, user=staff["superuser"])
    assert "Nothing was erased" in refused.value.messages[0] and reason in " ".join(refused.value.messages)
    assert sorted(tables_holding(ADDRESS)) == before
    assert not PersonalDataRequest.objects.exists() and not is_suppressed(ADDRESS)


def test_erase_is_undone_when_the_address_is_somewhere_the_erasure_does_not_reach(people, staff):
    people["article"].__class__.objects.filter(pk=people["article"].pk).update(summary=f"Written with {ADDRESS}")
    with pytest.raises(ErasureRefused, match="Nothing was erased"):
        supporter_data_erase(ADDRESS, user=staff["superuser"])
    assert Subscriber.objects.filter(email=ADDRESS).exists() and not is_suppressed(ADDRESS)
    assert Donation.objects.filter(email__iexact=ADDRESS).count() == 3


@pytest.mark.parametrize("bad", ["", "   ", "jane.doe@", "not an address"])
def test_a_bad_address_gets_a_clear_message(staff, bad):
    with pytest.raises(Exception) as problem:
        supporter_data_export(bad, user=staff["superuser"])
    assert "e-mail address" in " ".join(problem.value.messages)
    assert not PersonalDataRequest.objects.exists()


def test_an_erased_address_is_never_mailed_again(people, staff, client, deliver_mail):
    from django.urls import reverse

    supporter_data_erase(ADDRESS, user=staff["superuser"])
    deliver_mail().clear()
    client.post(reverse("cytokines:newsletter"), {"email": ADDRESS, "consent": "on"})
    assert deliver_mail() == []  # no confirmation e-mail: the address is on the suppression list
    assert ContentType.objects.exists()
