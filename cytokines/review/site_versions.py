"""The one write path for site settings and trust pages: propose, change, approve (four-eyes).

An Editor proposes a change (a new version copied from the live one); any Editor may edit the
proposal; a *different* Editor — not the proposer, not the last to change it — approves it, and only
then do readers see it. Approving replaces the live version in one transaction and, after commit,
retires every cached public page. Nothing else changes ``status``, ``approved_by`` or ``approved_at``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cytokines.content import site_reads
from cytokines.content.site import ApprovedVersion, ImpactLine, SiteSettings, TrustPage
from cytokines.review import rules, writes


def is_editor(user):
    return rules.EDITOR in rules.user_groups(user)  # superusers hold every role


def approval_refusal(user, version):
    """Why ``user`` may not approve ``version``, or None when they may."""
    if not is_editor(user):
        return "Only Editors approve changes to site settings and trust pages."
    if version.status != ApprovedVersion.Status.PROPOSED:
        return "This version is not waiting for approval."
    if user.pk in (version.proposed_by_id, version.changed_by_id):
        return "A second Editor must approve this: you proposed or last changed it."
    return None


def version_propose(*, model, user, kind=None, language="en"):
    """Start (or return the open) proposal, copied from the live version so Editors change only what differs.

    A trust page is proposed per language; the first version in a language starts as a copy of the English
    page, to be translated."""
    if not is_editor(user):
        raise PermissionDenied("Only Editors propose changes to site settings and trust pages.")
    scope = {"kind": kind, "language": language} if model is TrustPage else {}
    with transaction.atomic():
        open_proposal = model.objects.proposed().filter(**scope).first()
        if open_proposal is not None:
            return open_proposal
        live = model.objects.live().filter(**scope).first()
        if live is None and model is TrustPage and language != "en":
            live = model.objects.live().filter(kind=kind, language="en").first()
            if live is not None:
                live.language = language
        lines = list(live.impact_lines.all()) if live is not None and model is SiteSettings else []
        proposal = model(**scope) if live is None else _copy(live)
        proposal.status = ApprovedVersion.Status.PROPOSED
        proposal.proposed_by = proposal.changed_by = user
        proposal.approved_by = proposal.approved_at = None
        proposal.save()
        ImpactLine.objects.bulk_create(
            ImpactLine(settings_version=proposal, amount=line.amount, description=line.description,
                       description_es=line.description_es) for line in lines
        )
    return proposal


def _copy(version):
    version.pk = version.id = None
    version._state.adding = True
    return version


def version_record_change(*, version, user):
    """Called when an Editor saves a proposal: they become its last changer (and may not approve it)."""
    if not version.is_editable:
        raise ValidationError("A live or replaced version cannot be changed; propose a change instead.")
    version.changed_by = user
    if version.proposed_by_id is None:
        version.proposed_by = user


@transaction.atomic
def version_approve(*, version, user):
    """Make ``version`` live in place of the current live one (four-eyes); retire cached pages after commit."""
    version = type(version).objects.select_for_update().get(pk=version.pk)
    refusal = approval_refusal(user, version)
    if refusal:
        raise PermissionDenied(refusal)
    version.clean()  # numbers of another country than the settings name never reach readers
    scope = {"kind": version.kind, "language": version.language} if isinstance(version, TrustPage) else {}
    type(version).objects.live().filter(**scope).update(status=ApprovedVersion.Status.REPLACED)
    version.status = ApprovedVersion.Status.LIVE
    version.approved_by = user
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    transaction.on_commit(site_reads.forget_live_settings)
    writes.content_changed()
    return version
