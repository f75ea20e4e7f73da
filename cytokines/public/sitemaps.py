"""The sitemap: an index (/sitemap.xml) of sections, each page of a section at most ``SECTION_SIZE`` URLs.

Search engines accept 50,000 URLs per file; sections stay far below that so each file is small and
quick to build, and they read only slugs and dates (never the pages' text), so their cost does not
grow with the length of what is published.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse

from cytokines.content.glossary import GlossaryTermRevision
from cytokines.content.library import CancerType
from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.ops.languages import DEFAULT, reverse_in
from cytokines.ops.site_url import scheme_and_host

SECTION_SIZE = 5_000


class ConfiguredSiteSitemap(Sitemap):
    """Locations start with the configured address, never the request's Host header.

    Every page is listed once per language it exists in, each entry with its hreflang alternates
    (``<xhtml:link>``): interface pages in every language, content only in the languages it is written in.
    """

    limit = SECTION_SIZE
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return scheme_and_host()[0]

    def get_domain(self, site=None):
        return scheme_and_host()[1]


class ArticleSitemap(ConfiguredSiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return ArticleRevision.objects.live().order_by("pk").values("slug", "language", "article__last_reviewed")

    def get_languages_for_item(self, row):
        return [row["language"]]

    def location(self, row):
        return reverse_in(row["language"], "cytokines:article-detail", args=[row["slug"]])

    def lastmod(self, row):
        return row["article__last_reviewed"]

    def get_latest_lastmod(self):
        # Django's default walks every item for the index's <lastmod>; the database answers in one read.
        return ArticleRevision.objects.live().aggregate(latest=Max("live_for__last_reviewed"))["latest"]


class AgentSitemap(ConfiguredSiteSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return AgentRevision.objects.live().select_related("agent").defer("content").order_by("pk")

    def get_languages_for_item(self, agent):
        return [getattr(agent, "language", DEFAULT)]

    def lastmod(self, agent):
        return agent.last_reviewed


class CancerTypeSitemap(ConfiguredSiteSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return CancerType.objects.filter(article_revisions__live_for__isnull=False).distinct().order_by("pk")


class GlossarySitemap(ConfiguredSiteSitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return GlossaryTermRevision.objects.live().order_by("pk").values("slug", "glossaryterm__last_reviewed")

    def location(self, row):
        return reverse("cytokines:glossary-term", args=[row["slug"]])

    def lastmod(self, row):
        return row["glossaryterm__last_reviewed"]

    def get_latest_lastmod(self):
        return GlossaryTermRevision.objects.live().aggregate(latest=Max("glossaryterm__last_reviewed"))["latest"]


class StaticSitemap(ConfiguredSiteSitemap):
    priority = 0.6

    def items(self):
        return ["cytokines:home", "cytokines:article-list", "cytokines:agent-list", "cytokines:glossary"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"static": StaticSitemap, "articles": ArticleSitemap, "agents": AgentSitemap,
            "cancer-types": CancerTypeSitemap, "glossary": GlossarySitemap}  # fmt: skip


def sitemap_index(request, sitemaps=SITEMAPS):
    """/sitemap.xml: every page of every section, at the configured address (Django's own index takes the
    request's Host header, which would let a forged Host reach the page cache)."""
    scheme, host = scheme_and_host()
    items = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = f"{scheme}://{host}" + reverse("cytokines:sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        pages = range(2, sitemap.paginator.num_pages + 1)
        items += [SitemapIndexItem(f"{location}?p={page}", lastmod) for page in pages]
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
