"""Edits that do not come through a page's change form still only ever make pending revisions.

A reference is shared: editing it (in its admin page, or by accepting a registry's values in the quality
checks) changes every page that cites it. Imports change pages row by row. History restores copy an old
version into the working copy. Each of these is an edit of the pages concerned: each live page keeps its
live revision, and its pending revision starts (or continues) and goes through review like any edit,
with the person who made it counted as one of its editors (four-eyes).
"""

from collections import defaultdict
from itertools import chain

from cytokines.content.agents import Agent
from cytokines.content.articles import ArticleReference
from cytokines.review import snapshots, workflow
from cytokines.review.rules import Status

# What only the workflow moves: no import or history restore ever writes these of a saved page.
WORKFLOW_FIELDS = ("status", "published_at", "last_revised", "last_reviewed", "next_review_due", "review_needed",
                   "live_revision")  # fmt: skip


def keep_workflow_fields(page):
    """Put back the stored workflow fields of the saved page ``page`` (an import or a restore set others);
    return the names of those the caller had tried to change."""
    stored = type(page)._default_manager.filter(pk=page.pk).values(*[f"{n}_id" if n == "live_revision" else n
                                                                     for n in WORKFLOW_FIELDS]).first()  # fmt: skip
    changed = []
    for name, value in stored.items():
        if getattr(page, name) != value:
            changed.append(name.removesuffix("_id"))
            setattr(page, name, value)
    return changed


def citing_pages(reference):
    """Every article and agent (not archived) whose working copy cites ``reference``."""
    return citing_pages_by_reference([reference.pk]).get(reference.pk, [])


def citing_pages_by_reference(reference_ids):
    """{reference id: the articles, then agents (not archived), whose working copy cites it}, in two queries
    per 5,000 references (an import may correct thousands); a page citing several of them is one object."""
    pages, cited, ids = {}, defaultdict(list), sorted(set(reference_ids))
    for chunk in (ids[start : start + 5000] for start in range(0, len(ids), 5000)):
        article_links = (
            ArticleReference.objects.filter(reference_id__in=chunk)
            .exclude(article__status=Status.ARCHIVED)
            .select_related("article")
            .order_by("article_id")
        )
        agent_links = (
            Agent.references.through.objects.filter(reference_id__in=chunk)
            .exclude(agent__status=Status.ARCHIVED)
            .select_related("agent")
            .order_by("agent_id")
        )
        for reference_id, page in chain(
            ((link.reference_id, link.article) for link in article_links),
            ((link.reference_id, link.agent) for link in agent_links),
        ):
            page = pages.setdefault((type(page), page.pk), page)
            if page not in cited[reference_id]:
                cited[reference_id].append(page)
    return cited


def reference_edited(reference, *, user):
    """``reference`` was changed by ``user``: every page citing it records the edit; return those pages."""
    return references_edited([reference], user=user).get(reference.pk, [])


def references_edited(references, *, user):
    """Each of ``references`` was changed by ``user``: every page citing it records the edit (one "edited"
    event per reference, as if they were edited one by one); return {reference id: pages}."""
    by_reference = citing_pages_by_reference([reference.pk for reference in references])
    for reference in references:
        for page in by_reference.get(reference.pk, []):
            workflow.record_edit(page=page, user=user, comment=f"Edited a cited reference: {reference}"[:500])
    return by_reference


def readers_view(page):
    """What readers would see of the working copy ``page`` (its snapshot): tells whether an import changed it."""
    fields, relations = snapshots.kind_of(page).snapshot(page)
    return fields, {name: sorted(ids) for name, ids in relations.items()}


def imported(page, *, before, user, dry_run):
    """An import saved ``page`` (which read ``before`` as ``readers_view`` when the row was loaded). If
    readers would now see something else, it is an edit: record it, and return a note for the import report
    when the page is live (its change is a pending revision), else None."""
    if readers_view(page) == before:
        return None
    page.refresh_from_db(fields=["status", "live_revision"])
    workflow.record_edit(page=page, user=user, comment="Changed by an import")
    if page.live_revision_id is None:
        return None
    verb = "would become" if dry_run else "is now"
    return (f"“{page.live_revision.title}” is published: the change {verb} its pending revision "
            f"({page.get_status_display().lower()}); "
            "readers keep the live version until it is reviewed and published.")  # fmt: skip
