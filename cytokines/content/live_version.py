"""The public content version: one number every cached public page records when it is rendered.

Bumping it retires every cached page at once, on every app server sharing the cache. Only
``cytokines.review.writes.content_changed`` bumps it; the public page cache reads it.
"""

from django.core.cache import cache

VERSION_KEY = "public-content-version"


def bump():
    """Make every cached public page stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (fresh cache): any value differs from the pages cached so far
        cache.add(VERSION_KEY, 2, timeout=None)
