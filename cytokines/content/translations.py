"""Reads about translations: a page's versions in other languages, and whether a translation is out of date.

"Out of date" is derived, never stored: a live translation revision records the live English revision it
was based on (``source_revision``); it is out of date when the English page's live revision reads
differently (another fingerprint: a republication of the same words does not count). Each read here is one
query, so the public pages' query counts stay constant.
"""

from dataclasses import dataclass

from django.db.models import Q, Subquery

from .reviewed import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: where it is, and (for the English source of a translation) whether
    the translation still matches it."""

    language: str
    url: str
    updated_on: object = None  # the day the source's live text went live (sources only)
    translation_out_of_date: bool = False


def _page_field(revision):
    return "article" if revision._meta.model_name == "articlerevision" else "agent"


def alternates(revision):
    """The live versions of ``revision``'s page in other languages (one query): for an English page its
    translations; for a translation its English source (with whether this translation is out of date) and the
    source's other translations. The language switcher and the hreflang links read these."""
    model = type(revision)
    field = _page_field(revision)
    page_id = getattr(revision, f"{field}_id")
    live = model.objects.live().select_related(None)
    if revision.language == SOURCE_LANGUAGE:
        rows = live.filter(**{f"{field}__translation_of": page_id})
        return [Alternate(row.language, row.get_absolute_url()) for row in
                rows.only("pk", "slug", "language").order_by("language")]  # fmt: skip
    source_id = getattr(revision, field).translation_of_id  # the page comes with its revision (select_related)
    base = model.objects.filter(pk=revision.source_revision_id).values("fingerprint")
    family = Q(**{f"{field}_id": source_id}) | Q(**{f"{field}__translation_of": source_id})
    rows = (live.filter(family)
            .exclude(**{field: page_id}).annotate(base_fingerprint=Subquery(base[:1]))
            .only("pk", "slug", "language", "created_at", "fingerprint").order_by("language"))  # fmt: skip
    found = []
    for row in rows:
        if row.language == SOURCE_LANGUAGE:
            found.append(Alternate(row.language, row.get_absolute_url(), row.created_at.date(),
                                   row.base_fingerprint != row.fingerprint))  # fmt: skip
        else:
            found.append(Alternate(row.language, row.get_absolute_url()))
    return found


def source_of(alternates_list):
    """The English source among ``alternates`` (for a translation's notice), or None."""
    return next((a for a in alternates_list if a.language == SOURCE_LANGUAGE and a.updated_on), None)


def out_of_date(page):
    """Is the live translation ``page`` (an article or agent working copy) behind its English source's live text?"""
    if page.translation_of_id is None or page.live_revision_id is None:
        return False
    return type(page)._default_manager.filter(pk=page.pk).out_of_date_translations().exists()


def live_source_revision(page):
    """The English source's live revision of the translation ``page`` (None if the source is not live)."""
    source = page.translation_of
    return source.live_revision if source is not None else None


