"""Check references against their DOI and PubMed records and their links; store what was found.

``run`` is what ``manage.py verify_references`` does each day: it picks the references due (never checked,
checked more than ``stale_days`` ago, or edited since their last check), looks each one up, and stores one
``ReferenceCheck`` per reference. A lookup that gets no answer (timeout, network, server error, a service
asking us to slow down) changes nothing but the error note, and the reference is tried again next run.
A dead link proposes an availability note; it reaches readers only when an Editor confirms it (``fixes``).
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cytokines.content.library import Reference
from cytokines.quality import compare
from cytokines.quality.http import CheckError, RateLimited
from cytokines.quality.links import NO_LONGER_AVAILABLE, check_link
from cytokines.quality.models import SOURCE_LABELS, ReferenceCheck
from cytokines.quality.resolvers import Record

log = logging.getLogger(__name__)
Status = ReferenceCheck.Status
Link = ReferenceCheck.LinkStatus
DEFAULT_STALE_DAYS = 7


@dataclass
class Summary:
    due: int = 0
    not_due: int = 0
    counts: Counter = field(default_factory=Counter)

    def lines(self):
        c = self.counts
        return [
            f"References checked: {self.due} (not due yet: {self.not_due}).",
            f"  Records: {c[Status.VERIFIED]} verified, {c[Status.MISMATCH]} differ from the record, "
            f"{c[Status.NOT_FOUND]} not found, {c[Status.NOT_CHECKED]} could not be checked (retried next run), "
            f"{c[Status.NO_IDENTIFIER]} without DOI or PubMed ID.",
            f"  Links: {c['link_ok']} work, {c['link_dead']} dead, {c['link_not_checked']} could not be checked.",
        ]


def _stale(stamp_field, cutoff):
    return Q(**{f"verification__{stamp_field}__isnull": True}) | Q(**{f"verification__{stamp_field}__lt": cutoff}) | Q(
        updated_at__gt=F(f"verification__{stamp_field}")
    )


def due_references(stale_days=DEFAULT_STALE_DAYS, now=None):
    """References whose record or link check is due; each is checked at most once per ``stale_days``
    unless an editor changed it since (then its old result no longer describes it)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=stale_days)
    has_identifier = ~Q(doi="") | ~Q(pmid="")
    records_due = has_identifier & _stale("checked_at", cutoff)
    link_due = ~Q(url="") & _stale("link_checked_at", cutoff)
    due = Q(verification__isnull=True) | records_due | link_due
    return Reference.objects.filter(due).select_related("verification")


def _is_due(stamp, reference, cutoff):
    return stamp is None or stamp < cutoff or reference.updated_at > stamp


def run(*, resolvers, client, stale_days=DEFAULT_STALE_DAYS, limit=None, now=None):
    """Check every reference due; return a Summary. ``resolvers``: {"doi": ..., "pmid": ...}."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=stale_days)
    due = due_references(stale_days, now).order_by(F("verification__checked_at").asc(nulls_first=True), "pk")
    due = list(due[:limit] if limit else due)
    summary = Summary(due=len(due), not_due=Reference.objects.count() - len(due))
    paused = {}  # service or host -> why we stopped asking it this run
    for reference in due:
        check = getattr(reference, "verification", None) or ReferenceCheck(reference=reference)
        if check.pk is None or _is_due(check.checked_at, reference, cutoff):
            _check_identifiers(check, reference, resolvers, paused, now)
        if reference.url and (check.pk is None or _is_due(check.link_checked_at, reference, cutoff)):
            _check_link(check, reference, client, paused, now)
        elif not reference.url:
            check.link_status, check.proposed_note = Link.NONE, ""
        with transaction.atomic():
            check.save()
        summary.counts[check.status] += 1
        if reference.url:
            summary.counts[f"link_{check.link_status or 'not_checked'}"] += 1
    return summary


def _check_identifiers(check, reference, resolvers, paused, now):
    identifiers = {source: getattr(reference, source) for source in ("doi", "pmid") if getattr(reference, source)}
    if not identifiers:
        check.status, check.mismatches, check.not_found, check.records = Status.NO_IDENTIFIER, [], [], {}
        check.checked_at, check.verified_on, check.error = now, None, ""
        return
    records, errors = {}, []
    for source, identifier in identifiers.items():
        if source in paused:
            errors.append(paused[source])
            continue
        try:
            records[source] = resolvers[source].lookup(identifier)
        except RateLimited as slow_down:
            paused[source] = f"{SOURCE_LABELS[source]}: {slow_down}"
            errors.append(paused[source])
        except CheckError as problem:
            errors.append(f"{SOURCE_LABELS[source]}: {problem}")
    if errors:
        # No conclusion without every answer: keep the previous result, say why, try again next run.
        check.error = " ".join(errors)[:300]
        log.info("reference %s not checked: %s", reference.pk, check.error)
        return
    found = {source: record for source, record in records.items() if record is not None}
    check.records = {source: record.as_json() for source, record in found.items()}
    check.not_found = sorted(source for source, record in records.items() if record is None)
    check.checked_at, check.error = now, ""
    apply_comparison(check, reference, today=timezone.localdate(now))


def apply_comparison(check, reference, *, today):
    """Compare ``reference`` with the stored records and set the status (no network: also used after a fix)."""
    records = [Record.from_json(data) for data in check.records.values()]
    check.mismatches = [m for record in records for m in compare.mismatches(reference, record)]
    if check.not_found:
        check.status = Status.NOT_FOUND
    elif check.mismatches:
        check.status = Status.MISMATCH
    else:
        check.status = Status.VERIFIED
    check.verified_on = today if check.status == Status.VERIFIED else None


def _check_link(check, reference, client, paused, now):
    from urllib.parse import urlsplit

    host = urlsplit(reference.url).hostname or ""
    if host in paused:
        check.link_error = paused[host]
        check.link_status = check.link_status or Link.NOT_CHECKED
        return
    try:
        result = check_link(client, reference.url)
    except RateLimited as slow_down:
        paused[host] = str(slow_down)
        check.link_error = str(slow_down)[:300]
        check.link_status = check.link_status or Link.NOT_CHECKED
        return
    check.link_http_status = result.http_status
    check.link_error = result.error
    if result.status == Link.NOT_CHECKED:
        check.link_status = check.link_status or Link.NOT_CHECKED  # keep what we knew; retried next run
        return
    check.link_status, check.link_checked_at = result.status, now
    if result.status == Link.DEAD and not reference.availability_note:
        check.proposed_note = NO_LONGER_AVAILABLE
    elif result.status == Link.OK:
        check.proposed_note = ""  # the page is back: nothing to propose
