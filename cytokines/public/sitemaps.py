"""The sitemap: an index (/sitemap.xml) of sections, each page of a section at most ``SECTION_SIZE`` pages.

Search engines accept 50,000 URLs and 50 MB per file; sections stay far below that, so each file is
small and quick to build at any size of the library. Django's own sitemap framework is not used for
them: with ``i18n`` it lists every item of a section in memory to number its pages (all 100,000
articles for each page of 5,000) and reverses every address three times. Here a page reads only its own
rows (slugs and dates, never the pages' text), counts with the database, and builds each address from
one reversed pattern per language.

Every page is listed once per language it exists in, with its hreflang alternates: interface pages in
every language, content only in the language it is written in.
"""

import datetime
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.db.models import Exists, Max, OuterRef
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import http_date

from cytokines.content.articles import Article
from cytokines.content.glossary import GlossaryTermRevision
from cytokines.content.library import CancerType
from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.ops.languages import DEFAULT, SlugPaths, reverse_in, supported
from cytokines.ops.site_url import scheme_and_host

SECTION_SIZE = 1_000  # pages per file: about 300 KB of XML with the alternates
ROBOTS = "noindex, noodp, noarchive"


@dataclass(frozen=True)
class Entry:
    slug: str
    languages: tuple
    lastmod: datetime.date | None = None


