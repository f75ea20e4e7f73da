import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from cytokines.content.revisions import ArticleRevision
from cytokines.content.site_reads import live_site_settings
from cytokines.ops.site_url import absolute_url


class ReviewedArticlesFeed(Feed):
    """Newly published and re-reviewed articles, newest review first."""

    def title(self):
        return f"{live_site_settings().site_name}: new and re-reviewed pages"

    description = "Articles published or medically re-reviewed recently."
    feed_name = "cytokines:feed-rss"

    # Every link is absolute from configuration, so the request's Host header never appears in a feed.
    def link(self):
        return absolute_url(reverse("cytokines:article-list"))

    def feed_url(self):
        return absolute_url(reverse(self.feed_name))

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def items(self):
        # Ordered through the live page's own row, so the partial index article_live_reviewed answers it.
        newest = ArticleRevision.objects.live().order_by("-live_for__last_reviewed", "-live_for__pk")
        return newest.select_related("article")[:30]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return f"{article.summary} (Last reviewed {article.last_reviewed:%d %B %Y}.)"

    def item_pubdate(self, article):
        return timezone.make_aware(datetime.datetime.combine(article.last_reviewed, datetime.time(9)))

    def item_updateddate(self, article):
        return article.created_at

    def item_guid(self, article):
        # A new review is a new feed entry, so subscribers hear about re-reviews too.
        return f"{article.get_absolute_url()}#reviewed-{article.last_reviewed.isoformat()}"

    item_guid_is_permalink = False


class ReviewedArticlesAtomFeed(ReviewedArticlesFeed):
    feed_type = Atom1Feed
    feed_name = "cytokines:feed-atom"
    subtitle = ReviewedArticlesFeed.description
