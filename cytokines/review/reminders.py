"""Review reminders: one digest per person, each reminder at most once per due date, escalation to Editors."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cytokines.content.articles import Article
from cytokines.ops.mail import mail_queue
from cytokines.review.models import ReminderLog
from cytokines.review.rules import EDITOR

Kind = ReminderLog.Kind


@dataclass
class Digest:
    recipient: object
    items: list = field(default_factory=list)  # (article, kind)

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
            rows = [a for a, k in self.items if k == kind]
            if rows:
                lines.append(heading)
                for article in rows:
                    url = base_url + reverse("admin:cytokines_article_change", args=[article.pk])
                    when = (f"English page changed {due_date(article, kind):%d %b %Y}" if kind == Kind.TRANSLATION
                            else f"due {article.next_review_due:%d %b %Y}")  # fmt: skip
                    lines.append(f"  - {article.title} ({when}) {url}")
                lines.append("")
        lines.append("You get this reminder once for each due date; it will not repeat daily.")
        return "\n".join(lines)


def due_date(article, kind):
    """The date a reminder is about (it is sent once per date): the review due date, or for an out-of-date
    translation the day its English page's new text went live."""
    return article.source_changed_on if kind == Kind.TRANSLATION else article.next_review_due


def out_of_date_translations():
    """Published article translations behind their English page, with the day the English text changed."""
    stale = list(Article.objects.out_of_date_translations().select_related("owner", "translation_of__live_revision")
                 .defer("translation_of__live_revision__content"))  # fmt: skip
    for article in stale:
        article.source_changed_on = timezone.localdate(article.translation_of.live_revision.created_at)
    return stale


def reminders_plan(*, days, grace_days, today=None):
    """Work out who should be told about what; nothing already sent for the same due date is included."""
    today = today or timezone.localdate()
    articles = list(
        Article.objects.published()
        .filter(next_review_due__lte=today + datetime.timedelta(days=days))
        .select_related("owner", "medical_reviewer")
        .order_by("next_review_due")
    )
    stale = out_of_date_translations()
    already_sent = set(
        ReminderLog.objects.filter(article__in=[*articles, *stale]).values_list("recipient_id", "article_id", "kind",
                                                                               "due_date")
    )  # fmt: skip
    editors = list(get_user_model().objects.filter(is_active=True, groups__name=EDITOR).exclude(email=""))
    digests = {}

    def add(user, article, kind):
        if user is None or not user.is_active or not user.email:
            return
        if (user.pk, article.pk, kind, due_date(article, kind)) in already_sent:
            return
        digest = digests.setdefault(user.pk, Digest(user))
        if (article, kind) not in digest.items:
            digest.items.append((article, kind))

    for article in articles:
        kind = Kind.OVERDUE if article.next_review_due < today else Kind.DUE_SOON
        for person in (article.owner, article.medical_reviewer):
            add(person, article, kind)
        if article.next_review_due < today - datetime.timedelta(days=grace_days):
            for editor in editors:
                add(editor, article, Kind.ESCALATION)
    for article in stale:  # its owner (usually its translator) brings it up to date
        add(article.owner, article, Kind.TRANSLATION)
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
                    ReminderLog(
                        recipient=digest.recipient, article=article, kind=kind, due_date=due_date(article, kind)
                    )
                    for article, kind in digest.items
                ],
                ignore_conflicts=True,
            )
    return len(digests)
