"""Whole-page cache for public pages, invalidated by bumping one content version.

Every write that can change a public page calls ``invalidate()`` (the workflow, the admin, imports).
Pages are cached per content version, so a bump makes every old entry unreachable at once, across
all app servers that share the cache. The CSRF token in a cached page is swapped for a fresh one on
every response, so a cached page never hands one reader's token to another.
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

VERSION_KEY = "public-content-version"
PAGE_TIMEOUT = 60 * 60 * 24
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"__CSRF_TOKEN__"
MESSAGES_COOKIE = "messages"  # settings.MESSAGE_STORAGE keeps messages in this cookie


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate():
    """Make every cached public page stale; call after any change readers could see."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (fresh cache): any value differs from the pages cached so far
        cache.add(VERSION_KEY, 2, timeout=None)


def _page_key(request, version):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{version}:{digest}"


def _serve(request, entry):
    from django.http import HttpResponse

    body = entry["body"]
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    not_modified = get_conditional_response(request, etag=entry["etag"], last_modified=None)
    response = not_modified or HttpResponse(body, content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified"]
    # Browsers may reuse a page briefly, then must revalidate (cheap: a 304 when nothing changed).
    patch_cache_control(response, public=True, max_age=60)
    return response


def cached_public_page(view):
    """Cache a public GET view's 200 responses for anonymous readers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PUBLIC_PAGE_CACHE:
            return view(request, *args, **kwargs)
        # Staff see drafts' effects and readers with a pending message (e.g. "thank you") need a fresh page.
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated or MESSAGES_COOKIE in request.COOKIES:
            return view(request, *args, **kwargs)
        version = content_version()
        key = _page_key(request, version)
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            body = CSRF_VALUE.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            entry = {
                "body": body,
                "content_type": response["Content-Type"],
                "etag": f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
                "last_modified": response.get("Last-Modified") or http_date(),
            }
            cache.set(key, entry, PAGE_TIMEOUT)
        return _serve(request, entry)

    return wrapper
