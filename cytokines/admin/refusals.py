"""A refused admin request is an admin page with the reason as an error message, never a bare 403 page.

The views and the workflow raise ``PermissionDenied("why")``; this handler (``handler403``) shows that
reason in the admin's own message box with a way back to the page. The status stays 403, so nothing
that counts on the refusal (tests, logs, scripts) sees a success. Public pages keep Django's 403 page.
"""

import re

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import defaults

GENERIC = "You may not do that: your role does not include this step or page."
# /admin/<app>/<model>/<pk>/<anything>/ → that object's change page, the place the request came from.
OBJECT_PATH = re.compile(r"^(?P<base>.*/admin/[a-z_]+/[a-z_]+/)(?P<pk>\d+)/")


def back_url(request):
    match = OBJECT_PATH.match(request.path)
    if match:
        return f"{match['base']}{match['pk']}/change/"
    return reverse("admin:index")


def refused(request, reason=""):
    """The admin page that says why a request was refused (status 403)."""
    messages.error(request, reason or GENERIC)
    context = {**admin.site.each_context(request), "title": "Not done", "back_url": back_url(request)}
    return TemplateResponse(request, "admin/cytokines/refused.html", context, status=403)


def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    if request.path.startswith(reverse("admin:index")) and user is not None and user.is_active and user.is_staff:
        return refused(request, str(exception or "")).render()
    return defaults.permission_denied(request, exception)
