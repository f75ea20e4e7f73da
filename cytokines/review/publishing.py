"""Publishing a working copy: the checks, the new live revision, its approvers and the page's dates.

Called only by the workflow's "publish" and "publish_typo_fix" steps, inside their transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cytokines.review import compare, snapshots, writes
from cytokines.review.models import ReviewEvent
from cytokines.review.rules import Role, typo_fix_problems

PUBLISHING_STEPS = ("publish", "publish_typo_fix")  # the steps that make a new live revision


def cycle_events(page):
    """The review events of the revision being worked on: everything since the page was last published."""
    events = page.review_events.all()
    published = events.filter(action__in=PUBLISHING_STEPS)
    last_publish = published.order_by("-pk").values_list("pk", flat=True).first()
    return events.filter(pk__gt=last_publish) if last_publish else events


def medical_approval(page):
    """The medical approval of the revision as it stands: the latest one, unless the text was edited since
    (or the page was published since). One query: approvals after the last publish or edit, whichever came last."""
    events = page.review_events.all()
    boundary = events.filter(action__in=(*PUBLISHING_STEPS, "edited")).order_by("-pk").values("pk")[:1]
    approvals = events.filter(action="approve_medical", pk__gt=Coalesce(Subquery(boundary), Value(0)))
    return approvals.select_related("actor__contributor").order_by("-pk").first()


def person(user):
    """How an approver is recorded on the revision: as they were, with credentials from their profile.

    Reads plain fields only (no model methods), so the data migration's historical models work too.
    """
    profile = getattr(user, "contributor", None)
    full_name = f"{user.first_name} {user.last_name}".strip()
    return {"username": user.username, "name": profile.name if profile else full_name or user.username,
            "credentials": profile.credentials if profile else ""}  # fmt: skip


def _article_needs(article):
    """(name, condition, what is missing when it is false) for an article."""
    needs = [("has_author", Q(authors__isnull=False), "at least one author (People → Authors)")]
    if article.kind != article.Kind.NEWS:
        needs.insert(0, ("has_reference", Q(article_references__isnull=False), "at least one reference"))
    return needs


def _agent_needs(agent):
    return [("has_reference", Q(references__isnull=False), "at least one reference (Facts for readers → References)")]


def _glossary_term_needs(term):
    return [("has_author", Q(authors__isnull=False), "at least one author (People → Authors)")]


# What each reviewed kind needs of its own before it may go live; the checks after these are the same for all.
KIND_NEEDS = {"article": _article_needs, "agent": _agent_needs, "glossaryterm": _glossary_term_needs}


def _page_facts(page):
    """Whether the page meets each of its kind's needs and whether its address is free, in one query."""
    needs = KIND_NEEDS[page._meta.model_name](page)
    model = type(page)
    checks = {name: Exists(model.objects.filter(condition, pk=OuterRef("pk"))) for name, condition, _ in needs}
    taken = page.revisions.model.objects.live().filter(slug=page.slug).exclude(**{page._meta.model_name: page.pk})
    facts = model.objects.filter(pk=page.pk).values(**checks, address_taken=Exists(taken)).first() or {}
    return needs, facts


def missing_for_publication(page, *, medical=True):
    """What the page still lacks before it may go live, in words for the editor (empty when nothing).

    ``medical=False`` leaves out the medical approval of this revision (a typo-only correction keeps the
    live revision's)."""
    needs, facts = _page_facts(page)
    missing = [what for name, _condition, what in needs if not facts.get(name)]
    if facts.get("address_taken"):
        missing.append(f"an address of its own (another live page is at “{page.slug}”; change the slug)")
    if getattr(page, "translation_of_id", None) is not None and page.source_revision_id is None:
        missing.append("the English version it translates (the English page must be published first)")
    approval = medical_approval(page) if medical else None
    if medical and (approval is None or approval.actor is None):
        missing.append("a medical approval (“Approve medical content”) of this revision")
    elif medical and getattr(approval.actor, "contributor", None) is None:
        missing.append(f"a contributor profile for the medical reviewer {approval.actor.get_username()} "
                       "(Contributors → link their login)")  # fmt: skip
    return missing


