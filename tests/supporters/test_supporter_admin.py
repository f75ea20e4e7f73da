import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Donation, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    Donation.objects.create(amount=Decimal("25"), donor_name="=HYPERLINK(\"http://x\")", email="a@example.org",
                            provider="pledge")  # fmt: skip
    Donation.objects.create(amount=Decimal("50"), donor_name="Bea", email="b@example.org", provider="pledge",
                            status=Donation.Status.PAID, paid_at=timezone.now())  # fmt: skip
    Subscriber.objects.create(email="c@example.org", consent_at=timezone.now(), interests=["interferons"])


def export(client, model, file_format, query=""):
    url = reverse(f"admin:cytokines_{model}_export") + query
    form = client.get(url).context["form"]
    data = {"format": str(file_format), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    return client.post(url, data)


@pytest.fixture
def supporter_care(make_user):
    user = make_user("carla")
    user.groups.add(Group.objects.get(name="Supporter care"))
    return user


def test_supporter_care_exports_donations_as_csv_with_formulas_escaped(client, records, supporter_care):
    client.force_login(supporter_care)
    response = export(client, "donation", 0)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    names = {row["donor_name"] for row in rows}
    assert names == {"Bea", '\'=HYPERLINK("http://x")'}


def test_export_respects_the_admin_filter(client, records, supporter_care):
    client.force_login(supporter_care)
    response = export(client, "donation", 0, "?status__exact=paid")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["donor_name"] for row in rows] == ["Bea"]


def test_subscribers_export_as_xlsx(client, records, supporter_care):
    client.force_login(supporter_care)
    response = export(client, "subscriber", 1)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["email", "name"] and values[1][0] == "c@example.org"


@pytest.mark.parametrize("role", ["writer", "reviewer", "editor"])
def test_content_staff_cannot_see_or_export_supporter_data(client, records, staff, role):
    client.force_login(staff[role])
    assert client.get(reverse("admin:cytokines_donation_changelist")).status_code == 403
    assert client.get(reverse("admin:cytokines_subscriber_export")).status_code == 403


def test_supporter_records_cannot_be_edited_or_deleted_in_the_admin(client, records, staff):
    client.force_login(staff["superuser"])
    donation = Donation.objects.first()
    url = reverse("admin:cytokines_donation_delete", args=[donation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Donation.objects.count() == 2
