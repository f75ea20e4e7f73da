"""The site's URLs under one namespace (``cytokines:``): public pages, supporters' pages, outside previews.

Pages readers read are in every language: English at the plain paths, Spanish under /es/
(``ops.languages.LanguagePrefix``; ``reverse`` answers in the active language). Addresses machines
read (feeds, sitemaps, webhooks, JSON) and staff links stay unprefixed.
"""

from django.urls import URLResolver, path

from cytokines.admin.preview_links import outside_preview
from cytokines.ops.languages import LanguagePrefix
from cytokines.public.urls import unprefixed_urlpatterns as public_unprefixed
from cytokines.public.urls import urlpatterns as public_urls
from cytokines.supporters.urls import unprefixed_urlpatterns as supporter_unprefixed
from cytokines.supporters.urls import urlpatterns as supporter_urls

app_name = "cytokines"
urlpatterns = [
    *public_unprefixed,
    *supporter_unprefixed,
    # A pending revision shown to an outside reviewer: the secret in the link is the key (review.preview_links).
    path("review-preview/<str:token>/", outside_preview, name="outside-preview"),
    URLResolver(LanguagePrefix(), [*public_urls, *supporter_urls]),
]
