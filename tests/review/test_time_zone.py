"""Review dates and notices follow the portal's documented time zone and are right on the day (issue 13)."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone

from cytokines.review import workflow

from ..factories import ArticleFactory, awaiting_publication

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def clock(monkeypatch):
    """Set the time every ``timezone.now()`` and ``timezone.localdate()`` sees."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def test_the_default_time_zone_is_the_portals_us_eastern_one():
    assert settings.TIME_ZONE == "America/New_York"


def test_a_publish_at_8pm_eastern_is_reviewed_today_not_tomorrow(clock, make_user):
    article = awaiting_publication()
    clock(datetime.datetime(2026, 3, 5, 1, 0, tzinfo=UTC))  # 8 pm on 4 March in New York
    published = workflow.article_transition(article=article, user=make_user("ed", workflow.EDITOR), name="publish")
    assert published.last_reviewed == datetime.date(2026, 3, 4)
    assert published.published_at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).day == 4


def test_the_overdue_notice_appears_on_the_day_even_for_a_cached_page(client, clock):
    due = datetime.date(2026, 3, 4)
    article = ArticleFactory(last_reviewed=datetime.date(2023, 3, 4), next_review_due=due)
    eastern = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    clock(datetime.datetime(2026, 3, 4, 23, 50, tzinfo=eastern))  # the last day it is current
    assert "This page is due for review" not in client.get(article.get_absolute_url()).content.decode()
    clock(datetime.datetime(2026, 3, 5, 0, 10, tzinfo=eastern))  # ten minutes after midnight
    assert "This page is due for review" in client.get(article.get_absolute_url()).content.decode()


def test_the_overdue_notice_does_not_switch_on_in_the_evening_before(client, clock):
    article = ArticleFactory(last_reviewed=datetime.date(2023, 3, 4), next_review_due=datetime.date(2026, 3, 4))
    clock(datetime.datetime(2026, 3, 5, 3, 0, tzinfo=UTC))  # 10 pm on 4 March in New York; 5 March in UTC
    assert "This page is due for review" not in client.get(article.get_absolute_url()).content.decode()
