"""The site's URLs under one namespace (``cytokines:``): public pages, supporters' pages, outside previews."""

from django.urls import path

from cytokines.admin.preview_links import outside_preview
from cytokines.public.urls import urlpatterns as public_urls
from cytokines.supporters.urls import urlpatterns as supporter_urls

app_name = "cytokines"
urlpatterns = [
    *public_urls,
    *supporter_urls,
    # A pending revision shown to an outside reviewer: the secret in the link is the key (review.preview_links).
    path("review-preview/<str:token>/", outside_preview, name="outside-preview"),
]
