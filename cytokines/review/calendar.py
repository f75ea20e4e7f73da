"""A reviewer's schedule as an iCalendar feed (RFC 5545) that calendar apps subscribe to."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from cytokines.content.articles import Article


def calendar_for(user, *, base_url, portal_name):
    """An iCalendar feed of the reviews ``user`` owns or must sign off, one all-day event per due date."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{portal_name}//Review schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{portal_name} reviews: {user.get_username()}")
    articles = (
        Article.objects.filter(Q(owner=user) | Q(medical_reviewer=user), next_review_due__isnull=False)
        .exclude(status=Article.Status.ARCHIVED)
        .order_by("next_review_due")
    )
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
