"""The same page in the other languages: the language switcher and hreflang links read one answer.

An interface page (home, lists, search, forms, trust pages) exists in every language at the same
path under the language's prefix. A content page (an article, a fact sheet) exists only in the
languages it has been written and reviewed in: its view puts ``alternate_urls`` in the template
context, ``{language code: path or None}`` (``content_alternates`` builds it), and a language with
``None`` has no version yet. The switcher then leads to that language's section page and says so.
"""

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import translation

from cytokines.ops import languages
from cytokines.ops.site_url import absolute_url

# Where the switcher leads when the page has no version in the other language: the same section.
SECTION_OF = {
    "article-detail": "cytokines:article-list",
    "article-feedback": "cytokines:article-list",
    "article-feedback-comment": "cytokines:article-list",
    "agent-detail": "cytokines:agent-list",
}

LANGUAGE_NAMES = {"en": "English", "es": "Español"}  # each in its own language, as switchers show them


def interface_alternates(path):
    """{code: path or None} for a page whose URL names no content in one language."""
    return {code: languages.url_in_language(path, code) for code in languages.supported()}


def content_alternates(language, url, translations=None):
    """{code: path or None} for content written in ``language`` at ``url`` with ``translations``
    ({code: path}) — the hook for translated articles and fact sheets."""
    found = {code: None for code in languages.supported()}
    found.update(translations or {})
    found[language] = url
    return found


def misplaced_redirect_target(alternates, language):
    """Where a content page written in ``language`` belongs when asked for under another language's prefix,
    or None when it is in place.

    /es/articles/<an English article>/ goes to the article's Spanish translation when it has one, else to
    the article where it lives: a page is served only in its own language, so no two addresses show it.
    """
    here = languages.current()
    if language == here:
        return None
    return alternates.get(here) or alternates.get(language)


def language_links(request, supplied=None):
    """One row per language for the switcher and the hreflang links."""
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", None)
    alternates = supplied if supplied is not None else interface_alternates(request.path_info)
    here = languages.current()
    rows = []
    for code in languages.supported():
        url = alternates.get(code)
        row = {"code": code, "name": LANGUAGE_NAMES.get(code, code), "url": url, "exists": url is not None,
               "current": code == here, "absolute_url": absolute_url(url) if url else None}  # fmt: skip
        if url is None:
            with translation.override(code):
                try:
                    row["fallback_url"] = languages.reverse_in(code, SECTION_OF.get(url_name, "cytokines:home"))
                except NoReverseMatch:
                    row["fallback_url"] = languages.reverse_in(code, "cytokines:home")
                row["not_translated"] = translation.gettext("This page is not translated yet")
        rows.append(row)
    return rows


def counterpart_slugs(revision, page_field):
    """{language: live slug} of the same page in the other languages: its English source, if it is a
    translation, and its own translations (one small query; views keep the answer per content version)."""
    page = getattr(revision, page_field)
    family = Q(**{f"{page_field}__translation_of_id": page.pk})
    if page.translation_of_id:
        family |= Q(**{f"{page_field}_id": page.translation_of_id})
    live = type(revision).objects.live().order_by()
    return dict(live.filter(family).exclude(pk=revision.pk).values_list("language", "slug"))


def revision_alternates(revision, url_name, slugs):
    """``content_alternates`` of a live revision whose counterparts live at ``slugs`` (``counterpart_slugs``)."""
    found = {code: languages.reverse_in(code, url_name, args=[slug]) for code, slug in slugs.items()
             if code in languages.supported() and code != revision.language}  # fmt: skip
    return content_alternates(revision.language, revision.get_absolute_url(), found)
