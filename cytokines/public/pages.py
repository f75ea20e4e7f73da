"""Read services for public pages: what the templates need, shared by the public pages and the staff preview.

Articles and agents come pre-rendered from their revision (sanitized HTML with numbered citations, the contents,
formatted citations with their back links, people with credentials): no Markdown is rendered and no
citation formatted while a reader waits.
"""

from cytokines.content.revisions import AgentRevision
from cytokines.content.safety import FREQUENCY_FOR_READERS, FREQUENCY_ORDER, Frequency, SafetyTopic
from cytokines.public import related


def linked_agents(agent_ids):
    """The live fact sheets (revisions) of these agents, by name: how a page links to medicines readers can open."""
    revisions = AgentRevision.objects.live().select_related("agent").defer("content")
    return revisions.filter(agent__in=agent_ids).order_by("name")


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


def agent_context(revision, *, cancer_types):
    """The fact sheet's context for ``revision`` (live, or an unsaved one in a preview): everything comes
    pre-rendered from the revision, its safety information too; ``cancer_types`` are those it is approved
    for (what to read next)."""
    return {
        "agent": revision,
        "mechanism_html": revision.mechanism_html,
        "hospital_note_html": revision.hospital_note_html,
        "numbered_references": revision.numbered_references,
        "reviewers": revision.reviewers,
        "about_a_treatment": True,
        **agent_safety(revision),
        **agent_read_next(revision, cancer_types=cancer_types),
    }


def article_read_next(revision, *, agents):
    """Related articles, cancer types and their trial searches for an article's side column (two queries)."""
    cancer_types = list(revision.cancer_types.order_by("name"))
    return {
        "cancer_types": cancer_types,
        "read_next": related.related_articles(
            agent_ids=[agent.agent_id for agent in agents],
            cancer_type_ids=[cancer_type.pk for cancer_type in cancer_types],
            exclude_article_pk=revision.article_id,
        ),
        # Trials per cancer type here; each medicine's own page links its trials.
        "trial_links": related.trial_links(cancer_types=cancer_types),
    }


def agent_read_next(revision, *, cancer_types):
    """Articles and other medicines sharing this medicine or its approved cancer types (two queries)."""
    cancer_types = list(cancer_types)
    cancer_type_ids = [cancer_type.pk for cancer_type in cancer_types]
    return {
        "cancer_types": cancer_types,
        "read_next": related.related_articles(agent_ids=[revision.agent_id], cancer_type_ids=cancer_type_ids,
                                              limit=6),  # fmt: skip
        "related_agents": related.related_agents(cancer_type_ids=cancer_type_ids, exclude_pk=revision.agent_id),
        "trial_links": related.trial_links(agents=[revision]),
    }


def agent_safety(revision):
    """The fact sheet's safety information as the revision froze it, shaped for the page: the boxed-warning
    panel first, side effects grouped by frequency band (most frequent first) with the band in words, the
    other topics in a fixed order, and the regulatory status rows."""
    statements = {statement.topic: statement for statement in revision.safety_statements}
    effects = sorted(revision.side_effects, key=lambda e: (FREQUENCY_ORDER.get(e.frequency, 99), not e.serious,
                                                             e.position))  # fmt: skip
    bands = []
    for effect in effects:
        if not bands or bands[-1]["frequency"] != effect.frequency:
            name, words = FREQUENCY_FOR_READERS[Frequency(effect.frequency)]
            bands.append({"frequency": effect.frequency, "name": name, "words": words, "effects": []})
        bands[-1]["effects"].append(effect)
    topics = [statements[topic.value] for topic in SafetyTopic
              if topic != SafetyTopic.BOXED_WARNING and topic.value in statements]  # fmt: skip
    approvals = [{"approval": a, "is_approved": a.is_approved, "has_ended": a.has_ended,
                  "cancer_types": a.cancer_types} for a in revision.approvals]  # fmt: skip
    return {
        "boxed_warning": statements.get(SafetyTopic.BOXED_WARNING),
        "side_effect_bands": bands,
        "safety_topics": topics,
        "approvals": approvals,
    }


def is_about_a_treatment(*, agents=(), kind=""):
    """Pages about a treatment carry "Get help now": every fact sheet, and every article about a medicine or
    about treatment and its side effects."""
    return bool(agents) or kind in ("treatment", "side_effects")
