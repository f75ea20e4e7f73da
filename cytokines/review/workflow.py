"""The review workflow: every rule about who may move a page where, and what that does to its dates.

Views, the admin and management commands call these functions; none of them re-implements a rule.
Each transition checks the page's current state and the user's role, then writes the new state,
the dates and an immutable ReviewEvent in one transaction.

States: draft → medical review → editorial review → published → archived, the same for articles and
agents (and any other reviewed kind). "Request changes" sends a revision back to draft. Nobody approves
their own work (four-eyes). Only the Medical reviewer group signs off medical review; only Editors publish.
Superusers act as administrators: they hold every role, but the four-eyes rule binds them too.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.review import checklist as checklist_module
from cytokines.review import publishing, snapshots, writes
from cytokines.review.interests import interest_refusal
from cytokines.review.models import ReviewEvent
from cytokines.review.rules import (
    EDITOR,
    GROUPS,
    KEEPS_STATUS,
    MEDICAL_REVIEWER,
    TRANSITIONS,
    TRANSLATOR,
    WRITER,
    Role,
    Status,
    assignable_medical_reviewers,
    assignable_owners,
    available_transitions,
    can_edit,
    can_edit_kind,
    can_edit_review_dates,
    edit_refusal,
    editing_role,
    refusal,
    translation_form_refusal,
    user_groups,
    user_role,
    who_may_edit,
)
from cytokines.review.safety import publication_refusal as agent_publication_refusal

# The rules are part of the workflow's interface: screens ask ``workflow.can_edit``, ``workflow.EDITOR``...
__all__ = [
    "EDITOR", "GROUPS", "MEDICAL_REVIEWER", "TRANSITIONS", "TRANSLATOR", "WRITER", "PermissionDenied",
    "ValidationError",
    "available_transitions", "can_edit", "can_edit_kind", "can_edit_review_dates", "user_groups",
    "edit_refusal", "who_may_edit",
    "assignable_owners", "assignable_medical_reviewers", "agent_publication_refusal", "current_checklist",
    "interest_refusal", "translation_form_refusal",
]
current_checklist = checklist_module.current_checklist  # fmt: skip


@transaction.atomic
def transition(*, page, user, name, comment="", checklist=None):
    """Take review step ``name`` on ``page`` (an article or agent) as ``user``; raise PermissionDenied or
    ValidationError. Every reviewed kind goes through these same steps, roles and four-eyes rule.

    A medical approval needs ``checklist``: the ids of the medical review checklist points the reviewer
    confirmed (every active point); they are stored with the approval in the review history.
    """
    step = TRANSITIONS.get(name)
    if step is None:
        raise ValidationError(f"Unknown review step “{name}”.")
    # Lock the row so two reviewers clicking at once cannot both move the same state.
    page = type(page)._default_manager.select_for_update().get(pk=page.pk)
    reason = refusal(user, page, step)
    if reason:
        raise PermissionDenied(reason)
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise ValidationError(f"Please say why, in the comment box, before you {step.label.lower()}.")
    confirmed = checklist_module.confirmed_checklist(checklist) if step.name == "approve_medical" else []
    if isinstance(page, Agent) and step.name in ("publish", "publish_typo_fix"):
        refused = agent_publication_refusal(page)
        if refused:
            raise ValidationError(refused)

    source = page.status
    target = source if step.name in KEEPS_STATUS else step.target
    previous = page.live_revision
    if step.name == "publish":
        publishing.publish(page, user)
    elif step.name == "publish_typo_fix":
        publishing.publish_typo_fix(page, user)  # no date moves: not a review, not a revision of substance
    elif step.name == "confirm_review":
        writes.complete_review(page, revised=False)  # nothing readers read changed: only the review dates move
    elif step.target == Status.ARCHIVED:
        page.live_revision = None  # unpublish: readers no longer see the page
    page.status = target
    writes.save_new_version(page)
    ReviewEvent.objects.create(
        **ReviewEvent.page_field(page),
        actor=user,
        actor_name=user.get_full_name() or user.get_username(),
        role=user_role(user, step),
        action=step.name,
        from_status=source,
        to_status=target,
        comment=comment,
        checklist=confirmed,
    )
    if page.live_revision_id is not None or source == Status.PUBLISHED or target == Status.ARCHIVED:
        writes.content_changed()
    if isinstance(page, Agent) and step.name == "publish" and agent_facts_changed(previous, page.live_revision):
        agent_flag_linked_articles(agent=page, user=user)  # readers now see new facts about the medicine
    return page


def article_transition(*, article, user, name, comment="", checklist=None):
    """``transition`` for an article (the name callers have used since articles were the only kind)."""
    return transition(page=article, user=user, name=name, comment=comment, checklist=checklist)


def record_edit(*, page, user, comment=""):
    """A saved change to the working copy: record it, and move the pending revision back where it must be.

    Readers keep seeing the live revision. A published page's edit starts its one pending revision (a
    draft); an edit after medical approval sends it back to medical review, because the approval was of
    other words. Every edit is an "edited" review event, so whoever edited a revision cannot approve or
    publish it (four-eyes). ``user`` is None for an edit nobody signed in made (an import from the command
    line). Call after saving ``page``.
    """
    source = page.status
    target = {Status.PUBLISHED: Status.DRAFT, Status.EDITORIAL_REVIEW: Status.MEDICAL_REVIEW}.get(source, source)
    if target != source:
        page.status = target
        type(page)._default_manager.filter(pk=page.pk).update(status=target)
    name = (user.get_full_name() or user.get_username()) if user else "system"
    ReviewEvent.objects.create(**ReviewEvent.page_field(page), actor=user, actor_name=name,
                               role=editing_role(user) if user else Role.SYSTEM, action="edited",
                               from_status=source, to_status=target, comment=comment)  # fmt: skip


def check_not_stale(*, model, pk, loaded_version):
    """Refuse to save over a newer save: raise ValidationError naming who saved it and when."""
    if loaded_version in (None, ""):
        # A form without the version it was opened at cannot show it is not saving over a newer save.
        raise ValidationError("This form is missing the version it was opened at; open the page again and retry.")
    current = model.objects.select_for_update().filter(pk=pk).values("version", "updated_at").first()
    if current is None or int(loaded_version) == current["version"]:
        return
    latest = model.history.filter(id=pk).order_by("-history_date").select_related("history_user").first()
    who = latest.history_user.get_username() if latest and latest.history_user else "someone else"
    when = timezone.localtime(current["updated_at"]).strftime("%H:%M on %d %b %Y")
    raise ValidationError(
        f"{who} saved this page at {when}, after you opened it. Your changes have NOT been saved yet and "
        "are still in this form: copy them, open the page again in a new tab, and apply them there."
    )


def agent_flag_linked_articles(*, agent, user=None):
    """A new revision of ``agent`` changed its facts: every published article about it needs a medical review."""
    articles = Article.objects.published().filter(agents=agent, review_needed=False)
    flagged = list(articles.select_for_update())
    for article in flagged:
        article.review_needed = True
        writes.save_new_version(article, update_fields=["review_needed"])
        ReviewEvent.objects.create(
            article=article,
            actor=user,
            actor_name=(user.get_username() if user else "system"),
            role=Role.SYSTEM,
            action="flag_review_needed",
            from_status=article.status,
            to_status=article.status,
            comment=f"Facts about {agent.name} changed; please check this page still agrees.",
        )
    return flagged


def agent_facts_changed(previous, revision):
    """Did the facts readers see change between two revisions of an agent (side effects, routes, approvals and
    every other related set; not the wording of its summary)? A first revision changes nothing."""
    if previous is None:
        return False
    keys = [*snapshots.AGENT_FACT_FIELDS, *snapshots.AGENT_RELATED_SETS]
    return any(previous.content.get(key) != revision.content.get(key) for key in keys)


def _locked(queryset):
    """Lock the rows of ``queryset`` (admin querysets join other tables, which cannot be locked)."""
    pks = list(queryset.values_list("pk", flat=True))
    return queryset.model._default_manager.select_for_update().filter(pk__in=pks)


@transaction.atomic
def articles_reassign(*, articles, owner=None, medical_reviewer=None, user):
    """Hand a set of articles to a new owner and/or medical reviewer (staff move on)."""
    if not can_edit_review_dates(user):
        raise PermissionDenied("Only Editors may reassign articles.")
    if owner is None and medical_reviewer is None:
        raise ValidationError("Choose a new owner, a new medical reviewer, or both.")
    if medical_reviewer is not None and MEDICAL_REVIEWER not in user_groups(medical_reviewer):
        raise ValidationError(f"{medical_reviewer.get_username()} is not in the Medical reviewer group.")
    updates = {}
    if owner is not None:
        updates["owner"] = owner
    if medical_reviewer is not None:
        updates["medical_reviewer"] = medical_reviewer
    count = 0
    articles = list(_locked(articles))
    if medical_reviewer is not None:
        for article in articles:
            refusal = interest_refusal(medical_reviewer, list(article.agents.values_list("pk", flat=True)))
            if refusal:
                who = medical_reviewer.get_full_name() or medical_reviewer.get_username()
                raise ValidationError(f"“{article}”: " + refusal.replace("You declared", f"{who} declared"))
    for article in articles:
        for field, value in updates.items():
            setattr(article, field, value)
        writes.save_new_version(article, update_fields=list(updates))
        count += 1
    return count


@transaction.atomic
def review_dates_spread(*, items, start, end, user):
    """Give ``items`` next-review dates spread evenly from ``start`` to ``end``, earliest due first.

    Hundreds of pages reviewed in one campaign would otherwise all fall due on the same day.
    """
    if not can_edit_review_dates(user):
        raise PermissionDenied("Only Editors may change review dates.")
    if end < start:
        raise ValidationError("The window must end on or after its first day.")
    if start <= timezone.localdate():
        raise ValidationError("The window must start after today.")
    rows = list(_locked(items).order_by("next_review_due", "pk"))
    if not rows:
        raise ValidationError("Nothing selected.")
    too_early = [str(r) for r in rows if r.last_reviewed and r.last_reviewed >= start]
    if too_early:
        raise ValidationError(f"These were reviewed on or after the window starts: {', '.join(too_early[:5])}.")
    span = (end - start).days
    for index, row in enumerate(rows):
        offset = 0 if len(rows) == 1 else round(index * span / (len(rows) - 1))
        writes.set_next_review_due(row, start + datetime.timedelta(days=offset))
        writes.save_new_version(row, update_fields=["next_review_due"])
    writes.content_changed()
    return len(rows)
