"""Review reminders: one digest per person, each reminder at most once per due date, escalation to Editors;
for articles, fact sheets and glossary terms alike."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTerm
from cytokines.content.reviewed import KIND_WORDS
from cytokines.ops.mail import mail_queue
from cytokines.review.models import ReminderLog
from cytokines.review.rules import EDITOR

Kind = ReminderLog.Kind


KINDS_OF_PAGE = (Article, Agent, GlossaryTerm)


@dataclass
class Digest:
    recipient: object
    items: list = field(default_factory=list)  # (page, kind): articles, fact sheets and glossary terms

    def subject(self):
        overdue = sum(1 for _, kind in self.items if kind in (Kind.OVERDUE, Kind.ESCALATION))
        soon = sum(1 for _, kind in self.items if kind == Kind.DUE_SOON)
        stale = len(self.items) - overdue - soon
        return f"Reviews: {overdue} overdue, {soon} due soon" + (f", {stale} translations out of date" if stale else "")

    def body(self, base_url):
        lines = [f"Hello {self.recipient.get_full_name() or self.recipient.get_username()},", ""]
        headings = {
            Kind.ESCALATION: "Overdue past the grace period (escalated to all editors):",
            Kind.OVERDUE: "Overdue:",
            Kind.DUE_SOON: "Due soon:",
            Kind.TRANSLATION: "Translations out of date (the English page changed; bring them up to date):",
        }
        for kind, heading in headings.items():
            rows = [page for page, k in self.items if k == kind]
            if rows:
                lines.append(heading)
                for page in rows:
                    url = base_url + reverse(f"admin:cytokines_{page._meta.model_name}_change", args=[page.pk])
                    when = (f"English page changed {due_date(page, kind):%d %b %Y}" if kind == Kind.TRANSLATION
                            else f"due {page.next_review_due:%d %b %Y}")  # fmt: skip
                    lines.append(f"  - {KIND_WORDS[page._meta.model_name]}: {page}, {when}: {url}")
                lines.append("")
        lines.append("You get this reminder once for each due date; it will not repeat daily.")
        return "\n".join(lines)


def due_date(page, kind):
    """The date a reminder is about (it is sent once per date): the review due date, or for an out-of-date
    translation the day its English page's new text went live."""
    return page.source_changed_on if kind == Kind.TRANSLATION else page.next_review_due


def out_of_date_translations():
    """Published article and fact-sheet translations behind their English page, with the day the English
    text changed."""
    stale = []
    for model in (Article, Agent):
        pages = (model.objects.out_of_date_translations().select_related("owner", "translation_of__live_revision")
                 .defer("translation_of__live_revision__content"))  # fmt: skip
        for page in pages:
            page.source_changed_on = timezone.localdate(page.translation_of.live_revision.created_at)
            stale.append(page)
    return stale


def _due_pages(horizon):
    """Published pages of every kind due for review by ``horizon`` (overdue ones included), soonest first."""
    pages = []
    for model in KINDS_OF_PAGE:
        reviewers = ["owner", "medical_reviewer"] if model is Article else ["owner"]
        pages += model.objects.published().filter(next_review_due__lte=horizon).select_related(*reviewers)
    return sorted(pages, key=lambda page: (page.next_review_due, page._meta.model_name, page.pk))


def _sent_already(pages):
    """(recipient, kind of page, page id, reminder kind, due date) of every reminder sent about ``pages``."""
    sent = set()
    for model in KINDS_OF_PAGE:
        name = model._meta.model_name
        ids = [page.pk for page in pages if isinstance(page, model)]
        if ids:
            rows = ReminderLog.objects.filter(**{f"{name}__in": ids}).values_list("recipient_id", f"{name}_id", "kind",
                                                                                 "due_date")  # fmt: skip
            sent |= {(recipient, name, page, kind, due) for recipient, page, kind, due in rows}
    return sent


def reminders_plan(*, days, grace_days, today=None):
    """Work out who should be told about what; nothing already sent for the same due date is included.

    Articles, fact sheets and glossary terms alike: their owners (and an article's medical reviewer) are
    told when a review is due soon or overdue, Editors when it is overdue past the grace period, and the
    owner of a translation when its English page changed."""
    today = today or timezone.localdate()
    pages = _due_pages(today + datetime.timedelta(days=days))
    stale = out_of_date_translations()
    already_sent = _sent_already([*pages, *stale])
    editors = list(get_user_model().objects.filter(is_active=True, groups__name=EDITOR).exclude(email=""))
    digests = {}

    def add(user, page, kind):
        if user is None or not user.is_active or not user.email:
            return
        if (user.pk, page._meta.model_name, page.pk, kind, due_date(page, kind)) in already_sent:
            return
        digest = digests.setdefault(user.pk, Digest(user))
        if (page, kind) not in digest.items:
            digest.items.append((page, kind))

    for page in pages:
        kind = Kind.OVERDUE if page.next_review_due < today else Kind.DUE_SOON
        for person in (page.owner, getattr(page, "medical_reviewer", None)):
            add(person, page, kind)
        if page.next_review_due < today - datetime.timedelta(days=grace_days):
            for editor in editors:
                add(editor, page, Kind.ESCALATION)
    for page in stale:  # its owner (usually its translator) brings it up to date
        add(page.owner, page, Kind.TRANSLATION)
    return list(digests.values())


def reminders_send(digests, *, base_url):
    """Queue each digest with its log rows in one transaction; return how many were queued.

    The mail queue sends each digest on its own: one refused address is deferred and retried with back-off
    while everybody else's digest still goes, and two overlapping runs never send one digest twice.
    """
    for digest in digests:
        with transaction.atomic():
            mail_queue(EmailMessage(
                digest.subject(), digest.body(base_url), settings.DEFAULT_FROM_EMAIL, [digest.recipient.email]
            ))  # fmt: skip
            ReminderLog.objects.bulk_create(
                [
                    ReminderLog(recipient=digest.recipient, **ReminderLog.page_field(page), kind=kind,
                                due_date=due_date(page, kind))
                    for page, kind in digest.items
                ],
                ignore_conflicts=True,
            )
    return len(digests)
