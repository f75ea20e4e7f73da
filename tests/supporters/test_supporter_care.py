"""Supporter care's view of donations: filters by state and month, totals, accountant CSV, timelines."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Donation, MonthlyGift, PaymentEvent

pytestmark = pytest.mark.django_db


def at(year, month, day=10):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


@pytest.fixture
def donations():
    def make(amount, status, when, **extra):
        paid = when if status != "pending" else None
        return Donation.objects.create(amount=Decimal(amount), status=status, created_at=when, paid_at=paid,
                                       donor_name="Dana Doe", email="dana@example.org", provider="stripe", **extra)

    first = make("25", "paid", at(2026, 10), frequency="monthly", provider_payment="pi_1")
    gift = MonthlyGift.objects.create(first_payment=first, provider="stripe", amount=Decimal("25"),
                                      provider_subscription="sub_1")  # fmt: skip
    first.monthly_gift = gift
    first.save()
    make("25", "paid", at(2026, 11), frequency="monthly", monthly_gift=gift, provider_invoice="in_2")
    make("100", "refunded", at(2026, 11), provider_payment="pi_3")
    make("40", "pending", at(2026, 11))
    make("60", "disputed", at(2026, 10))
    PaymentEvent.objects.create(provider="stripe", event_id="evt_1", kind="checkout.session.completed",
                                donation=first, summary="paid: receipt queued", received_at=at(2026, 10))
    PaymentEvent.objects.create(provider="stripe", event_id="evt_2", kind="charge.dispute.created",
                                donation=first, summary="Disputed by the card holder", received_at=at(2026, 10, 20))
    return first


@pytest.fixture
def carla(make_user):
    user = make_user("carla")
    user.groups.add(Group.objects.get(name="Supporter care"))
    return user


def test_donations_filter_by_state_and_month(client, donations, carla):
    client.force_login(carla)
    changelist = reverse("admin:cytokines_donation_changelist")
    page = client.get(changelist, {"status": "paid", "month": "2026-11"})
    assert [d.amount for d in page.context["cl"].result_list] == [Decimal("25.00")]
    assert "November 2026" in client.get(changelist).content.decode()


def test_totals_per_month(client, donations, carla):
    client.force_login(carla)
    rows = client.get(reverse("admin:cytokines_donation_totals")).context["rows"]
    by_month = {r["month"].strftime("%Y-%m"): r for r in rows}
    november, october = by_month["2026-11"], by_month["2026-10"]
    assert (november["paid"], november["refunded"], november["pending"], november["gifts"]) == (25, 100, 40, 3)
    assert (october["paid"], october["disputed"]) == (25, 60)
    only_paid = client.get(reverse("admin:cytokines_donation_totals"), {"status": "paid"}).context["rows"]
    assert sum(r["gifts"] for r in only_paid) == 2


def test_the_accountants_csv_has_references_and_amounts_but_no_names(client, donations, carla):
    client.force_login(carla)
    response = client.get(reverse("admin:cytokines_donation_accountant_csv"), {"month": "2026-11"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["amount"] for r in rows) == ["100.00", "25.00", "40.00"]
    renewal = next(r for r in rows if r["provider invoice"] == "in_2")
    assert renewal["gift type"] == "Monthly gift (renewal)" and renewal["monthly gift of"] == donations.reference
    assert "dana" not in response.content.decode().lower()


def test_a_donations_page_shows_its_timeline_of_provider_events(client, donations, carla):
    client.force_login(carla)
    page = client.get(reverse("admin:cytokines_donation_change", args=[donations.pk])).content.decode()
    assert page.index("checkout.session.completed") < page.index("charge.dispute.created")
    assert "Disputed by the card holder" in page


@pytest.mark.parametrize("role", ["Writer", "Medical reviewer", "Editor", None])
def test_nobody_else_sees_totals_csv_or_gifts(client, donations, make_user, role):
    user = make_user("norm", *([role] if role else []))
    client.force_login(user)
    for name in ("cytokines_donation_totals", "cytokines_donation_accountant_csv", "cytokines_monthlygift_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403
        assert client.post(reverse(f"admin:{name}")).status_code in (403, 405)


def test_a_cancelled_monthly_gift_shows_as_cancelled(client, donations, carla):
    gift = donations.monthly_gift
    gift.status, gift.cancelled_at = "cancelled", timezone.now()
    gift.save()
    client.force_login(carla)
    page = client.get(reverse("admin:cytokines_monthlygift_changelist")).content.decode()
    assert "Cancelled" in page and donations.reference in page


def test_a_donor_stops_a_monthly_pledge_from_the_link_in_the_receipt(client, settings, deliver_mail):
    import json
    import uuid

    from cytokines.supporters import payments

    settings.PAYMENT_WEBHOOK_SECRET = "secret"
    client.post(reverse("cytokines:donate"), {
        "preset_amount": "50", "frequency": "monthly", "donor_name": "Pat", "email": "pat@example.org",
        "idempotency_key": str(uuid.uuid4()),
    })  # fmt: skip
    pledge = Donation.objects.get()
    body = json.dumps({"event": "donation.paid", "reference": pledge.reference, "amount": "50.00"}).encode()
    client.post(reverse("cytokines:payment-webhook"), body, content_type="application/json",
                HTTP_X_PORTAL_SIGNATURE=payments.sign(body, "secret"))  # fmt: skip
    receipt = [m for m in deliver_mail() if "receipt" in m.subject.lower()][0]
    path = receipt.body.split("http://testserver", 2)[-1].split()[0]
    assert "Stop my monthly gift" in client.get(path).content.decode()
    assert MonthlyGift.objects.get().status == "active"  # a GET (a mail scanner) changes nothing
    page = client.post(path, {"action": "cancel"}).content.decode()
    assert "was stopped" in page and MonthlyGift.objects.get().status == "cancelled"


def test_the_mail_queue_is_visible_to_administrators_read_only(client, make_user, deliver_mail):
    from mailer.models import Message

    client.post(reverse("cytokines:newsletter"), {"email": "queued@example.org", "consent": "on"})
    client.force_login(make_user("root", superuser=True))
    queued = Message.objects.get()
    listing = client.get(reverse("admin:mailer_message_changelist"))
    assert listing.status_code == 200 and "queued@example.org" not in listing.content.decode()
    assert client.get(reverse("admin:mailer_message_add")).status_code == 403
    assert client.get(reverse("admin:mailer_message_change", args=[queued.pk])).status_code in (302, 403)
    deliver_mail()
    assert client.get(reverse("admin:mailer_messagelog_changelist")).status_code == 200
