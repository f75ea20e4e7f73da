"""A reviewer's schedule as an iCalendar feed (RFC 5545) that calendar apps subscribe to.

The feed holds a bounded window: every overdue review, and those due within the next
``REVIEW_CALENDAR_MONTHS`` months (12 unless configured). Calendar apps fetch it every few hours, so its
size and cost must not grow with the years of pages an editor has owned; the dashboard lists the rest.

Two feeds share one secret address per person: their own reviews (articles they own or sign off, fact
sheets and glossary terms they own), and (Editors only, checked on every fetch) every page's. Making a new
address retires both old ones.
"""

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTerm
from cytokines.content.reviewed import KIND_WORDS, add_months

MINE, ALL = "mine", "all"  # a person's own reviews; every page's (Editors, who plan the whole schedule)
# The soonest reviews a feed holds; the rest are counted in one event pointing to the dashboard. An editor owning
# 100,000 pages due within the window made a feed of tens of megabytes that took seconds to build.
MAX_EVENTS = 500


EDITOR_GROUP = "Editor"  # rules.EDITOR; the rules module reaches the write path, which the public site must not


def may_follow(user, scope):
    """Everyone on the staff follows their own reviews; the whole site's schedule is for Editors."""
    if scope == MINE:
        return True
    return scope == ALL and (user.is_superuser or user.groups.filter(name=EDITOR_GROUP).exists())


def _window(queryset):
    horizon = add_months(timezone.localdate(), settings.REVIEW_CALENDAR_MONTHS)
    return queryset.filter(next_review_due__lte=horizon).exclude(status=Article.Status.ARCHIVED)


def scheduled_reviews(user, scope=MINE):
    """The pages whose reviews belong in the feed (overdue, or due within the window): one queryset per kind
    (articles, fact sheets, glossary terms). A person's own: those they own, and articles they sign off.
    Each reads the columns its ``str()`` names it by (title or name, and language)."""
    columns = ["pk", "status", "last_reviewed", "next_review_due", "language"]
    articles = _window(Article.objects.all()).only("title", *columns)
    agents = _window(Agent.objects.all()).only("name", *columns)
    terms = _window(GlossaryTerm.objects.all()).only("name", *columns[:-1])
    if scope == MINE:
        return [articles.filter(Q(owner=user) | Q(medical_reviewer=user)), agents.filter(owner=user),
                terms.filter(owner=user)]  # fmt: skip
    return [articles, agents, terms]


def stale_translations(user, scope=MINE):
    """The published article and fact-sheet translations whose English page changed since (an event on the
    day it did): those ``user`` owns, or (``scope=ALL``) every one."""
    found = []
    for model, name in ((Article, "title"), (Agent, "name")):
        stale = model.objects.out_of_date_translations()
        if scope == MINE:
            stale = stale.filter(owner=user)
        found += (stale.select_related("translation_of__live_revision").defer("translation_of__live_revision__content")
                  .only("pk", name, "language", "translation_of__live_revision__created_at"))  # fmt: skip
    return found


def last_changed(user, scope=MINE):
    """When any page in the feed last changed (for Last-Modified and conditional GETs): a review date, or the
    English text of a translation in the feed (which makes it out of date without touching the translation)."""
    stamps = [q.aggregate(latest=Max("updated_at"))["latest"] for q in scheduled_reviews(user, scope)]
    for model in (Article, Agent):
        translations = model.objects.filter(translation_of__isnull=False)
        if scope == MINE:
            translations = translations.filter(owner=user)
        stamps.append(translations.aggregate(latest=Max("translation_of__live_revision__created_at"))["latest"])
    return max((s for s in stamps if s is not None), default=None)


def calendar_for(user, *, base_url, portal_name, scope=MINE):
    """An iCalendar feed of reviews, one all-day event per due date: those ``user`` owns or must sign off,
    or (``scope=ALL``) every article's and fact sheet's."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{portal_name}//Review schedule//EN")
    calendar.add("version", "2.0")
    name = "all pages" if scope == ALL else user.get_username()
    calendar.add("x-wr-calname", f"{portal_name} reviews: {name}")
    stamp = timezone.now()

    def add_day(uid, day, summary, url, description=None):
        """One all-day event (every event of the feed is one)."""
        event = Event()
        event.add("uid", f"{uid}@cytokine-portal")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", summary)
        event.add("url", url)
        if description is not None:
            event.add("description", description)
        calendar.add_component(event)

    querysets = scheduled_reviews(user, scope)
    soonest = [page for queryset in querysets for page in queryset.order_by("next_review_due", "pk")[:MAX_EVENTS]]
    pages = sorted(soonest, key=lambda p: (p.next_review_due, p._meta.model_name, p.pk))[:MAX_EVENTS]
    if len(pages) == MAX_EVENTS:
        more = sum(queryset.count() for queryset in querysets) - MAX_EVENTS
        if more > 0:
            today = timezone.localdate()
            add_day(f"more-reviews-{today.isoformat()}", today,
                    f"{more:,} more reviews due later in the window: see the review dashboard",
                    base_url + reverse("admin:cytokines_review_dashboard"))  # fmt: skip
    for page in pages:
        kind = page._meta.model_name
        add_day(f"{kind}-{page.pk}-{page.next_review_due.isoformat()}", page.next_review_due,
                f"Review due: {page}", base_url + reverse(f"admin:cytokines_{kind}_change", args=[page.pk]),
                f"{KIND_WORDS[kind]}. Status: {page.get_status_display()}. Last reviewed: {page.last_reviewed}.")
    for page in stale_translations(user, scope):
        source, kind = page.translation_of.live_revision, page._meta.model_name
        # Articles keep their first event id ("translation-<pk>-..."): calendars already hold those events.
        uid = f"translation-{page.pk}-{source.pk}" if kind == "article" else f"{kind}-translation-{page.pk}-{source.pk}"
        add_day(uid, timezone.localdate(source.created_at), f"Translation out of date: {page}",
                base_url + reverse(f"admin:cytokines_{kind}_change", args=[page.pk]),
                "The English page changed on this day; bring the translation up to date.")  # fmt: skip
    return calendar.to_ical()
