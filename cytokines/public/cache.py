"""Whole-page cache for public pages, invalidated by bumping one content version.

Every write that can change a public page ends in ``cytokines.review.writes.content_changed``, which
bumps the content version (``cytokines.content.live_version``). Each cached page records the content
version it was rendered at and is served only while that is still the current version, so one bump
retires every page at once on every app server sharing the cache. A hit costs one cache round trip
(page and version fetched together) and is answered by ``PublicPageCacheMiddleware`` before the rest
of the stack runs; misses render through the view, whose ``cached_public_page`` decorator stores the
result. The CSRF token in a cached page is swapped for a fresh one on every response, so a cached
page never hands one reader's token to another.
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from cytokines.content.live_version import VERSION_KEY

PAGE_TIMEOUT = 60 * 60 * 24
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"__CSRF_TOKEN__"
MESSAGES_COOKIE = "messages"  # settings.MESSAGE_STORAGE keeps messages in this cookie


def _page_key(request):
    return "public-page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()


def _may_use_cache(request):
    # Staff (a session) see their own edits; a reader with a pending message ("thank you") needs a fresh page.
    return (
        settings.PUBLIC_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _lookup(request):
    """Return (cached entry or None, current version) in one cache round trip."""
    key = _page_key(request)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    entry = found.get(key)
    return (entry if entry is not None and entry["version"] == version else None), version


def _serve(request, entry):
    body = entry["body"]
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    not_modified = get_conditional_response(request, etag=entry["etag"], last_modified=None)
    response = not_modified or HttpResponse(
        b"" if request.method == "HEAD" else body, content_type=entry["content_type"]
    )
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified"]
    # Browsers may reuse a page briefly, then must revalidate (cheap: a 304 when nothing changed).
    patch_cache_control(response, public=True, max_age=60)
    return response


class PublicPageCacheMiddleware:
    """Answer cache hits early: after sessions and CSRF, before authentication, messages and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _may_use_cache(request):
            entry, version = _lookup(request)
            if entry is not None:
                return _serve(request, entry)
            request.public_page_version = version  # a miss: the view's decorator need not ask the cache again
        return self.get_response(request)


def cached_public_page(view):
    """Store a public GET view's 200 responses for anonymous readers (the middleware serves them)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use_cache(request) or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        # Read the version before rendering, so a publish during the render retires this page.
        version = getattr(request, "public_page_version", None)
        entry = None
        if version is None:
            entry, version = _lookup(request)
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            body = CSRF_VALUE.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            entry = {
                "version": version,
                "body": body,
                "content_type": response["Content-Type"],
                "etag": f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
                "last_modified": response.get("Last-Modified") or http_date(),
            }
            cache.set(_page_key(request), entry, PAGE_TIMEOUT)
        return _serve(request, entry)

    return wrapper
