from django import template

register = template.Library()


@register.filter
def http_url(value):
    """Return ``value`` only if it is an http(s) URL: a stored "javascript:" link must never become a link."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""
