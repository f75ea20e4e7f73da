"""The review workflow: every rule about who may move an article where, and what that does to its dates.

Views, the admin and management commands call these functions; none of them re-implements a rule.
Each transition checks the article's current state and the user's role, then writes the new state,
the dates and an immutable ReviewEvent in one transaction.

States: draft → medical review → editorial review → published → archived. "Request changes" sends an
article back to draft. Nobody approves their own work (four-eyes). Only the Medical reviewer group
signs off medical review; only Editors publish. Superusers act as administrators: they hold every
role, but the four-eyes rule binds them too.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cytokines.content.articles import Article
from cytokines.review import checklist as checklist_module
from cytokines.review import publishing, writes
from cytokines.review.interests import interest_refusal
from cytokines.review.models import ReviewEvent
from cytokines.review.rules import (
    AGENT_FACT_FIELDS,
    EDITOR,
    GROUPS,
    KEEPS_STATUS,
    MEDICAL_REVIEWER,
    TRANSITIONS,
    WRITER,
    Role,
    Status,
    assignable_medical_reviewers,
    assignable_owners,
    available_transitions,
    can_edit,
    can_edit_kind,
    can_edit_review_dates,
    editing_role,
    refusal,
    user_groups,
    user_role,
)
from cytokines.review.safety import publication_refusal as agent_publication_refusal

# The rules are part of the workflow's interface: screens ask ``workflow.can_edit``, ``workflow.EDITOR``...
__all__ = [
    "EDITOR", "GROUPS", "MEDICAL_REVIEWER", "TRANSITIONS", "WRITER", "PermissionDenied", "ValidationError",
    "available_transitions", "can_edit", "can_edit_kind", "can_edit_review_dates", "user_groups",
    "assignable_owners", "assignable_medical_reviewers", "agent_publication_refusal", "current_checklist",
    "interest_refusal",
]
current_checklist = checklist_module.current_checklist  # fmt: skip


@transaction.atomic
def article_transition(*, article, user, name, comment="", checklist=None):
    """Take transition ``name`` on ``article`` as ``user``; raise PermissionDenied or ValidationError.

    A medical approval needs ``checklist``: the ids of the medical review checklist points the reviewer
    confirmed (every active point); they are stored with the approval in the review history.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(f"Unknown review step “{name}”.")
    # Lock the row so two reviewers clicking at once cannot both move the same state.
    article = Article.objects.select_for_update().get(pk=article.pk)
    reason = refusal(user, article, transition)
    if reason:
        raise PermissionDenied(reason)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError(f"Please say why, in the comment box, before you {transition.label.lower()}.")
    confirmed = checklist_module.confirmed_checklist(checklist) if transition.name == "approve_medical" else []

    source = article.status
    target = source if transition.name in KEEPS_STATUS else transition.target
    if transition.name == "publish":
        publishing.publish(article, user)
    elif transition.name == "publish_typo_fix":
        publishing.publish_typo_fix(article, user)  # no date moves: not a review, not a revision of substance
    elif transition.name == "confirm_review":
        writes.complete_review(article, revised=False)  # nothing readers read changed: only the review dates move
    elif transition.target == Status.ARCHIVED:
        article.live_revision = None  # unpublish: readers no longer see the page
    article.status = target
    writes.save_new_version(article)
    ReviewEvent.objects.create(
        article=article,
        actor=user,
        actor_name=user.get_full_name() or user.get_username(),
        role=user_role(user, transition),
        action=transition.name,
        from_status=source,
        to_status=target,
        comment=comment,
        checklist=confirmed,
    )
    if article.live_revision_id is not None or source == Status.PUBLISHED or target == Status.ARCHIVED:
        writes.content_changed()
    return article


def record_edit(*, page, user):
    """A saved change to the working copy: record it, and move the pending revision back where it must be.

    Readers keep seeing the live revision. A published page's edit starts its one pending revision (a
    draft); an edit after medical approval sends it back to medical review, because the approval was of
    other words. Every edit is an "edited" review event, so whoever edited a revision cannot approve or
    publish it (four-eyes). Call after saving ``page``.
    """
    source = page.status
    target = {Status.PUBLISHED: Status.DRAFT, Status.EDITORIAL_REVIEW: Status.MEDICAL_REVIEW}.get(source, source)
    if target != source:
        page.status = target
        type(page)._default_manager.filter(pk=page.pk).update(status=target)
    ReviewEvent.objects.create(article=page, actor=user, actor_name=user.get_full_name() or user.get_username(),
                               role=editing_role(user), action="edited", from_status=source,
                               to_status=target)  # fmt: skip


def agent_review_refusal(user, agent):
    """Return why ``user`` may not confirm ``agent``'s review now, or None if they may."""
    if MEDICAL_REVIEWER not in user_groups(user):
        return "Only members of the Medical reviewer group may confirm a fact sheet's review."
    if agent.status != Status.PUBLISHED:
        return "Only a published fact sheet can be confirmed; publish it first."
    return interest_refusal(user, [agent.pk])


@transaction.atomic
def agent_confirm_review(*, agent, user, comment=""):
    """A medical reviewer confirms an agent's fact sheet is still correct: the dates move on a year."""
    agent = type(agent).objects.select_for_update().get(pk=agent.pk)
    reason = agent_review_refusal(user, agent)
    if reason:
        raise PermissionDenied(reason)
    writes.complete_review(agent, revised=False)
    # The version history records who confirmed it and why, as the review record for fact sheets.
    agent._change_reason = f"Review confirmed by {user.get_username()}" + (f": {comment}" if comment else "")
    writes.save_new_version(agent)
    writes.content_changed()
    return agent


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


@transaction.atomic
def agent_flag_linked_articles(*, agent, user=None):
    """The agent's facts changed: every published article about it needs a medical review."""
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


def agent_facts_changed(*, changed_fields, approvals_changed):
    return approvals_changed or bool(set(changed_fields) & set(AGENT_FACT_FIELDS))


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
