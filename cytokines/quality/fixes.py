"""An Editor acts on what the checks found: accept the record's values, confirm or dismiss a proposed note.

Each fix is an edit of the reference (working data). It is saved by ``save_reference_edit``, the same way
an edit in the reference's admin page is saved, so citing pages follow the review workflow's rule for
reference edits; no fix writes anything readers see directly.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cytokines.quality.models import COMPARED_FIELDS, SOURCE_LABELS, ReferenceCheck
from cytokines.quality.verification import apply_comparison
from cytokines.review import pending, rules, writes

NOTE_MAX_LENGTH = 200


def save_reference_edit(reference, *, user, fields):
    """Save an edited reference the way the reference admin does: every live page citing it keeps its live
    revision (readers see the citation as reviewed) and gets or continues a pending revision with the change."""
    reference.full_clean()
    reference.save(update_fields=[*fields, "updated_at"])
    pending.reference_edited(reference, user=user)
    writes.content_changed()


def _require_editor(user):
    if not rules.can_fix_sources(user):
        raise PermissionDenied("Only Editors may change a reference from its check.")


def _locked(check):
    return ReferenceCheck.objects.select_for_update().select_related("reference").get(pk=check.pk)


@transaction.atomic
def accept_record_values(*, check, source, user):
    """Copy every field where ``source``'s record differs into the reference; return the fields changed."""
    _require_editor(user)
    check = _locked(check)
    reference = check.reference
    changes = [m for m in check.mismatches if m["source"] == source]
    if source not in SOURCE_LABELS or not changes:
        raise ValidationError("There is nothing to accept from that record; the check may have changed. Reload.")
    for change in changes:
        _set_field(reference, change["field"], change["record"])
    fields = sorted({_model_field(c["field"]) for c in changes})
    save_reference_edit(reference, user=user, fields=fields)
    # The stored records did not change, so the comparison can be redone here without asking the network.
    apply_comparison(check, reference, today=timezone.localdate())
    check.save(update_fields=["mismatches", "status", "verified_on"])
    return [COMPARED_FIELDS[c["field"]] for c in changes]


def _model_field(name):
    return {"first_author": "authors", "journal": "container"}.get(name, name)


def _set_field(reference, name, value):
    if name == "first_author":
        others = [a.strip() for a in reference.authors.split(",")][1:]
        reference.authors = ", ".join([value, *others])
    elif name == "year":
        reference.year = int(value)
    else:
        setattr(reference, _model_field(name), value)


@transaction.atomic
def confirm_availability_note(*, check, user, note=None):
    """An Editor agrees the cited page is gone: readers will see the note after the citation."""
    _require_editor(user)
    check = _locked(check)
    note = (check.proposed_note if note is None else note).strip()
    if not check.proposed_note:
        raise ValidationError("There is no proposed note to confirm; the check may have changed. Reload the page.")
    if not note or len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(f"Write the note readers will see, in at most {NOTE_MAX_LENGTH} characters.")
    reference = check.reference
    reference.availability_note = note
    save_reference_edit(reference, user=user, fields=["availability_note"])
    check.proposed_note = ""
    check.save(update_fields=["proposed_note"])
    return note


@transaction.atomic
def dismiss_proposed_note(*, check, user):
    """An Editor looked: the page is still there (or the link was fixed); nothing changes for readers."""
    _require_editor(user)
    check = _locked(check)
    check.proposed_note = ""
    check.save(update_fields=["proposed_note"])
