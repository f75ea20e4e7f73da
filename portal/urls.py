from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cytokines.urls")),
]

handler404 = "cytokines.views.page_not_found"
handler500 = "cytokines.views.server_error"
