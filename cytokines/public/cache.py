"""Whole-page cache for public pages, invalidated by replacing one content version.

Every write that can change a public page ends in ``cytokines.review.writes.content_changed``, which
replaces the content version (``cytokines.content.live_version``). Each cached page records the
content version it was rendered at and is served only while that is still the current version, so
one change retires every page at once on every app server sharing the cache. A hit costs one cache
round trip (page and version fetched together) and is answered by ``PublicPageCacheMiddleware``
before authentication, messages and the view run; misses render through the view, whose
``cached_public_page`` decorator stores the result.

What makes it safe under attack and outage (issues 13 and 22):
- Keys: the path plus only the query parameters the page declares, in canonical form. ``?utm=…`` or
  ``?cb=random`` reach the same entry; a value the page does not use as given (an unknown kind, a page
  number past the end) is rendered but never stored, so the number of entries is bounded by the content.
- The version is a random token, never a counter (``live_version``): if its key is evicted or lost,
  the new token cannot match any page stored before, so old pages never come back.
- An entry is good for the day it was rendered (the portal's time zone): date-dependent notices such
  as "due for review" are right from midnight.
- CSRF: the cached body is kept in pieces around the forms' own token fields and the reader's token is
  put between them; text an editor wrote is never searched or changed.
- Outage: any cache error is logged, the page renders from the database, and the cache is left alone
  for ``RETRY_SECONDS``. A version bump that failed is retried by this process before it serves
  anything from the cache again, so a publish never shows an error and never leaves old pages live.
- A made-up session cookie does not bypass the cache: only a session that is signed in does.
"""

import hashlib
import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from cytokines.content import live_version
from cytokines.content.live_version import VERSION_KEY, new_version
from cytokines.ops import languages
from cytokines.ops.replica import replica_reads

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60 * 24
RETRY_SECONDS = 1.0
CSRF_FIELD = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="([^"<>]*)">')
MESSAGES_COOKIE = "messages"  # settings.MESSAGE_STORAGE keeps messages in this cookie
_NOT_STORED = "public_page_not_stored"


class _Health:
    down_until = 0.0  # monotonic time before which the cache is not asked


def reset_health():
    """For tests: forget earlier failures."""
    _Health.down_until = 0.0
    live_version.forget_owed()


def _cache_call(method, *args, **kwargs):
    """Call the cache, or return ``None`` if it is (or just went) unavailable."""
    if time.monotonic() < _Health.down_until:
        return None
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as problem:  # any backend failure: refused, timed out, out of memory
        log.warning("Page cache unavailable (%s: %s); pages render from the database for now",
                    type(problem).__name__, problem)  # fmt: skip
        _Health.down_until = time.monotonic() + RETRY_SECONDS
        return None


def cache_get(key):
    return _cache_call("get", key)


def cache_set(key, value, timeout):
    _cache_call("set", key, value, timeout)


def _cache_usable():
    if time.monotonic() < _Health.down_until:
        return False
    if not live_version.settle():  # a bump this process owes could not be paid: pages may be stale
        _Health.down_until = time.monotonic() + RETRY_SECONDS
        return False
    return True


# --- which requests, which keys ------------------------------------------------------------------


def _signed_in_or_messaged(request):
    if MESSAGES_COOKIE in request.COOKIES:
        return True  # a reader with a pending message ("thank you") needs a fresh page
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return SESSION_KEY in request.session  # a made-up or expired cookie is an anonymous reader


def _may_use_cache(request):
    return settings.PUBLIC_PAGE_CACHE and request.method in ("GET", "HEAD") and not _signed_in_or_messaged(request)


def _page_key(request, params):
    """The key for this request, or None when a parameter value is not one the page stores."""
    parts = []
    for name, canonical in sorted(params.items()):
        if name in request.GET:
            value = canonical(request.GET[name])
            if value is None:
                return None
            if value:
                parts.append(f"{name}={value}")
    # The path carries the language (/es/...); the active language is named too, so a page can never be
    # served in the language it was not rendered in, however the language came to be chosen.
    text = languages.current() + " " + request.path + "?" + "&".join(parts)
    return "public-page:" + hashlib.sha256(text.encode()).hexdigest()


def do_not_store(request):
    """Views call this when the request asked for something that does not exist as asked."""
    setattr(request, _NOT_STORED, True)


