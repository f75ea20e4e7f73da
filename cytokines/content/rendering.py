"""Turn editor-written Markdown into safe HTML for public pages.

Markdown is converted first, then the HTML is cleaned with nh3 (a well-kept
sanitizer) so nothing an editor pastes can run script on a reader's page.
"""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "a", "sup", "sub", "code", "pre", "abbr",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "sup": {"class"}, "th": {"scope"}}
RENDER_VERSION = 1  # bump when the output of render_markdown changes, so cached HTML is re-rendered
CITATION = re.compile(r"\[(\d{1,3})\](?![(:])")


def render_markdown(text, *, cited_positions=frozenset()):
    """Return sanitized HTML; ``[n]`` becomes a link to reference n when n is in ``cited_positions``."""

    def cite(match):
        number = int(match.group(1))
        if number not in cited_positions:
            return match.group(0)
        return f'<sup class="cite"><a href="#ref-{number}" title="Reference {number}">[{number}]</a></sup>'

    # Citations become HTML before Markdown runs, so the sanitizer checks them like everything else.
    html = markdown.markdown(CITATION.sub(cite, text or ""), extensions=["tables", "sane_lists"])
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # Wide tables scroll sideways on phones instead of breaking the layout.
    html = html.replace("<table>", '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>')
    html = html.replace("</table>", "</table></div>")
    return mark_safe(html)  # noqa: S308 - cleaned by nh3 above
