"""Machine-readable descriptions of public pages (schema.org JSON-LD)."""

import json

from django.utils.html import escape
from django.utils.safestring import mark_safe

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    """Return a <script type="application/ld+json"> block; escaping keeps editor text from closing it."""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def _person(person):
    """schema.org Person from a person as the revision recorded them (a dict)."""
    data = {"@type": "Person", "name": person["name"]}
    if person.get("credentials"):
        data["honorificSuffix"] = person["credentials"]
    if person.get("job_title"):
        data["jobTitle"] = person["job_title"]
    return data


def _citation(reference):
    item = {"@type": "ScholarlyArticle", "name": reference.title, "author": reference.authors,
            "datePublished": str(reference.year), "isPartOf": reference.container}  # fmt: skip
    if reference.doi:
        item["sameAs"] = reference.doi_url
    elif reference.url:
        item["url"] = reference.url
    return item


def article_jsonld(revision, url, agents):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": revision.title,
        "headline": revision.title,
        "description": revision.summary,
        "url": url,
        "inLanguage": revision.language,
        "datePublished": revision.published_at.date().isoformat() if revision.published_at else None,
        "dateModified": revision.last_revised,
        "lastReviewed": revision.last_reviewed,
        "reviewedBy": [_person(c) for c in revision.reviewers],
        "author": [_person(c) for c in revision.authors],
        "citation": [_citation(link["reference"]) for link in revision.numbered_references],
        "about": [{"@type": "Drug", "name": a.name} for a in agents],
    }
    faq_items = revision.content.get("faq", [])
    if faq_items:
        data["mainEntity"] = {
            "@type": "FAQPage",
            "mainEntity": [
                {"@type": "Question", "name": item["question"],
                 "acceptedAnswer": {"@type": "Answer", "text": escape(item["answer"])}}
                for item in faq_items
            ],
        }  # fmt: skip
    return jsonld_script({k: v for k, v in data.items() if v not in (None, [], "")})


def agent_jsonld(agent, url):
    data = {
        "@context": "https://schema.org",
        "@type": "Drug",
        "name": agent.name,
        "url": url,
        "description": agent.summary,
        "nonProprietaryName": agent.nonproprietary_name or None,
        "proprietaryName": agent.brand_name_list or None,
        "administrationRoute": agent.route_labels or None,
        "mechanismOfAction": agent.mechanism,
        "adverseOutcome": [{"@type": "MedicalEntity", "name": e.name} for e in agent.side_effects if e.serious]
        or None,
        "legalStatus": [
            {"@type": "DrugLegalStatus", "name": f"{a.get_regulator_display()}: {a.get_status_display()}"
             + (f" ({a.indication})" if a.indication else "")}
            for a in agent.approvals
        ]
        or None,
        "subjectOf": {"@type": "MedicalWebPage", "lastReviewed": agent.last_reviewed, "url": url},
    }
    return jsonld_script({k: v for k, v in data.items() if v is not None})
