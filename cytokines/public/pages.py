"""Read services for article pages: what the template needs, shared by the public page and the staff preview."""

import hashlib

from django.utils.safestring import mark_safe

from cytokines.content.rendering import RENDER_VERSION, contents, number_citations, render_markdown
from cytokines.public.cache import cache_get, cache_set


def article_context(article):
    """Build what the article template needs; shared by the public page and the staff preview."""
    numbered_references = list(article.article_references.all())
    cited = frozenset(link.position for link in numbered_references)
    faq_items = list(article.faq_items.all())
    (body_html, *answers_html), backlinks = number_citations(rendered_article_text(article, faq_items, cited))
    for link in numbered_references:
        link.backlinks = backlinks.get(link.position, [])
    return {
        "article": article,
        "body_html": body_html,
        "contents": contents(body_html),
        "faq_items": list(zip(faq_items, answers_html, strict=True)),
        "numbered_references": numbered_references,
    }


def agent_citations(agent):
    """Number the fact sheet's references and link ``[n]`` in "how it works" and the hospital note to them."""
    references = list(agent.references.all())
    cited = frozenset(range(1, len(references) + 1))
    (mechanism_html, hospital_note_html), backlinks = number_citations(
        [render_markdown(text, cited_positions=cited) for text in (agent.mechanism, agent.hospital_note)]
    )
    numbered = [
        {"position": n, "reference": ref, "backlinks": backlinks.get(n, [])} for n, ref in enumerate(references, 1)
    ]
    return {"mechanism_html": mechanism_html, "hospital_note_html": hospital_note_html, "numbered_references": numbered}


def rendered_article_text(article, faq_items, cited):
    """Markdown → sanitized HTML for the body and FAQ answers, cached by the text it was made from.

    The key is a hash of everything the output depends on (the body, the FAQ answers, the cited
    positions, the renderer's version), so an edit can never be served stale HTML.
    """
    parts = [article.body, *(item.answer for item in faq_items)]
    fingerprint = hashlib.sha256("\x1f".join([*parts, ",".join(map(str, sorted(cited)))]).encode()).hexdigest()
    key = f"article-html:{RENDER_VERSION}:{fingerprint}"
    html = cache_get(key)  # None also while the cache is unavailable: render from the text
    if html is None:
        html = [str(render_markdown(text, cited_positions=cited, heading_ids=True)) for text in parts]
        cache_set(key, html, 60 * 60 * 24 * 7)
    return [mark_safe(fragment) for fragment in html]  # noqa: S308 - sanitized by render_markdown
