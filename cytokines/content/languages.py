"""Addresses in a page's own language: a Spanish page lives under the Spanish prefix whatever language the
request that links to it is in (the switcher, hreflang alternates, sitemaps and search results all ask here)."""

from django.urls import reverse
from django.utils import translation


def localized_reverse(name, language, **kwargs):
    """``reverse(name)`` as a reader of ``language`` would be sent to it."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def content_language():
    """The language of the pages a request lists and searches: the active interface language when pages
    exist in it, else English (the sources)."""
    from .reviewed import Language

    code = (translation.get_language() or "en").split("-")[0].lower()
    return code if code in Language.values else Language.ENGLISH.value
