"""An Editor acts on a check: accept a record's values, confirm or dismiss a proposed availability note."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cytokines.content.library import Reference
from cytokines.quality import fixes
from cytokines.quality.models import ReferenceCheck
from cytokines.quality.resolvers import Record
from tests.factories import ReferenceFactory

Status = ReferenceCheck.Status


def record(**changes):
    fields = {"source": "pmid", "identifier": "90000001", "title": "A study of cytokines", "first_author": "Smith AB",
              "year": 2020, "journal": "J Clin Oncol", "journal_names": ("J Clin Oncol",), "volume": "38",
              "pages": "100-110"}  # fmt: skip
    return Record(**{**fields, **changes})


@pytest.fixture
def mismatched(db):
    reference = ReferenceFactory(authors="Smyth AB, Jones CD", title="A study of cytokines", year=2019, volume="38",
                                 pages="100-10")  # fmt: skip
    theirs = record(identifier=reference.pmid)
    check = ReferenceCheck(reference=reference, records={"pmid": theirs.as_json()}, checked_at=timezone.now())
    from cytokines.quality.verification import apply_comparison

    apply_comparison(check, reference, today=timezone.localdate())
    check.save()
    return check


def test_accepting_the_record_copies_every_differing_field_and_verifies(mismatched, staff):
    assert {m["field"] for m in mismatched.mismatches} == {"first_author", "year"}  # "100-10" is "100-110"
    changed = fixes.accept_record_values(check=mismatched, source="pmid", user=staff["editor"])
    assert changed == ["First author", "Year"]
    reference = Reference.objects.get(pk=mismatched.reference_id)
    assert reference.authors == "Smith AB, Jones CD" and reference.year == 2020
    check = ReferenceCheck.objects.get(pk=mismatched.pk)
    assert check.status == Status.VERIFIED and check.mismatches == [] and check.verified_on == timezone.localdate()


@pytest.mark.parametrize("role", ["writer", "reviewer", "nobody"])
def test_only_editors_accept_a_record(mismatched, staff, role):
    with pytest.raises(PermissionDenied):
        fixes.accept_record_values(check=mismatched, source="pmid", user=staff[role])
    assert Reference.objects.get(pk=mismatched.reference_id).year == 2019
    assert ReferenceCheck.objects.get(pk=mismatched.pk).status == Status.MISMATCH


def test_a_record_value_our_rules_refuse_changes_nothing(mismatched, staff):
    ReferenceCheck.objects.filter(pk=mismatched.pk).update(
        mismatches=[{"field": "year", "source": "pmid", "ours": "2019", "record": "1700"}]
    )
    with pytest.raises(ValidationError):
        fixes.accept_record_values(check=mismatched, source="pmid", user=staff["editor"])
    assert Reference.objects.get(pk=mismatched.reference_id).year == 2019


def test_accepting_a_source_without_mismatches_is_refused(mismatched, staff):
    with pytest.raises(ValidationError, match="nothing to accept"):
        fixes.accept_record_values(check=mismatched, source="doi", user=staff["editor"])


@pytest.fixture
def dead_link(db):
    reference = ReferenceFactory(doi="", pmid="", url="https://www.example.org/gone")
    return ReferenceCheck.objects.create(
        reference=reference, status=Status.NO_IDENTIFIER, link_status="dead", link_http_status=404,
        proposed_note="Content is no longer available",
    )


def test_an_editor_confirms_the_proposed_note(dead_link, staff):
    fixes.confirm_availability_note(check=dead_link, user=staff["editor"], note="Page removed by the publisher")
    assert Reference.objects.get(pk=dead_link.reference_id).availability_note == "Page removed by the publisher"
    assert ReferenceCheck.objects.get(pk=dead_link.pk).proposed_note == ""


@pytest.mark.parametrize("note", ["", "   ", "x" * 201])
def test_an_empty_or_overlong_note_is_refused_and_nothing_changes(dead_link, staff, note):
    with pytest.raises(ValidationError):
        fixes.confirm_availability_note(check=dead_link, user=staff["editor"], note=note)
    assert Reference.objects.get(pk=dead_link.reference_id).availability_note == ""
    assert ReferenceCheck.objects.get(pk=dead_link.pk).proposed_note == "Content is no longer available"


def test_a_writer_cannot_confirm_or_dismiss(dead_link, staff):
    with pytest.raises(PermissionDenied):
        fixes.confirm_availability_note(check=dead_link, user=staff["writer"])
    with pytest.raises(PermissionDenied):
        fixes.dismiss_proposed_note(check=dead_link, user=staff["writer"])
    assert ReferenceCheck.objects.get(pk=dead_link.pk).proposed_note


def test_dismissing_leaves_the_reference_alone(dead_link, staff):
    fixes.dismiss_proposed_note(check=dead_link, user=staff["editor"])
    assert ReferenceCheck.objects.get(pk=dead_link.pk).proposed_note == ""
    assert Reference.objects.get(pk=dead_link.reference_id).availability_note == ""
