"""The public content version: one token every cached public page records when it is rendered.

Replacing it retires every cached page at once, on every app server sharing the cache. Only
``cytokines.review.writes.content_changed`` bumps it; the public page cache reads it.

It is a random token, not a counter: if its key is evicted or lost (a Redis restart), the token made
next cannot equal the one any stored page was rendered at, so old pages never come back. A bump runs
after the transaction has committed, so it must never raise: if the cache is down the failure is
logged and owed, and ``settle()`` (called by the page cache before it serves anything) pays it.
"""

import logging
import uuid

from django.core.cache import cache

from cytokines.ops import replica

log = logging.getLogger(__name__)

VERSION_KEY = "public-content-version"


class _Owed:
    bump = False  # a bump failed in this process and has not been retried successfully yet


def new_version():
    return uuid.uuid4().hex


def made_if_missing():
    """The version after making one if there was none (first use, a flush, an eviction). May raise."""
    cache.add(VERSION_KEY, new_version(), timeout=None)
    return cache.get(VERSION_KEY)


def bump():
    """Make every cached public page stale. Never raises."""
    # First, so a request that sees the new version also sees how far a replica must have replayed.
    replica.note_primary_position()
    try:
        cache.set(VERSION_KEY, new_version(), timeout=None)
    except Exception:  # the commit has happened: the editor must not see an error, and pages must not stay old
        log.exception("Could not retire the cached public pages; retrying before the cache is used again")
        _Owed.bump = True
        return False
    _Owed.bump = False
    return True


def settle():
    """Retry an owed bump; True when nothing is owed (the cached pages may be used)."""
    return bump() if _Owed.bump else True


def forget_owed():
    """For tests: start without an owed bump."""
    _Owed.bump = False
