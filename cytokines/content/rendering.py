"""Turn editor-written Markdown into safe HTML for public pages.

Markdown is converted first, then the HTML is cleaned with nh3 (a well-kept
sanitizer) so nothing an editor pastes can run script on a reader's page.
"""

import re
from collections import defaultdict

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "a", "sup", "sub", "code", "pre", "abbr",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "sup": {"class"}, "th": {"scope"}}
RENDER_VERSION = 2  # bump when the output of render_markdown changes, so cached HTML is re-rendered
CITATION = re.compile(r"\[(\d{1,3})\](?![(:])")


H2 = re.compile(r"<h2>(.*?)</h2>", re.S)
CITE_LINK = re.compile(r'<sup class="cite"><a href="#ref-(\d+)"')


def render_markdown(text, *, cited_positions=frozenset(), heading_ids=False):
    """Return sanitized HTML; ``[n]`` becomes a link to reference n when n is in ``cited_positions``.

    ``heading_ids`` gives each ``h2`` an id (added after sanitizing, so editors cannot set ids) for the
    page's "On this page" contents.
    """

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
    if heading_ids:
        html = _add_heading_ids(html)
    return mark_safe(html)  # noqa: S308 - cleaned by nh3 above


def _add_heading_ids(html):
    used = defaultdict(int)

    def add_id(match):
        base = "section-" + (slugify(strip_tags(match.group(1)))[:60] or "part")
        used[base] += 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        return f'<h2 id="{anchor}">{match.group(1)}</h2>'

    return H2.sub(add_id, html)


def contents(html):
    """The (id, text) of each section heading that ``render_markdown(..., heading_ids=True)`` made."""
    return [(anchor, strip_tags(text)) for anchor, text in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', str(html), re.S)]


def number_citations(fragments):
    """Give every citation link an id, so each reference can link back to where it was cited.

    ``fragments`` are rendered HTML parts of one page (body, FAQ answers), numbered in reading order.
    Returns the fragments with ids added and ``{position: [citation ids]}``.
    """
    backlinks = defaultdict(list)

    def add_id(match):
        position = int(match.group(1))
        anchor = f"cite-{position}-{len(backlinks[position]) + 1}"
        backlinks[position].append(anchor)
        return f'<sup class="cite" id="{anchor}"><a href="#ref-{position}"'

    numbered = [mark_safe(CITE_LINK.sub(add_id, str(fragment))) for fragment in fragments]  # noqa: S308
    return numbered, dict(backlinks)
