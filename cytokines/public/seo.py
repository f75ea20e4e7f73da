"""Machine-readable descriptions of public pages (schema.org JSON-LD)."""

import json

from django.utils.html import escape
from django.utils.safestring import mark_safe

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    """Return a <script type="application/ld+json"> block; escaping keeps editor text from closing it."""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def _person(contributor):
    person = {"@type": "Person", "name": contributor.name}
    if contributor.credentials:
        person["honorificSuffix"] = contributor.credentials
    if contributor.job_title:
        person["jobTitle"] = contributor.job_title
    return person


def _citation(reference):
    item = {"@type": "ScholarlyArticle", "name": reference.title, "author": reference.authors,
            "datePublished": str(reference.year), "isPartOf": reference.container}  # fmt: skip
    if reference.doi:
        item["sameAs"] = reference.doi_url
    elif reference.url:
        item["url"] = reference.url
    return item


def article_jsonld(article, url, numbered_references, faq_items=()):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": article.language,
        "datePublished": article.published_at.date().isoformat() if article.published_at else None,
        "dateModified": article.last_revised,
        "lastReviewed": article.last_reviewed,
        "reviewedBy": [_person(c) for c in article.reviewers.all()],
        "author": [_person(c) for c in article.authors.all()],
        "citation": [_citation(link.reference) for link in numbered_references],
        "about": [{"@type": "Drug", "name": a.name} for a in article.agents.all()],
    }
    if faq_items:
        data["mainEntity"] = {
            "@type": "FAQPage",
            "mainEntity": [
                {"@type": "Question", "name": item.question,
                 "acceptedAnswer": {"@type": "Answer", "text": escape(item.answer)}}
                for item, _ in faq_items
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
        "adverseOutcome": [{"@type": "MedicalEntity", "name": e} for e in agent.serious_side_effect_list] or None,
        "legalStatus": [
            {"@type": "DrugLegalStatus", "name": f"{a.get_regulator_display()}: {a.get_status_display()}"}
            for a in agent.approvals.all()
        ]
        or None,
        "subjectOf": {"@type": "MedicalWebPage", "lastReviewed": agent.last_reviewed, "url": url},
    }
    return jsonld_script({k: v for k, v in data.items() if v is not None})
