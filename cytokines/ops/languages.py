"""Language in the URL: English at the plain paths, Spanish (and any later language) under its prefix (/es/...).

The language is read from the path only. No cookie and no Accept-Language header decides it, so the
same URL is always the same page: the public page cache, shared caches and search engines see one
language per address, and nobody is redirected away from the page they asked for.

``LanguagePrefix`` is Django's ``LocalePrefixPattern`` without the rule that it must sit in the root
URLconf: the public pages take it inside ``cytokines.urls``, beside the addresses that stay unprefixed
(feeds, sitemaps, webhooks, JSON, previews), so all keep their one ``cytokines:`` namespace.
"""

import re

from django.conf import settings
from django.urls import NoReverseMatch, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import translation

DEFAULT = "en"


def supported():
    """The language codes readers can choose, the default (unprefixed) one first."""
    return [code for code, _name in settings.LANGUAGES]


def _base(code):
    return str(code or DEFAULT).split("-")[0].lower()


def current():
    """The active language as one of ``supported()`` (``en`` when none or an unknown one is active)."""
    code = _base(translation.get_language())
    return code if code in supported() else DEFAULT


def prefix(code):
    """The path prefix of a language: "" for English, "es/" for Spanish."""
    code = _base(code)
    return "" if code == DEFAULT or code not in supported() else f"{code}/"


_PREFIXED = re.compile(r"^/([a-z]{2})/")


def language_from_path(path):
    """The language a path is in: its prefix when that is a supported language, else English."""
    match = _PREFIXED.match(path)
    if match and match.group(1) != DEFAULT and match.group(1) in supported():
        return match.group(1)
    return DEFAULT


class LanguagePrefix:
    """A URL pattern matching the active language's prefix ("" for English); reversing adds it."""

    converters = {}

    @property
    def regex(self):
        return re.compile(re.escape(self.language_prefix))

    @property
    def language_prefix(self):
        return prefix(translation.get_language())

    def match(self, path):
        language_prefix = self.language_prefix
        if path.startswith(language_prefix):
            return path.removeprefix(language_prefix), (), {}
        return None

    def check(self):
        return []

    def describe(self):
        return f"'{self}'"

    def __str__(self):
        return self.language_prefix


class PathLanguageMiddleware:
    """Activate the language of the path for the whole request; say it in Content-Language.

    Placed before the page cache (which resolves the path, and the prefix only matches in its own
    language) and before CommonMiddleware (whose slash check resolves too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_from_path(request.path_info)
        request.LANGUAGE_CODE = language
        # For this request only: the thread goes back to its language after it (a worker's next request,
        # or a test's next ``reverse``, must not inherit Spanish).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def url_in_language(path, language):
    """The same page in ``language`` (a path), or None when the path is not a page that has languages.

    Works for any public page whose URL does not name content in one language (lists, search, forms,
    trust pages); content pages (an article, a fact sheet) supply their translations' URLs themselves.
    """
    try:
        with translation.override(language_from_path(path)):
            match = resolve(path)
        with translation.override(language):
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return None
    # An address outside the prefixed pages (a feed, the sitemap) has no version in another language.
    return url if language_from_path(url) == _base(language) else None


def reverse_in(language, viewname, *args, **kwargs):
    """``reverse`` as it answers in ``language`` (``/es/articles/x/`` for ``es``)."""
    with translation.override(language):
        return reverse(viewname, *args, **kwargs)


class SlugPaths:
    """The paths of one slug-addressed page kind in any language, from one reversed pattern per language.

    For lists of thousands of addresses (a sitemap page, a saved-pages bucket), where reversing each one
    cost more than reading the rows. Slugs are ASCII letters, digits, hyphens and underscores (the
    ``slug`` converter), so they go into the path as they are.
    """

    MARK = "slug-path-mark"

    def __init__(self, url_name):
        self.url_name = url_name
        self._patterns = {}

    def __call__(self, language, slug):
        pattern = self._patterns.get(language)
        if pattern is None:
            pattern = self._patterns[language] = reverse_in(language, self.url_name, args=[self.MARK])
        return pattern.replace(self.MARK, slug)
