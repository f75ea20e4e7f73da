from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cytokines.content.agents import Agent
from cytokines.content.library import CancerType
from cytokines.content.revisions import ArticleRevision
from cytokines.ops.site_url import scheme_and_host


class ConfiguredSiteSitemap(Sitemap):
    """Locations start with the configured address, never the request's Host header."""

    def get_protocol(self, protocol=None):
        return scheme_and_host()[0]

    def get_domain(self, site=None):
        return scheme_and_host()[1]


class ArticleSitemap(ConfiguredSiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return ArticleRevision.objects.live().select_related("article").defer("content").order_by("pk")

    def lastmod(self, article):
        return article.last_reviewed


class AgentSitemap(ConfiguredSiteSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Agent.objects.published().order_by("pk")

    def lastmod(self, agent):
        return agent.last_reviewed


class CancerTypeSitemap(ConfiguredSiteSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return CancerType.objects.filter(article_revisions__live_for__isnull=False).distinct().order_by("pk")


class StaticSitemap(ConfiguredSiteSitemap):
    priority = 0.6

    def items(self):
        return ["cytokines:home", "cytokines:article-list", "cytokines:agent-list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"static": StaticSitemap, "articles": ArticleSitemap, "agents": AgentSitemap,
            "cancer-types": CancerTypeSitemap}  # fmt: skip
