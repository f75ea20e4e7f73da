"""Rendered pieces of public pages, kept in the cache so a page rendered again does not render them again.

The whole-page cache serves anonymous readers; everything else renders: the first reader after every
publish, signed-in staff, previews of the live page, every page while the page cache is off. Most of
an article or fact sheet is the same on each of those renders, so the template marks those pieces with
``{% fragment key %}`` and the view names their keys:

- pieces showing only what one published revision froze (body, questions, references, who wrote it,
  the safety information) are keyed by the revision's id alone: a revision never changes, so the entry
  never goes stale (a new publish makes a new revision, with a new id);
- pieces that show other pages or the site settings (what to read next, the medicines named, the
  helpline box, JSON-LD with the review dates) are keyed by the revision and the current content
  version, which every publish and every settings change replaces (``content/live_version.py``).

The site's header navigation and footer links are pieces too (``chrome_keys``): the same on every page in
one language at one content version (which navigation item is current aside), so ``base.html`` renders
them once, not on every page.

Every key also holds a stamp of the templates, of the code shaping their data and of the static files'
hashed names, so a deploy that changes them never serves a piece rendered by the old code. Entries
expire after a week (Redis evicts only keys with an expiry). With the cache down, pieces render every time, as before.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from cytokines.public import cache as page_cache

log = logging.getLogger(__name__)

TIMEOUT = 7 * 24 * 60 * 60
_SOURCES = ("content/revisions.py", "content/safety.py", "public/pages.py", "public/seo.py", "public/related.py",
            "public/glossary.py", "public/glossary_links.py", "review/schedule.py", "quality/dashboard.py")


def _stamp():
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).glob("**/*.html")):
            digest.update(path.read_bytes())
    for name in _SOURCES:
        digest.update((package / name).read_bytes())
    manifest = Path(settings.STATIC_ROOT or ".") / "staticfiles.json"
    if manifest.is_file():  # the hashed names of static files the pieces link: a deploy may replace them
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


STAMP = _stamp()


def key(*parts):
    """The cache key of a piece; ``None`` when a part is unknown (e.g. no content version: the cache is down)."""
    if any(part is None or part == "" for part in parts):
        return None
    return "fragment:" + STAMP + ":" + ":".join(str(part) for part in parts)


class Loaded(dict):
    """Pieces found (key -> HTML), and which keys were asked for: a key not asked is fetched when shown."""

    def __init__(self, found, asked):
        super().__init__(found)
        self.asked = frozenset(asked)


def load(keys, request=None):
    """The pieces already rendered for ``keys`` (key -> HTML), in one round trip; none when the cache is down.
    With ``request``, the site header's and footer's pieces come in the same trip (``chrome_keys``)."""
    keys = [k for k in keys if k]
    if request is not None:
        keys += chrome_keys(request).keys
    if not keys:
        return Loaded({}, ())
    try:
        found = cache.get_many(keys)
    except Exception as problem:  # any backend failure: the pieces are rendered instead
        log.warning("Fragment cache unavailable (%s); rendering", type(problem).__name__)
        found = {}
    return Loaded(found, keys)


# The header navigation's items: on these pages one of them is marked as the current page.
NAVIGATION_PAGES = frozenset(("article-list", "agent-list", "about", "newsletter"))


class ChromeKeys:
    """Keys of the site header's navigation (``header``) and the footer's links (``footer``) for one request,
    computed when a template first asks (most admin pages never do)."""

    def __init__(self, request):
        version, self.language = page_cache.content_version(request), translation.get_language()
        url_name = getattr(getattr(request, "resolver_match", None), "url_name", None)
        current = url_name if url_name in NAVIGATION_PAGES else "-"
        self.header = key("header", self.language, version, current)
        self.footer = key("footer", self.language, version)
        self.keys = [k for k in (self.header, self.footer) if k]
        self._found = None

    def get(self, key):
        """A chrome piece the view did not fetch: both come in one trip, the first time either is shown."""
        if self._found is None:
            self._found = load(self.keys)
        return self._found.get(key)


def chrome_keys(request):
    keys = getattr(request, "_chrome_keys", None)
    if keys is None or keys.language != translation.get_language():
        keys = request._chrome_keys = ChromeKeys(request)
    return keys


def store(key, html, timeout=TIMEOUT):
    """Keep a rendered piece (or the small value a page is built from, e.g. its counterparts' slugs)."""
    try:
        cache.set(key, html, timeout)
    except Exception as problem:
        log.warning("Fragment cache unavailable (%s); not stored", type(problem).__name__)