class Section:
    """One kind of page. Subclasses say which rows there are (``rows``, ordered), the address pattern and
    the dates; pages of the section are slices of ``rows``."""

    url_name = ""
    changefreq = ""
    priority = ""
    limit = SECTION_SIZE

    def rows(self):
        raise NotImplementedError

    def entry(self, row):
        raise NotImplementedError

    def count(self):
        return self.rows().count()

    def latest(self):
        return None

    def page_count(self):
        return max(1, -(-self.count() // self.limit))

    def entries(self, page):
        start = (page - 1) * self.limit
        return [self.entry(row) for row in self.rows()[start : start + self.limit]]

    def path(self, language, key):
        """The address of the entry ``key`` (what ``entry`` put in ``Entry.slug``) in ``language``."""
        raise NotImplementedError


class SlugSection(Section):
    """Pages addressed by a slug under one URL name: the pattern is reversed once per language."""

    @cached_property
    def _paths(self):
        return SlugPaths(self.url_name)

    def path(self, language, slug):
        return self._paths(language, slug)


class ArticleSection(SlugSection):
    """The section that grows with the library. Page N holds the live articles whose id falls in the Nth
    block of ``limit`` ids, read by a range of the primary key: the last page costs what the first does (an
    OFFSET of 99,000 took 500 ms at 100,000 articles). A block whose pages are drafts or archived lists
    fewer addresses, or none; search engines read an empty list as nothing to add."""

    url_name = "cytokines:article-detail"
    changefreq = "monthly"
    priority = "0.8"

    def rows(self):
        return (Article.objects.filter(live_revision__isnull=False).order_by("pk")
                .values_list("live_revision__slug", "language", "last_reviewed"))  # fmt: skip

    def page_count(self):
        # Dated and bounded on the pages themselves, through the primary key and the index of live pages
        # (migration 0042): through the revisions' join the same figures took 150 ms each at 100,000 articles.
        highest = Article.objects.filter(live_revision__isnull=False).aggregate(highest=Max("pk"))["highest"]
        return max(1, -(-(highest or 0) // self.limit))

    def entries(self, page):
        block = self.rows().filter(pk__gt=(page - 1) * self.limit, pk__lte=page * self.limit)
        return [self.entry(row) for row in block]

    def entry(self, row):
        slug, language, reviewed = row
        return Entry(slug, (language,), reviewed)

    def latest(self):
        return Article.objects.filter(live_revision__isnull=False).aggregate(latest=Max("last_reviewed"))["latest"]


class AgentSection(SlugSection):
    url_name = "cytokines:agent-detail"
    changefreq = "monthly"
    priority = "0.7"

    def rows(self):
        return AgentRevision.objects.live().order_by("pk").values_list("slug", "language", "live_for__last_reviewed")

    def count(self):
        return AgentRevision.objects.live().count()

    def entry(self, row):
        slug, language, reviewed = row
        return Entry(slug, (language or DEFAULT,), reviewed)

    def latest(self):
        return AgentRevision.objects.live().aggregate(latest=Max("live_for__last_reviewed"))["latest"]


class CancerTypeSection(SlugSection):
    """Cancer types with at least one live page; the page's interface exists in every language."""

    url_name = "cytokines:cancer-type-detail"
    changefreq = "monthly"
    priority = "0.5"

    def rows(self):
        live = ArticleRevision.objects.live().filter(cancer_types=OuterRef("pk"))
        return CancerType.objects.filter(Exists(live)).order_by("pk").values_list("slug", flat=True)

    def count(self):
        # An upper bound is enough to number the pages (a few dozen cancers, one page): asking which have a
        # live page read every article's cancer types (12 ms at 100,000 articles).
        return CancerType.objects.count()

    def entry(self, slug):
        return Entry(slug, tuple(supported()))


class GlossarySection(SlugSection):
    url_name = "cytokines:glossary-term"
    changefreq = "yearly"
    priority = "0.4"

    def rows(self):
        return GlossaryTermRevision.objects.live().order_by("pk").values_list("slug", "glossaryterm__last_reviewed")

    def entry(self, row):
        slug, reviewed = row
        return Entry(slug, tuple(supported()), reviewed)

    def latest(self):
        return GlossaryTermRevision.objects.live().aggregate(latest=Max("glossaryterm__last_reviewed"))["latest"]


class StaticSection(Section):
    priority = "0.6"
    names = ("cytokines:home", "cytokines:article-list", "cytokines:agent-list", "cytokines:glossary")

    def rows(self):
        return list(self.names)

    def count(self):
        return len(self.names)

    def entry(self, name):
        return Entry(name, tuple(supported()))

    def path(self, language, name):
        return reverse_in(language, name)


SITEMAPS = {"static": StaticSection, "articles": ArticleSection, "agents": AgentSection,
            "cancer-types": CancerTypeSection, "glossary": GlossarySection}  # fmt: skip


def _url_xml(section, entry, site):
    """One <url>: its address in each of its languages, each with the alternates, English as x-default."""
    alternates = [(language, site + section.path(language, entry.slug)) for language in entry.languages]
    if DEFAULT in entry.languages:
        alternates.append(("x-default", site + section.path(DEFAULT, entry.slug)))
    links = "".join(f"<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href={quoteattr(href)}/>"
                    for code, href in alternates)  # fmt: skip
    parts = []
    for _language, location in alternates[: len(entry.languages)]:
        lastmod = f"<lastmod>{entry.lastmod:%Y-%m-%d}</lastmod>" if entry.lastmod else ""
        changefreq = f"<changefreq>{section.changefreq}</changefreq>" if section.changefreq else ""
        priority = f"<priority>{section.priority}</priority>" if section.priority else ""
        parts.append(f"<url><loc>{escape(location)}</loc>{lastmod}{changefreq}{priority}{links}</url>")
    return "".join(parts)


def sitemap_section(request, section):
    """/sitemap-<section>.xml?p=N: one page of one section."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap section.")
    page = request.GET.get("p", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404("No such sitemap page.")
    scheme, host = scheme_and_host()
    sitemap = SITEMAPS[section]()
    if int(page) > sitemap.page_count():
        raise Http404("No such sitemap page.")
    entries = sitemap.entries(int(page))
    site = f"{scheme}://{host}"
    body = "".join(_url_xml(sitemap, entry, site) for entry in entries)
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:xhtml="http://www.w3.org/1999/xhtml">{body}</urlset>\n',
        content_type="application/xml",
    )
    dates = [entry.lastmod for entry in entries]
    if dates and all(dates):
        newest = max(dates)
        response.headers["Last-Modified"] = http_date(datetime.datetime.combine(newest, datetime.time()).timestamp())
    response.headers["X-Robots-Tag"] = ROBOTS
    return response


def sitemap_index(request, sitemaps=SITEMAPS):
    """/sitemap.xml: every page of every section, at the configured address (Django's own index takes the
    request's Host header, which would let a forged Host reach the page cache)."""
    scheme, host = scheme_and_host()
    items = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = f"{scheme}://{host}" + reverse("cytokines:sitemap-section", kwargs={"section": section})
        latest = sitemap.latest()
        lastmod = f"<lastmod>{latest:%Y-%m-%d}</lastmod>" if latest else ""
        pages = [location] + [f"{location}?p={page}" for page in range(2, sitemap.page_count() + 1)]
        items += [f"<sitemap><loc>{escape(page)}</loc>{lastmod}</sitemap>" for page in pages]
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{''.join(items)}</sitemapindex>\n",
        content_type="application/xml",
    )
    response.headers["X-Robots-Tag"] = ROBOTS
    return response


# Addresses no search engine should read: staff pages, staff calendars, outside reviewers' previews.
NOT_FOR_ROBOTS = ("/admin/", "/review-calendar/", "/review-preview/")


def robots_txt(request):
    """/robots.txt: where the sitemap is and what robots should leave alone, at the configured address."""
    scheme, host = scheme_and_host()
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in NOT_FOR_ROBOTS), "",
             f"Sitemap: {scheme}://{host}{reverse('cytokines:sitemap')}"]  # fmt: skip
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
