"""Read services for public pages: what the templates need, shared by the public pages and the staff preview.

Articles come pre-rendered from their revision (sanitized HTML with numbered citations, the contents,
formatted citations with their back links, people with credentials): no Markdown is rendered and no
citation formatted while a reader waits.
"""

from cytokines.content.rendering import number_citations, render_markdown
from cytokines.public import related


def article_context(revision, *, agents):
    """The article template's context for ``revision`` (live, or an unsaved one in a preview)."""
    return {
        "article": revision,
        "body_html": revision.body_html,
        "contents": revision.contents,
        "faq_items": revision.faq_items,
        "numbered_references": revision.numbered_references,
        "authors": revision.authors,
        "reviewers": revision.reviewers,
        "agents": list(agents),
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


def article_read_next(revision, *, agents):
    """Related articles, cancer types and their trial searches for an article's side column (two queries)."""
    cancer_types = list(revision.cancer_types.order_by("name"))
    return {
        "cancer_types": cancer_types,
        "read_next": related.related_articles(
            agent_ids=[agent.pk for agent in agents],
            cancer_type_ids=[cancer_type.pk for cancer_type in cancer_types],
            exclude_article_pk=revision.article_id,
        ),
        # Trials per cancer type here; each medicine's own page links its trials.
        "trial_links": related.trial_links(cancer_types=cancer_types),
    }


def agent_read_next(agent):
    """Articles and other medicines sharing this medicine or its approved cancer types (two queries)."""
    cancer_types = related.approved_cancer_types(agent)
    cancer_type_ids = [cancer_type.pk for cancer_type in cancer_types]
    return {
        "cancer_types": cancer_types,
        "read_next": related.related_articles(agent_ids=[agent.pk], cancer_type_ids=cancer_type_ids, limit=6),
        "related_agents": related.related_agents(cancer_type_ids=cancer_type_ids, exclude_pk=agent.pk),
        "trial_links": related.trial_links(agents=[agent]),
    }
