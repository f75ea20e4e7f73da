"""Snapshot builders: everything readers will see of a working copy, rendered once, at publish time.

Each reviewed kind registers a builder in ``KINDS``; the workflow calls it when it publishes, and the
preview calls it to show a working copy "as readers will see it". Builders read only plain fields and
related rows, so the data migration that made the first revisions uses them too.
"""

import hashlib
import json
from dataclasses import dataclass

from cytokines.content.agents import Agent
from cytokines.content.citation_style import vancouver
from cytokines.content.glossary import split_synonyms
from cytokines.content.rendering import contents, number_citations, render_markdown

PLACES = tuple(Agent.Place.values)  # the order the page lists them in


def _person(contributor):
    return {"name": contributor.name, "credentials": contributor.credentials, "job_title": contributor.job_title,
            "conflict_of_interest": contributor.conflict_of_interest, "slug": contributor.slug}  # fmt: skip


def _reference(position, reference):
    doi, pmid = reference.doi, reference.pmid
    return {
        "position": position, "citation": vancouver(reference), "title": reference.title,
        "authors": reference.authors, "year": reference.year, "container": reference.container,
        "doi": doi, "doi_url": f"https://doi.org/{doi}" if doi else "", "pmid": pmid,
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "", "url": reference.url,
        "accessed_on": reference.accessed_on.isoformat() if reference.accessed_on else "",
        "availability_note": reference.availability_note,
    }  # fmt: skip


def fingerprint(content, **fields):
    """A hash of what readers read: it tells whether a new revision changes the text ("last revised")."""
    faq = [(item["question"], item["answer"]) for item in content["faq"]]
    readable = {**fields, "body": content.get("body", ""), "faq": faq,
                "references": [r["citation"] for r in content["references"]]}  # fmt: skip
    return hashlib.sha256(json.dumps(readable, sort_keys=True, default=str).encode()).hexdigest()


def article_snapshot(article):
    """Return (fields, many-to-many ids) of an ArticleRevision made from the working copy ``article``."""
    links = list(article.article_references.select_related("reference").order_by("position"))
    cited = frozenset(link.position for link in links)
    items = list(article.faq_items.order_by("position"))
    # Rendered once, as readers will read it: section ids for the contents, every citation numbered so
    # each reference links back to where it was cited.
    body = render_markdown(article.body, cited_positions=cited, heading_ids=True)
    answers = [render_markdown(item.answer, cited_positions=cited) for item in items]
    (body_html, *answers_html), backlinks = number_citations([body, *answers])
    faq = [{"question": item.question, "answer": item.answer, "answer_html": str(html)}
           for item, html in zip(items, answers_html, strict=True)]  # fmt: skip
    references = [{**_reference(link.position, link.reference), "backlinks": backlinks.get(link.position, [])}
                  for link in links]  # fmt: skip
    content = {
        "body": article.body,
        "body_html": str(body_html),
        "contents": contents(body_html),
        "faq": faq,
        "references": references,
        "authors": [_person(c) for c in article.authors.order_by("name")],
        "reviewers": [_person(c) for c in article.reviewers.order_by("name")],
    }
    fields = {"title": article.title, "slug": article.slug, "summary": article.summary, "kind": article.kind,
              "language": article.language, "is_featured": article.is_featured}  # fmt: skip
    fields["content"] = content
    fields["fingerprint"] = fingerprint(content, title=article.title, summary=article.summary)
    # A translation: the English version it translates (getattr: the data migrations before translations existed
    # build revisions with historical models that have no such column).
    fields["source_revision_id"] = getattr(article, "source_revision_id", None)
    relations = {"cancer_types": list(article.cancer_types.values_list("pk", flat=True)),
                 "agents": list(article.agents.values_list("pk", flat=True))}  # fmt: skip
    return fields, relations


def _agent_references(agent):
    """The fact sheet's references, numbered in this order: its own, then the labels and papers its safety
    information comes from (statements, then side effects)."""
    references = list(agent.references.all())
    for row in [*agent.safety_statements.order_by("topic"), *agent.side_effects.order_by("position", "pk")]:
        if row.reference is not None and row.reference not in references:
            references.append(row.reference)
    return references


def _source(row, references):
    """A safety row's source, frozen: the citation and its number in the reference list."""
    if row.reference is None:
        return {"reference": None, "source_position": None}
    return {"reference": {"title": row.reference.title, "container": row.reference.container},
            "source_position": references.index(row.reference) + 1}  # fmt: skip


def _approvals(agent):
    """The regulatory status per regulator and use, as readers see it (values; the page shows their labels)."""
    approvals = agent.approvals.order_by("regulator", "year_approved", "indication").prefetch_related("cancer_types")
    return [{"regulator": a.regulator, "indication": a.indication, "status": a.status,
             "year_approved": a.year_approved, "year_ended": a.year_ended, "source_url": a.source_url,
             "checked_on": a.checked_on.isoformat() if a.checked_on else "",
             "cancer_types": [{"name": c.name, "slug": c.slug} for c in a.cancer_types.order_by("name")]}
            for a in approvals]  # fmt: skip


def _side_effects(agent):
    references = _agent_references(agent)
    return [{"name": e.name, "frequency": e.frequency, "serious": e.serious, "what_to_do": e.what_to_do,
             "position": e.position, **_source(e, references)}
            for e in agent.side_effects.select_related("reference").order_by("position", "pk")]  # fmt: skip


