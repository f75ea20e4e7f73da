"""What every dynamic response may be and say, in one middleware (static files are whitenoise's).

- A URL, query string or cookie holding a NUL character is refused with 400 before anything reads it:
  PostgreSQL text cannot hold NUL, so it would otherwise surface as a server error deep in a view.
- Shared caches (a CDN, a company proxy) may keep only what is the same for everybody: a response
  that sets a cookie (a form's CSRF cookie, a session) or is for a signed-in person is ``private``;
  everything varies on ``Cookie``, so a stored anonymous page is never handed to a signed-in editor.
- ``Cross-Origin-Resource-Policy: same-origin``: no other site may embed our pages or read them.
  (Permissions-Policy comes from django-permissions-policy, COOP from Django's SecurityMiddleware.)
"""

from urllib.parse import unquote_plus

from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

NUL_MESSAGE = "Web addresses and cookies cannot contain the character %00 (NUL). Please check the link."


def has_nul(request):
    return (
        "\x00" in request.path
        or "\x00" in unquote_plus(request.META.get("QUERY_STRING", ""))
        or any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items())
    )


def signed_in(request):
    user = getattr(request, "user", None)  # not there when the page cache answered: only for anonymous readers
    return user is not None and user.is_authenticated


class HttpPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            response = HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        else:
            response = self.get_response(request)
        if signed_in(request):
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            else:
                add_never_cache_headers(response)  # staff must always see their own latest edit
        elif response.cookies:
            patch_cache_control(response, private=True)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
