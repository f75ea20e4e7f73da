"""The language switcher, hreflang links and ``<html lang>`` (``{% load portal_languages %}``).

A view that shows content in one language puts ``alternate_urls`` ({code: path or None}) in its context
(``cytokines.public.alternates.content_alternates``); every other page gets the same path in each language.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cytokines.ops import languages
from cytokines.public.alternates import language_links as build_language_links

register = template.Library()


def _links(context):
    request = context.get("request")
    if request is None:
        return []
    cached = context.get("_language_links")
    if cached is None:
        cached = build_language_links(request, context.get("alternate_urls"))
        context.dicts[0]["_language_links"] = cached  # switcher and hreflang links ask once per page
    return cached


@register.simple_tag(takes_context=True)
def language_links(context):
    """``{% language_links as links %}``: code, name, url, exists, current, fallback_url, not_translated."""
    return _links(context)


@register.simple_tag(takes_context=True)
def alternate_url(context, code):
    """``{% alternate_url 'es' %}``: this page in that language (a path), or "" when it has none."""
    return next((row["url"] or "" for row in _links(context) if row["code"] == code), "")


@register.simple_tag(takes_context=True)
def html_lang(context):
    """The page's language for ``<html lang>``: the site's English spelling (en-us, en-gb) in English."""
    code = languages.current()
    if code == languages.DEFAULT:
        return getattr(context.get("site"), "spelling", None) or "en-us"
    return code


@register.filter
def lang_attr(code):
    """`` lang="en"`` when text in ``code`` sits on a page in another language (screen readers switch voice)."""
    code = str(code or languages.DEFAULT)
    return mark_safe(f' lang="{escape(code)}"') if code != languages.current() else ""  # noqa: S308
