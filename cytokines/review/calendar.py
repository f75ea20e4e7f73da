"""A reviewer's schedule as an iCalendar feed (RFC 5545) that calendar apps subscribe to.

The feed holds a bounded window: every overdue review, and those due within the next
``REVIEW_CALENDAR_MONTHS`` months (12 unless configured). Calendar apps fetch it every few hours, so its
size and cost must not grow with the years of pages an editor has owned; the dashboard lists the rest.
"""

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from cytokines.content.articles import Article
from cytokines.content.reviewed import add_months


def scheduled_reviews(user):
    """The pages whose reviews belong in ``user``'s feed: overdue, or due within the window."""
    horizon = add_months(timezone.localdate(), settings.REVIEW_CALENDAR_MONTHS)
    return (
        Article.objects.filter(Q(owner=user) | Q(medical_reviewer=user), next_review_due__lte=horizon)
        .exclude(status=Article.Status.ARCHIVED)
        .only("pk", "title", "status", "last_reviewed", "next_review_due")
    )


def last_changed(user):
    """When any page in the feed last changed (for Last-Modified and conditional GETs)."""
    return scheduled_reviews(user).aggregate(latest=Max("updated_at"))["latest"]


def calendar_for(user, *, base_url, portal_name):
    """An iCalendar feed of the reviews ``user`` owns or must sign off, one all-day event per due date."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{portal_name}//Review schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{portal_name} reviews: {user.get_username()}")
    articles = scheduled_reviews(user).order_by("next_review_due", "pk")
    stamp = timezone.now()
    for article in articles:
        event = Event()
        event.add("uid", f"article-{article.pk}-{article.next_review_due.isoformat()}@cytokine-portal")
        event.add("dtstamp", stamp)
        event.add("dtstart", article.next_review_due)
        event.add("dtend", article.next_review_due + datetime.timedelta(days=1))
        event.add("summary", f"Review due: {article.title}")
        event.add("url", base_url + reverse("admin:cytokines_article_change", args=[article.pk]))
        event.add("description", f"Status: {article.get_status_display()}. Last reviewed: {article.last_reviewed}.")
        calendar.add_component(event)
    return calendar.to_ical()
