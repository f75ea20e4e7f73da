"""Read services for public pages: what the templates need, shared by the public pages and the staff preview.

Articles come pre-rendered from their revision (sanitized HTML with numbered citations, the contents,
formatted citations with their back links, people with credentials): no Markdown is rendered and no
citation formatted while a reader waits.
"""

from cytokines.content.agents import RegulatoryApproval
from cytokines.content.rendering import number_citations, render_markdown
from cytokines.content.safety import FREQUENCY_FOR_READERS, FREQUENCY_ORDER, Frequency, SafetyTopic
from cytokines.public import related


def article_context(revision, *, agents):
    """The article template's context for ``revision`` (live, or an unsaved one in a preview)."""
    agents = list(agents)
    return {
        "about_a_treatment": is_about_a_treatment(agents=agents, kind=revision.kind),
        "article": revision,
        "body_html": revision.body_html,
        "contents": revision.contents,
        "faq_items": revision.faq_items,
        "numbered_references": revision.numbered_references,
        "authors": revision.authors,
        "reviewers": revision.reviewers,
        "agents": agents,
    }


def agent_citations(agent):
    """Number the fact sheet's references and link ``[n]`` in "how it works" and the hospital note to them.

    The labels and papers the safety information comes from follow the fact sheet's own references.
    """
    references = list(agent.references.all())
    for source in safety_sources(agent):
        if source not in references:
            references.append(source)
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


def safety_sources(agent):
    """References of the side effects and safety statements (from their prefetch), in page order."""
    rows = [*agent.safety_statements.all(), *agent.side_effects.all()]
    seen = []
    for row in rows:
        if row.reference is not None and row.reference not in seen:
            seen.append(row.reference)
    return seen


def agent_safety(agent, numbered_references):
    """The fact sheet's safety information, shaped for the page: the boxed-warning panel first, side effects
    grouped by frequency band (most frequent first) with the band in words, the other topics in a fixed
    order, and each source's number in the reference list."""
    position = {link["reference"].pk: link["position"] for link in numbered_references}
    statements = {statement.topic: statement for statement in agent.safety_statements.all()}
    for statement in statements.values():
        statement.source_position = position.get(statement.reference_id)
    effects = sorted(agent.side_effects.all(), key=lambda e: (FREQUENCY_ORDER.get(e.frequency, 99), not e.serious,
                                                               e.position, e.pk))  # fmt: skip
    bands = []
    for effect in effects:
        effect.source_position = position.get(effect.reference_id)
        if not bands or bands[-1]["frequency"] != effect.frequency:
            name, words = FREQUENCY_FOR_READERS[Frequency(effect.frequency)]
            bands.append({"frequency": effect.frequency, "name": name, "words": words, "effects": []})
        bands[-1]["effects"].append(effect)
    topics = [statements[topic.value] for topic in SafetyTopic
              if topic != SafetyTopic.BOXED_WARNING and topic.value in statements]  # fmt: skip
    return {
        "boxed_warning": statements.get(SafetyTopic.BOXED_WARNING),
        "side_effect_bands": bands,
        "safety_topics": topics,
        "approvals": agent_approvals(agent),
    }


def agent_approvals(agent):
    """Regulatory status rows; a withdrawn or discontinued use is never an approval (its own wording)."""
    rows = []
    for approval in agent.approvals.all():
        ended = approval.status in RegulatoryApproval.ENDED
        rows.append({"approval": approval, "is_approved": approval.is_approved, "has_ended": ended,
                     "cancer_types": list(approval.cancer_types.all())})  # fmt: skip
    return rows


def is_about_a_treatment(*, agents=(), kind=""):
    """Pages about a treatment carry "Get help now": every fact sheet, and every article about a medicine or
    about treatment and its side effects."""
    return bool(agents) or kind in ("treatment", "side_effects")
