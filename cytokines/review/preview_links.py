"""Preview links: a signed-in reviewer shares a pending revision, read only, with an outside specialist.

The link carries a random secret (``secrets.token_urlsafe``, 256 bits); the database keeps only its
SHA-256 hash, so a copy of the table or a backup opens nothing. A link works until it expires (7 days
unless the person making it says otherwise, at most 30) or someone revokes it. Each use is recorded in
the page's review history. What the link shows is the page's pending revision as it stands: never the
admin, never anything else.
"""

import datetime
import hashlib
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cytokines.review.models import PreviewLink, ReviewEvent
from cytokines.review.rules import EDITOR, MEDICAL_REVIEWER, Role, Status, user_groups

SHARING_GROUPS = {EDITOR, MEDICAL_REVIEWER}


class LinkRefused(Exception):
    """The link does not open: unknown (404), or expired, revoked, or nothing pending to show (410)."""

    def __init__(self, message, status=410):
        super().__init__(message)
        self.status = status


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def can_share(user):
    """Editors and medical reviewers, who run reviews, may ask an outside specialist to look."""
    return bool(user_groups(user) & SHARING_GROUPS)


def sharing_refusal(user):
    """Why ``user`` may not make or revoke preview links, or None when they may."""
    if can_share(user):
        return None
    return "Only Editors and Medical reviewers make or revoke preview links for outside reviewers."


def has_pending_revision(page):
    """A revision is being worked on: a new page before it is published, or the pending revision of a live one."""
    return page.status in {Status.DRAFT, Status.MEDICAL_REVIEW, Status.EDITORIAL_REVIEW}


def _event(page, *, user, action, comment):
    name = (user.get_full_name() or user.get_username()) if user else "Outside reviewer"
    role = Role.EDITOR if user and EDITOR in user_groups(user) else Role.MEDICAL_REVIEWER if user else Role.SYSTEM
    # Filed under the page's own kind (article or agent): review events are generic.
    ReviewEvent.objects.create(**{page._meta.model_name: page}, actor=user, actor_name=name, role=role, action=action,
                               from_status=page.status, to_status=page.status, comment=comment)  # fmt: skip


@transaction.atomic
def create(page, *, user, reviewer_name, days=PreviewLink.DEFAULT_DAYS):
    """Make a link to ``page``'s pending revision; return (link, token). The token is shown once, never stored."""
    if not can_share(user):
        raise PermissionDenied("Only Editors and Medical reviewers may share a revision outside the team.")
    reviewer_name = (reviewer_name or "").strip()
    if not reviewer_name:
        raise ValidationError("Say who the link is for (name and specialty); the review history shows it.")
    if not 1 <= days <= PreviewLink.MAX_DAYS:
        raise ValidationError(f"A link may last from 1 to {PreviewLink.MAX_DAYS} days.")
    if not has_pending_revision(page):
        raise ValidationError("There is no revision under review to share: the page is published as is, or archived.")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = PreviewLink.objects.create(
        content_type=ContentType.objects.get_for_model(page), object_id=page.pk, token_hash=_hash(token),
        reviewer_name=reviewer_name, created_by=user, created_at=now, expires_at=now + datetime.timedelta(days=days),
    )  # fmt: skip
    _event(page, user=user, action="preview_link_created",
           comment=f"Read-only preview link for {reviewer_name}, valid until {_day(link.expires_at)}.")  # fmt: skip
    return link, token


def _day(moment):
    return timezone.localtime(moment).strftime("%B %-d, %Y %H:%M")


@transaction.atomic
def revoke(link, *, user):
    if not can_share(user):
        raise PermissionDenied("Only Editors and Medical reviewers may revoke preview links.")
    link = PreviewLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        return link
    link.revoked_at, link.revoked_by = timezone.now(), user
    link.save(update_fields=["revoked_at", "revoked_by"])
    _event(
        link.page, user=user, action="preview_link_revoked", comment=f"Preview link for {link.reviewer_name} revoked."
    )
    return link


def open_link(token):
    """The link and its page for ``token``, recording the use; raise LinkRefused saying why it does not open."""
    link = PreviewLink.objects.select_related("content_type").filter(token_hash=_hash(token or "")).first()
    if link is None:
        raise LinkRefused("This preview link is not valid. Check that you copied all of it.", status=404)
    state = link.state()
    if state == "revoked":
        raise LinkRefused("This preview link was withdrawn. Ask the person who sent it for a new one.")
    if state == "expired":
        raise LinkRefused(
            f"This preview link expired on {_day(link.expires_at)}. Ask the person who sent it for a new one."
        )
    page = link.page
    if not has_pending_revision(page):
        raise LinkRefused("The revision this link showed is no longer under review. The published page is on our site.")
    with transaction.atomic():
        PreviewLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1, last_used_at=timezone.now())
        _event(page, user=None, action="preview_link_used", comment=f"Preview link for {link.reviewer_name} opened.")
    return link, page


def links_of(page):
    return PreviewLink.objects.filter(content_type=ContentType.objects.get_for_model(page), object_id=page.pk)
