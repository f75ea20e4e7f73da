"""Translations in the workflow: where a translation starts from, bringing it up to date with its English
source, and what changed in the source since the version it was based on.

A translation is reviewed content like any page (same steps, own revisions and dates; ``rules`` decides who
may write and approve it). Its *base* (``source_revision``) is the live English revision it translates; the
base moves only here, as an edit of the working copy, so it reaches readers only with a reviewed revision.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cytokines.content.translations import live_source_revision
from cytokines.review import compare, rules, writes


def start_translation(page):
    """A new translation (unsaved, or saved without a base) is based on its source's live version now."""
    if page.translation_of_id is not None and page.source_revision_id is None:
        page.source_revision = live_source_revision(page)
    if page.translation_of_id is None:
        page.source_revision = None


def translated_base(page):
    """The English version the translation readers see was made from (its live revision's base); for a
    translation never published, the working copy's base."""
    live = page.live_revision
    if live is not None and live.source_revision_id is not None:
        return live.source_revision
    return page.source_revision


def source_changes(page):
    """What changed in the English source between the version the readers' translation was made from and the
    source's live version (``compare``'s comparison, the one reviewers read for a pending revision), or None.

    Measured from the *published* translation's base, so after "Bring up to date" the translator still sees
    every change until the updated translation is published."""
    live = live_source_revision(page)
    base = translated_base(page)
    if live is None or base is None or live.pk == base.pk:
        return None
    relations = [f.name for f in live._meta.many_to_many]
    ids = {name: list(getattr(base, name).values_list("pk", flat=True)) for name in relations}
    live_ids = {name: list(getattr(live, name).values_list("pk", flat=True)) for name in relations}
    comparison = compare.compare(page._meta.model_name, base, ids, live, live_ids)
    return comparison if comparison.has_changes else None


def needs_new_base(page):
    """Is the working copy based on an older English version than the live one?"""
    live = live_source_revision(page)
    return live is not None and page.source_revision_id != live.pk


@transaction.atomic
def bring_up_to_date(*, page, user):
    """Base the translation ``page`` on its source's live version: an edit of the working copy (a live
    translation gets its pending revision), which readers see only once it is reviewed and published. The
    translator then changes the words the comparison shows."""
    page = type(page)._default_manager.select_for_update().get(pk=page.pk)
    if not rules.can_edit(user, page):
        raise PermissionDenied("You may not edit this page in its current state.")
    if page.translation_of_id is None:
        raise ValidationError("This page is not a translation.")
    live = live_source_revision(page)
    if live is None:
        raise ValidationError("The English page is not published: there is no version to translate from.")
    if page.source_revision_id == live.pk:
        raise ValidationError("This translation is already based on the English page's live version.")
    old = page.source_revision
    page.source_revision = live
    writes.save_new_version(page, update_fields=["source_revision"])
    from cytokines.review import workflow  # the workflow builds on these helpers

    since = f" (was revision {old.number})" if old is not None else ""
    comment = (f"Based on the English version live since {live.created_at:%Y-%m-%d} (revision {live.number})"
               f"{since}; the translation must follow its changes.")  # fmt: skip
    workflow.record_edit(page=page, user=user, comment=comment)
    writes.content_changed()
    return page
