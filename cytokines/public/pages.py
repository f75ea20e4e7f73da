"""Read services for public pages: what the templates need, shared by the public pages and the staff preview.

Articles and agents come pre-rendered from their revision (sanitized HTML with numbered citations, the contents,
formatted citations with their back links, people with credentials): no Markdown is rendered and no
citation formatted while a reader waits.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe

from cytokines.content.revisions import AgentRevision
from cytokines.content.safety import FREQUENCY_FOR_READERS, FREQUENCY_ORDER, Frequency, SafetyTopic
from cytokines.public import fragments, glossary, related, seo


class Once:
    """A value computed at its first use, then kept. Templates call it when they show it, so a piece of the
    page served from the fragment cache never runs its queries (cytokines/public/fragments.py)."""

    def __init__(self, compute):
        self._compute, self._done, self._value = compute, False, None

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def live_article_context(revision, *, url, version):
    """The live article page's context: ``article_context`` and what to read next, each part computed only
    if a piece that shows it is rendered; and the keys of the cached pieces (``version``: the content
    version, None without a cache)."""
    agents = Once(lambda: list(linked_agents(revision.agents.all(), language=revision.language)))
    side = Once(lambda: article_read_next(revision, agents=agents()))
    language = revision.language
    return {
        "about_a_treatment": Once(lambda: is_about_a_treatment(agents=agents(), kind=revision.kind)),
        "article": revision,
        # The glossary is written in English: its words are linked in English text only. Keyed by the
        # content version too: publishing a glossary term changes which words are linked.
        "body_html": Once(lambda: _linked_body(revision)),
        "glossary_linked": language == "en",
        "contents": Once(lambda: revision.contents),
        "faq_items": Once(lambda: revision.faq_items),
        "numbered_references": Once(lambda: revision.numbered_references),
        "authors": Once(lambda: revision.authors),
        "reviewers": Once(lambda: revision.reviewers),
        "agents": agents,
        "cancer_types": Once(lambda: side()["cancer_types"]),
        "read_next": Once(lambda: side()["read_next"]),
        "trial_links": Once(lambda: side()["trial_links"]),
        "jsonld": Once(lambda: seo.article_jsonld(revision, url, agents())),
        # The top of the page shows the page's review dates: a new day can make it "due for review".
        "top_fragment": fragments.key("article-top", revision.pk, language, version, timezone.localdate()),
        "body_fragment": fragments.key("article-body", revision.pk, language, version),
        "main_fragment": fragments.key("article", revision.pk, language),
        "side_fragment": fragments.key("article-side", revision.pk, language, version),
        "jsonld_fragment": fragments.key("article-jsonld", revision.pk, language, version),
    }


def _linked_body(revision):
    if revision.language != "en":
        return revision.body_html
    return mark_safe(glossary.linked_body(revision))  # noqa: S308 - sanitized when published, then linked


def live_agent_context(revision, *, url, version):
    """The live fact sheet's context, lazily as ``live_article_context``."""
    cancer_types = Once(lambda: list(revision.approved_cancer_types.order_by("name")))
    side = Once(lambda: agent_read_next(revision, cancer_types=cancer_types()))
    safety = Once(lambda: agent_safety(revision))
    language = revision.language
    context = {
        "agent": revision,
        "mechanism_html": Once(lambda: revision.mechanism_html),
        "hospital_note_html": Once(lambda: revision.hospital_note_html),
        "numbered_references": Once(lambda: revision.numbered_references),
        "reviewers": Once(lambda: revision.reviewers),
        "about_a_treatment": True,
        "jsonld": Once(lambda: seo.agent_jsonld(revision, url)),
        # The facts show labels in the site's spelling (site settings): keyed by the content version too.
        "top_fragment": fragments.key("agent-top", revision.pk, language, version, timezone.localdate()),
        "facts_fragment": fragments.key("agent-facts", revision.pk, language, version),
        "main_fragment": fragments.key("agent", revision.pk, language),
        "side_fragment": fragments.key("agent-side", revision.pk, language, version),
        "jsonld_fragment": fragments.key("agent-jsonld", revision.pk, language, version),
    }
    for name in ("boxed_warning", "side_effect_bands", "safety_topics", "approvals"):
        context[name] = Once(lambda name=name: safety()[name])
    for name in ("cancer_types", "read_next", "related_agents", "trial_links"):
        context[name] = Once(lambda name=name: side()[name])
    return context


def fragment_keys(context):
    return [value for name, value in context.items() if name.endswith("_fragment") and value]


def linked_agents(agent_ids, *, language="en"):
    """The live fact sheets (revisions) of these agents, by name: how a page links to medicines readers can open.
    A page in another language links each medicine's fact sheet in that language where one is live, else the
    English one (one query)."""
    revisions = AgentRevision.objects.live().select_related("agent").defer("content")
    if language == "en":
        return revisions.filter(agent__in=agent_ids).order_by("name")
    found = list(revisions.filter(Q(agent__in=agent_ids) | Q(agent__translation_of__in=agent_ids, language=language)))
    translated = {r.agent.translation_of_id for r in found if r.language == language}
    return sorted([r for r in found if r.language == language or r.agent_id not in translated],
                  key=lambda r: r.name.lower())  # fmt: skip


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
            agent_ids=[agent.agent.translation_of_id or agent.agent_id for agent in agents],
            cancer_type_ids=[cancer_type.pk for cancer_type in cancer_types],
            exclude_article_pk=revision.article_id,
            language=revision.language,
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
        "read_next": related.related_articles(
            agent_ids=[revision.agent.translation_of_id or revision.agent_id], cancer_type_ids=cancer_type_ids,
            limit=6, language=revision.language,
        ),  # fmt: skip
        "related_agents": related.related_agents(cancer_type_ids=cancer_type_ids, exclude_pk=revision.agent_id,
                                                 language=revision.language),  # fmt: skip
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
