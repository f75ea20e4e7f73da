"""Snapshot builders: everything readers will see of a working copy, rendered once, at publish time.

Each reviewed kind registers a builder in ``KINDS``; the workflow calls it when it publishes, and the
preview calls it to show a working copy "as readers will see it". Builders read only plain fields and
related rows, so the data migration that made the first revisions uses them too.
"""

import hashlib
import json
from dataclasses import dataclass

from cytokines.content.citation_style import vancouver
from cytokines.content.rendering import contents, number_citations, render_markdown


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
    relations = {"cancer_types": list(article.cancer_types.values_list("pk", flat=True)),
                 "agents": list(article.agents.values_list("pk", flat=True))}  # fmt: skip
    return fields, relations


@dataclass(frozen=True)
class ReviewedKind:
    """How the workflow publishes one kind: its revision model and its snapshot builder."""

    revision_model_name: str
    snapshot: object


# Registration with the workflow: a new reviewed kind adds its entry here (see ARCHITECTURE.md).
KINDS = {"article": ReviewedKind("articlerevision", article_snapshot)}


def kind_of(page):
    return KINDS[page._meta.model_name]


def revision_model(page):
    return page._meta.apps.get_model("cytokines", kind_of(page).revision_model_name)


def build_revision(page, **extra):
    """An unsaved revision of ``page`` (and its related ids); the workflow saves it, the preview shows it."""
    fields, relations = kind_of(page).snapshot(page)
    return revision_model(page)(**{page._meta.model_name: page, **fields, **extra}), relations
