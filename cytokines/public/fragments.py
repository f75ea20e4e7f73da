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

Every key also holds a stamp of the templates and of the code shaping their data, so a deploy that
changes them never serves a piece rendered by the old code. Entries expire after a week (Redis evicts
only keys with an expiry). With the cache down, pieces render every time, as before.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

TIMEOUT = 7 * 24 * 60 * 60
_SOURCES = ("content/revisions.py", "content/safety.py", "public/pages.py", "public/seo.py", "public/related.py",
            "public/glossary.py", "public/glossary_links.py")


def _stamp():
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).glob("**/*.html")):
            digest.update(path.read_bytes())
    for name in _SOURCES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:12]


STAMP = _stamp()


def key(*parts):
    """The cache key of a piece; ``None`` when a part is unknown (e.g. no content version: the cache is down)."""
    if any(part is None or part == "" for part in parts):
        return None
    return "fragment:" + STAMP + ":" + ":".join(str(part) for part in parts)


def load(keys):
    """The pieces already rendered for ``keys`` (key -> HTML), in one round trip; {} when the cache is down."""
    keys = [k for k in keys if k]
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception as problem:  # any backend failure: the pieces are rendered instead
        log.warning("Fragment cache unavailable (%s); rendering", type(problem).__name__)
        return {}


def store(key, html):
    try:
        cache.set(key, html, TIMEOUT)
    except Exception as problem:
        log.warning("Fragment cache unavailable (%s); not stored", type(problem).__name__)