def _lookup(key):
    """Return (entry or None, current version) in one round trip; (None, None) if the cache is down."""
    found = _cache_call("get_many", [VERSION_KEY, key])
    if found is None:
        return None, None
    version = found.get(VERSION_KEY)
    if version is None:  # first use, evicted or lost: a fresh token, so nothing older can match
        _cache_call("add", VERSION_KEY, new_version(), timeout=None)
        version = _cache_call("get", VERSION_KEY)
    entry = found.get(key)
    fresh = entry is not None and entry["version"] == version and entry["day"] == timezone.localdate().isoformat()
    return (entry if fresh else None), version


def _serve(request, entry):
    body = get_token(request).encode().join(entry["pieces"]) if len(entry["pieces"]) > 1 else entry["pieces"][0]
    not_modified = get_conditional_response(request, etag=entry["etag"], last_modified=None)
    response = not_modified or HttpResponse(
        b"" if request.method == "HEAD" else body, content_type=entry["content_type"]
    )
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified"]
    # Browsers may reuse a page briefly, then must revalidate (cheap: a 304 when nothing changed).
    # A page with a form sets the CSRF cookie, and HttpPolicyMiddleware then makes it private.
    patch_cache_control(response, public=True, max_age=60)
    return response


def _entry(response, version):
    pieces, start = [], 0
    for match in CSRF_FIELD.finditer(response.content):
        pieces.append(response.content[start : match.start(1)])
        start = match.end(1)
    pieces.append(response.content[start:])
    return {
        "version": version,
        "day": timezone.localdate().isoformat(),
        "pieces": pieces,
        "content_type": response["Content-Type"],
        "etag": f'W/"{hashlib.sha256(b"".join(pieces)).hexdigest()[:32]}"',
        "last_modified": response.get("Last-Modified") or http_date(),
    }


class PublicPageCacheMiddleware:
    """Answer cache hits early: after sessions and CSRF, before authentication, messages and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = _cached_view_params(request)
        if params is not None and _may_use_cache(request) and _cache_usable():
            key = _page_key(request, params)
            if key is not None:
                entry, version = _lookup(key)
                if entry is not None:
                    return _serve(request, entry)
                request.public_page_version = version  # a miss: the view's decorator need not ask again
        return self.get_response(request)


def remember_version(request, version):
    """Keep for this request the content version read with the site settings (one round trip gives both),
    unless this process owes a bump: then ``content_version`` answers None, as it would."""
    if version is not None and getattr(request, "public_page_version", None) is None and _cache_usable():
        request.public_page_version = version


def content_version(request):
    """The current content version, or None when the cache is unavailable (pieces of pages that show other
    pages are cached under it: cytokines/public/fragments.py)."""
    version = getattr(request, "public_page_version", None)
    if version is None and _cache_usable():
        version = _cache_call("get", VERSION_KEY)
        if version is None:  # first use, evicted or lost: a fresh token, as the page cache makes one
            _cache_call("add", VERSION_KEY, new_version(), timeout=None)
            version = _cache_call("get", VERSION_KEY)
        request.public_page_version = version
    return version


def _cached_view_params(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_cache_params", None)


def cached_public_page(view=None, *, params=None):
    """Store a public GET view's 200 responses for anonymous readers (the middleware serves them).

    ``params`` maps each query parameter the page uses to a function returning its canonical text
    ("" for the default, None for a value the page does not store).
    """
    if view is None:
        return lambda actual: cached_public_page(actual, params=params)
    params = dict(params or {})

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use_cache(request) or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _page_key(request, params)
        # Read the version before rendering, so a publish during the render retires this page.
        version = getattr(request, "public_page_version", None)
        if key is not None and version is None and _cache_usable():
            entry, version = _lookup(key)
            if entry is not None:
                return _serve(request, entry)
            request.public_page_version = version
        response = view(request, *args, **kwargs)
        if key is None or version is None or response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render"):
            response.render()
        if getattr(request, _NOT_STORED, False):
            return response
        entry = _entry(response, version)
        _cache_call("set", key, entry, PAGE_TIMEOUT)
        return _serve(request, entry)

    wrapper.public_cache_params = params
    return replica_reads(wrapper)  # public pages read the replica when there is one (cytokines/ops/replica.py)


# --- canonical forms of common parameters -----------------------------------------------------


def page_number(value):
    """``?page=`` as the paginator reads it: 1 is the default; only plain numbers are stored."""
    if not re.fullmatch(r"[1-9][0-9]{0,5}", value):
        return None
    return "" if value == "1" else value


def one_of(values):
    allowed = frozenset(values)
    return lambda value: value if value in allowed else None
