"""Gzip HTML where it is safe: never a response that carries a secret an attacker could guess byte by byte.

Compressing a page that reflects attacker-chosen text next to a secret leaks the secret through the
compressed size (BREACH). So pages with a CSRF token, pages for a signed-in session, responses that set
cookies, private responses and pages whose address holds a secret token are sent uncompressed; everything
else (most public pages) is compressed.
Static files are compressed ahead of time by whitenoise and are not touched here.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from cytokines.ops.log_format import access_path

SECRET_MARKERS = (b'name="csrfmiddlewaretoken"',)
# Pages and public feeds only: JSON answers and calendar feeds can hold signed links, so they are left alone.
COMPRESSED_TYPES = ("text/html", "application/xml", "text/xml", "application/rss+xml", "application/atom+xml")


def carries_secrets(request, response):
    if response.cookies or "private" in response.get("Cache-Control", ""):
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True  # a signed-in page may show things only that person should see
    if access_path(request.path) != request.path:
        return True  # the address holds a secret (a gift's, a subscriber's, a preview's), and pages repeat it
    if response.streaming:
        return False
    return any(marker in response.content for marker in SECRET_MARKERS)


class SafeGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        if carries_secrets(request, response):
            patch_vary_headers(response, ("Accept-Encoding",))  # caches must not mix the two answers
            return response
        return super().process_response(request, response)
