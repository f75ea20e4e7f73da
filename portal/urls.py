from django.contrib import admin
from django.urls import include, path

from cytokines.ops import health

urlpatterns = [
    path("healthz/live", health.live, name="health-live"),
    path("healthz/ready", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
    # The e-mail service's bounce and complaint reports (django-anymail), e.g. /mail-events/postmark/tracking/
    path("mail-events/", include("anymail.urls")),
    path("", include("cytokines.urls")),
]

handler403 = "cytokines.admin.refusals.permission_denied"  # admin: the reason as an admin message
handler404 = "cytokines.public.views.page_not_found"
handler500 = "cytokines.public.views.server_error"
