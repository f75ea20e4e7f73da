"""Printable PDFs of live articles and fact sheets, in each page's own language.

Rendered from the live revision (the same pre-rendered HTML, citations and people readers see on the page)
through a print template with xhtml2pdf, a pure-Python HTML-to-PDF library (no system packages). A PDF is
made once per published version: the cache key holds the revision (revisions never change), its language
and the page's dates, because "Confirm review" moves the dates the PDF prints without a new revision.
"""

from io import BytesIO

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from cytokines.content.site_reads import live_site_settings
from cytokines.ops.site_url import absolute_url

CACHE_SECONDS = 30 * 24 * 3600  # a key never outlives its content; the time only bounds unused entries


def cache_key(revision):
    page = revision.article if revision._meta.model_name == "articlerevision" else revision.agent
    dates = "-".join(str(d or "") for d in (page.last_revised, page.last_reviewed, page.next_review_due))
    return f"pdf:{revision._meta.model_name}:{revision.pk}:{revision.language}:{dates}"


def pdf_for(revision, template, make_context):
    """The PDF bytes of ``revision`` (from the cache when this version was rendered before; ``make_context``
    gives the template's context only when it is rendered)."""
    key = cache_key(revision)
    data = cache.get(key)
    if data is None:
        data = render(revision, template, make_context())
        cache.set(key, data, CACHE_SECONDS)
    return data


def render(revision, template, context):
    from xhtml2pdf import pisa

    with translation.override(revision.language):
        html = render_to_string(template, {**context, "page": revision, "language": revision.language,
                                           "site": live_site_settings(),
                                           "page_url": absolute_url(revision.get_absolute_url())})  # fmt: skip
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"The PDF of {revision} could not be made ({result.err} errors).")
    return out.getvalue()