def _safety_statements(agent):
    references = _agent_references(agent)
    return [{"topic": s.topic, "text": s.text, "not_applicable": s.not_applicable, "label_section": s.label_section,
             "checked_on": s.checked_on.isoformat() if s.checked_on else "", **_source(s, references)}
            for s in agent.safety_statements.select_related("reference").order_by("topic")]  # fmt: skip


# Every set of related rows an agent's revision freezes, by its key in the revision's content: a builder
# taking the working copy and returning plain data. A new set adds its entry here; the fingerprint, the
# comparison and the data migration of existing pages pick it up from here.
AGENT_RELATED_SETS = {
    "approvals": _approvals,
    "side_effects": _side_effects,
    "safety_statements": _safety_statements,
}

# The agent's own fields readers see, frozen in the revision's content (columns: name, slug, class, names, summary).
AGENT_CONTENT_FIELDS = ("mechanism", "routes", "places", "hospital_note", "trial_search_term")
AGENT_COLUMNS = ("name", "slug", "agent_class", "nonproprietary_name", "brand_names", "summary")
# Facts whose change asks every published article about the medicine for a medical review (with the related sets).
AGENT_FACT_FIELDS = ("routes", "places", "mechanism")


def agent_snapshot(agent):
    """Return (fields, many-to-many ids) of an AgentRevision made from the working copy ``agent``."""
    references = _agent_references(agent)
    cited = frozenset(range(1, len(references) + 1))
    (mechanism_html, hospital_note_html), backlinks = number_citations(
        [render_markdown(text, cited_positions=cited) for text in (agent.mechanism, agent.hospital_note)]
    )
    content = {name: getattr(agent, name) for name in AGENT_CONTENT_FIELDS}
    content["routes"] = sorted(set(content["routes"] or []))
    content["places"] = [place for place in PLACES if place in set(content["places"] or [])]
    content.update({name: build(agent) for name, build in AGENT_RELATED_SETS.items()})
    content.update({
        "mechanism_html": str(mechanism_html),
        "hospital_note_html": str(hospital_note_html),
        "references": [{**_reference(n, ref), "backlinks": backlinks.get(n, [])}
                       for n, ref in enumerate(references, 1)],
        "reviewers": [_person(c) for c in agent.reviewers.order_by("name")],
    })  # fmt: skip
    fields = {name: getattr(agent, name) for name in AGENT_COLUMNS}
    readable = {**fields, **{k: v for k, v in content.items() if k not in {"references", "reviewers"}
                             and not k.endswith("_html")},
                "references": [r["citation"] for r in content["references"]]}  # fmt: skip
    fields["content"] = content
    fields["fingerprint"] = hashlib.sha256(json.dumps(readable, sort_keys=True, default=str).encode()).hexdigest()
    # Outside the fingerprint: the language and base of a translation are not text readers read.
    # getattr: the data migration that gave agents their first revisions (0033) runs with historical models
    # from before translations, which have none of these columns.
    fields["language"] = getattr(agent, "language", "en")
    fields["source_revision_id"] = getattr(agent, "source_revision_id", None)
    if getattr(agent, "translation_of_id", None) is not None:
        # The English names too, so a search in either language finds the translated fact sheet.
        source = agent.translation_of
        content["source_names"] = " ".join(filter(None, [source.name, source.nonproprietary_name, source.brand_names]))
    approved = agent.approvals.filter(status="approved").values_list("cancer_types", flat=True)
    relations = {"approved_cancer_types": sorted({pk for pk in approved if pk is not None})}
    return fields, relations


def glossary_term_snapshot(term):
    """Return (fields, many-to-many ids) of a GlossaryTermRevision made from the working copy ``term``."""
    fields = {"name": term.name, "slug": term.slug, "synonyms": ", ".join(split_synonyms(term.synonyms)),
              "definition": term.definition.strip()}  # fmt: skip
    content = {
        # The medicines it is about, by name: the comparison shows reviewers when they change.
        "agents": sorted(term.agents.values_list("name", flat=True)),
        "authors": [_person(c) for c in term.authors.order_by("name")],
        "reviewers": [_person(c) for c in term.reviewers.order_by("name")],
    }
    fields["content"] = content
    readable = {key: fields[key] for key in ("name", "synonyms", "definition")}
    fields["fingerprint"] = hashlib.sha256(json.dumps(readable, sort_keys=True).encode()).hexdigest()
    return fields, {}


@dataclass(frozen=True)
class ReviewedKind:
    """How the workflow publishes one kind: its revision model and its snapshot builder."""

    revision_model_name: str
    snapshot: object


# Registration with the workflow: a new reviewed kind adds its entry here (see ARCHITECTURE.md).
KINDS = {
    "article": ReviewedKind("articlerevision", article_snapshot),
    "agent": ReviewedKind("agentrevision", agent_snapshot),
    "glossaryterm": ReviewedKind("glossarytermrevision", glossary_term_snapshot),
}


def kind_of(page):
    return KINDS[page._meta.model_name]


def revision_model(page):
    return page._meta.apps.get_model("cytokines", kind_of(page).revision_model_name)


def build_revision(page, **extra):
    """An unsaved revision of ``page`` (and its related ids); the workflow saves it, the preview shows it."""
    fields, relations = kind_of(page).snapshot(page)
    model = revision_model(page)
    # A data migration builds revisions with the historical revision model of its time: columns added later
    # (a translation's language and source) are left out there, and only there.
    columns = {name for field in model._meta.concrete_fields for name in (field.name, field.attname)}
    fields = {name: value for name, value in fields.items() if name in columns}
    return model(**{page._meta.model_name: page, **fields, **extra}), relations
