from django import template
from django.utils.safestring import mark_safe

from cytokines.ops import languages
from cytokines.ops import spelling as spelling_module
from cytokines.public import fragments

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
    """Show an interface label in the site's spelling (``{% spelled label %}``); US English without settings.

    Only English is respelled: a label in another language is already the catalogue's translation."""
    if languages.current() != languages.DEFAULT:
        return str(text)
    return spelling_module.respell(text, getattr(context.get("site"), "spelling", "en-us"))


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:  # a preview, or no content version: render as usual
            return self.nodelist.render(context)
        found = _fetched(context, key)
        if found is not None:
            return mark_safe(found)  # noqa: S308 - rendered, and escaped, by this same template
        html = self.nodelist.render(context)
        fragments.store(key, str(html))
        return html


def _fetched(context, key):
    loaded = context.get("fragments")
    if loaded is not None and key in getattr(loaded, "asked", loaded):
        return loaded.get(key)  # the view fetched every piece of its page in one round trip
    chrome = context.get("chrome")
    if chrome is not None and key in chrome.keys:
        return chrome.get(key)  # the site header and footer, fetched together
    return fragments.load([key]).get(key)


@register.tag
def fragment(parser, token):
    """``{% fragment key %}…{% endfragment %}``: the piece rendered once per key (cytokines/public/fragments.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one argument: the piece's key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
