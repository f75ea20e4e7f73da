"""Addresses in a page's own language: a Spanish page lives under the Spanish prefix whatever language the
request that links to it is in (the switcher, hreflang alternates, sitemaps and search results all ask here)."""

from django.urls import reverse
from django.utils import translation


def localized_reverse(name, language, **kwargs):
    """``reverse(name)`` as a reader of ``language`` would be sent to it."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs)
