"""Absolute URLs come from configuration (PORTAL_BASE_URL), never from the request.

A request's Host header is the client's to write: Django checks it against ALLOWED_HOSTS but ignores
the port, so ``Host: portal.example.org:1234`` gets through. A page built from it would put that
address into canonical links, JSON-LD, feeds, the sitemap and e-mails, and the page cache would hand
it to everyone. So every absolute URL starts with the configured base instead.
"""

from urllib.parse import urlsplit

from django.conf import settings


def base_url():
    """``scheme://host[:port]`` of the public site, without a trailing slash."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(path=""):
    return base_url() + path


def scheme_and_host():
    parts = urlsplit(base_url())
    return parts.scheme, parts.netloc