def publish(page, user):
    """Make the working copy live as a new revision; move the dates. The caller saves ``page``."""
    missing = missing_for_publication(page)
    if missing:
        raise ValidationError("This page cannot be published yet. It needs " + "; ".join(missing) + ".")
    previous = page.live_revision
    approvers = {"medical": person(medical_approval(page).actor), "editor": person(user)}
    revision = go_live(page, approvers=approvers)
    # "Last revised" moves only when what readers read changed.
    writes.complete_review(page, revised=previous is None or previous.fingerprint != revision.fingerprint)
    if page.published_at is None:
        page.published_at = timezone.now()
    return revision


def publish_typo_fix(page, user):
    """Make a typo-only correction live without medical review: a second Editor (``user``) approved it.

    The live revision's medical approval stands (the words it approved are unchanged but for the typo);
    the new revision is marked ``typo_only`` and no date moves: it is neither a review nor a revision of
    what the page says. The caller saves ``page``.
    """
    previous = page.live_revision
    problems = typo_fix_problems(compare.pending_comparison(page))
    missing = missing_for_publication(page, medical=False)
    if previous is not None and not previous.medical_approver:
        missing.append("a live version with a recorded medical approval (publish this one through medical review)")
    if problems:
        raise ValidationError("This is more than a typo correction: " + "; ".join(problems) + ". Send it for "
                              "medical review instead.")  # fmt: skip
    if missing:
        raise ValidationError("This correction cannot be published yet. It needs " + "; ".join(missing) + ".")
    approvers = {"medical": previous.medical_approver, "editor": person(user)}
    return go_live(page, approvers=approvers, typo_only=True)


def go_live(page, *, approvers, typo_only=False):
    """Save a new revision from the working copy ``page`` and make it the one readers see."""
    number = (page.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision, relations = snapshots.build_revision(page, number=number, approvers=approvers, typo_only=typo_only)
    revision.save()
    for name, ids in relations.items():
        getattr(revision, name).set(ids)
    type(page)._default_manager.filter(pk=page.pk).update(live_revision=revision)
    page.live_revision = revision
    return revision


def record_past_review(page, *, writer, medical_reviewer, editor, on):
    """The review history of a page that was reviewed before it came here (the demo content): submitted by
    ``writer``, approved by ``medical_reviewer`` and published by ``editor`` on the day ``on``.

    Written as the workflow would have written it, so ``first_revisions`` records those approvers (with
    their credentials) on the page's first live revision and the history shows the same people.
    """
    when = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    steps = [(writer, Role.WRITER, "submit", "draft", "medical_review"),
             (medical_reviewer, Role.MEDICAL_REVIEWER, "approve_medical", "medical_review", "editorial_review"),
             (editor, Role.EDITOR, "publish", "editorial_review", "published")]  # fmt: skip
    for user, role, action, source, target in steps:
        name = user.get_full_name() or user.get_username()
        ReviewEvent.objects.create(**{page._meta.model_name: page}, actor=user, actor_name=name, role=role,
                                   action=action, from_status=source, to_status=target, created_at=when,
                                   comment="Reviewed before this site kept its review history.")  # fmt: skip


def first_revisions(*models):
    """Give every published page (article, agent, glossary term) without one its first live revision, from its
    current text.

    For content that arrived published (the data migration of existing pages, the demo fixture); takes
    the model classes so a migration can pass its historical models.
    """
    made = 0
    for model in models:
        pages = list(model.objects.filter(status="published", live_revision__isnull=True))
        # Sources first: a translation's first revision is based on its source's live one.
        pages.sort(key=lambda page: getattr(page, "translation_of_id", None) is not None)
        for page in pages:
            if getattr(page, "translation_of_id", None) is not None and page.source_revision_id is None:
                page.source_revision_id = model.objects.filter(pk=page.translation_of_id).values_list(
                    "live_revision", flat=True).first()  # fmt: skip
                model.objects.filter(pk=page.pk).update(source_revision_id=page.source_revision_id)
            _first_revision(page)
            made += 1
    return made


def _first_revision(page):
    """Revision 1 of a page published before revisions existed: its approvers are read from its history."""
    events = page.review_events.order_by("-pk")
    approvers = {}
    for key, action in (("medical", "approve_medical"), ("editor", "publish")):
        event = events.filter(action=action).select_related("actor").first()
        if event is not None and event.actor is not None:
            approvers[key] = person(event.actor)
        elif event is not None:
            approvers[key] = {"username": "", "name": event.actor_name, "credentials": ""}
    go_live(page, approvers=approvers)
