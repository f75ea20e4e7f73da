"""The site's URLs under one namespace (``cytokines:``): the public pages and the supporters' pages."""

from cytokines.public.urls import urlpatterns as public_urls
from cytokines.supporters.urls import urlpatterns as supporter_urls

app_name = "cytokines"
urlpatterns = [*public_urls, *supporter_urls]
