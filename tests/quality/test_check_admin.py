"""The reference admin's check panel and the dashboard's reference problems, as staff see them."""

import pytest
from django.urls import reverse

from cytokines.content.library import Reference
from cytokines.quality.models import ReferenceCheck
from tests.factories import ReferenceFactory

from .recorded import Recorder
from .test_verification import FYFE_DOI, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def mismatch(demo_content):
    Reference.objects.filter(doi=FYFE_DOI).update(volume="31")  # a typo: both records say 13
    run(Recorder())
    return ReferenceCheck.objects.get(reference__doi=FYFE_DOI)


def change_page(client, check):
    return client.get(reverse("admin:cytokines_reference_change", args=[check.reference_id])).content.decode()


def test_the_reference_page_shows_both_values_and_an_editor_accepts_with_one_click(client, staff, mismatch):
    client.force_login(staff["editor"])
    page = change_page(client, mismatch)
    assert "Where this reference differs from the record" in page
    assert "<td>Volume</td><td>PubMed</td><td>31</td><td>13</td>" in page
    assert "<td>Volume</td><td>Crossref (DOI)</td><td>31</td><td>13</td>" in page
    assert 'form="accept-record-form" name="source" value="pmid"' in page
    response = client.post(reverse("admin:cytokines_reference_accept_record", args=[mismatch.reference_id]),
                           {"source": "pmid"})  # fmt: skip
    assert response.status_code == 302
    assert Reference.objects.get(pk=mismatch.reference_id).volume == "13"
    assert ReferenceCheck.objects.get(pk=mismatch.pk).status == ReferenceCheck.Status.VERIFIED


def test_a_writer_sees_the_problem_but_no_button_and_cannot_post(client, staff, mismatch):
    client.force_login(staff["writer"])
    page = change_page(client, mismatch)
    assert "<td>Volume</td>" in page and "accept-record-form" not in page
    url = reverse("admin:cytokines_reference_accept_record", args=[mismatch.reference_id])
    assert client.post(url, {"source": "pmid"}).status_code == 403
    assert client.get(url).status_code == 405
    assert Reference.objects.get(pk=mismatch.reference_id).volume == "31"


def test_a_bad_source_is_a_message_not_a_change(client, staff, mismatch):
    client.force_login(staff["editor"])
    url = reverse("admin:cytokines_reference_accept_record", args=[mismatch.reference_id])
    response = client.post(url, {"source": "'; DROP TABLE cytokines_reference; --"}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert Reference.objects.get(pk=mismatch.reference_id).volume == "31"


def test_the_dashboard_lists_reference_problems(client, staff, mismatch):
    dead = ReferenceFactory(doi="", pmid="", url="https://www.example.org/gone")
    ReferenceCheck.objects.create(reference=dead, status="no_identifier", link_status="dead",
                                  proposed_note="Content is no longer available")  # fmt: skip
    client.force_login(staff["reviewer"])
    response = client.get(reverse("admin:cytokines_review_dashboard"))
    section = response.context["checks"]["reference_problems"]
    assert section["count"] == 2  # the mismatch and the dead link
    page = response.content.decode()
    assert "Differs from the record: volume" in page and "dead link: note waiting for an Editor" in page


def test_a_proposed_note_is_confirmed_from_the_reference_page(client, staff, db):
    dead = ReferenceFactory(doi="", pmid="", url="https://www.example.org/gone")
    ReferenceCheck.objects.create(reference=dead, status="no_identifier", link_status="dead", link_http_status=404,
                                  proposed_note="Content is no longer available")  # fmt: skip
    client.force_login(staff["editor"])
    page = client.get(reverse("admin:cytokines_reference_change", args=[dead.pk])).content.decode()
    assert "Confirm the note for readers" in page and "(HTTP 404)" in page
    client.post(reverse("admin:cytokines_reference_confirm_note", args=[dead.pk]), {"note": "Page withdrawn"})
    assert Reference.objects.get(pk=dead.pk).availability_note == "Page withdrawn"
