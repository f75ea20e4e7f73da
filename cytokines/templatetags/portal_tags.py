from django import template

from cytokines.ops import spelling as spelling_module

register = template.Library()


@register.filter
def http_url(value):
    """Return ``value`` only if it is an http(s) URL: a stored "javascript:" link must never become a link."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def get_item(mapping, key):
    """Look a key up in a dict from a template (``impact|get_item:value``)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def spelled(context, text):
    """Show an interface label in the site's spelling (``{% spelled label %}``); US English without settings."""
    return spelling_module.respell(text, getattr(context.get("site"), "spelling", "en-us"))
