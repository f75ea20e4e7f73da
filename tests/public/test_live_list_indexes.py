"""The public lists that show live pages newest first read an index, not every live article (issue 27): at
100,000 articles the feed took 221 ms and the home page 179 ms sorting all of them."""

import pytest
from django.db import connection
from django.test import RequestFactory

from cytokines.content.revisions import ArticleRevision
from cytokines.public import views
from cytokines.public.feeds import ReviewedArticlesFeed

from ..factories import ArticleFactory, make_live

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partial indexes are PostgreSQL's (migration 0042)"),
]


def plan_of(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned whatever the index
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


def test_the_feed_and_the_home_pages_lists_read_the_live_indexes():
    make_live(ArticleFactory())
    feed = ReviewedArticlesFeed()
    feed.get_object(RequestFactory().get("/feed/"))
    assert "article_live_reviewed" in plan_of(feed.items())
    latest = views.live_articles().order_by(*views.NEWEST_FIRST)[:5]
    assert "article_live_published" in plan_of(latest)


def test_the_article_list_reads_titles_in_order_from_the_index():
    make_live(ArticleFactory())
    assert "articlerevision_language_title" in plan_of(
        ArticleRevision.objects.live().filter(language="en").order_by("title")[:30]
    )


def test_a_cancer_types_page_reads_its_articles_in_order_from_the_index():
    """50 ms at 100,000 articles (15 at 10,000): every article about the cancer was joined and sorted to show 20."""
    from ..factories import CancerTypeFactory

    cancer = CancerTypeFactory()
    article = ArticleFactory()
    article.cancer_types.add(cancer)
    make_live(article)
    shown = views.articles_about(cancer)
    assert list(shown) == [article.live_revision]
    assert "articlerevision_language_featured_title" in plan_of(views.articles_about(cancer)[:20])


def test_the_dashboards_due_counts_are_answered_from_the_index_alone():
    """9 ms to count the 8,657 overdue pages of 100,000: the (status, due) index made PostgreSQL read each row."""
    from django.utils import timezone

    from cytokines.review.schedule import _articles

    make_live(ArticleFactory())
    overdue = _articles().review_overdue(timezone.localdate()).order_by().values("pk")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cytokines_article")  # the other partial indexes share the predicate: give costs
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # the plan a count of thousands of rows takes
    assert "using article_live_due" in plan_of(overdue)
