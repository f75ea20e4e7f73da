"""Every editor-controlled field that reaches a public page, against a list of XSS payloads.

Rich text (article bodies, FAQ answers) is sanitized by nh3; everything else is escaped by templates.
The oracle (html_checks.active_content) fails on any element, attribute or URL a browser would run.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cytokines.models import Agent, Article, FaqItem, RegulatoryApproval

from ..factories import (
    AgentFactory,
    ArticleFactory,
    ArticleReferenceFactory,
    CancerTypeFactory,
    ContributorFactory,
    ReferenceFactory,
)
from .html_checks import active_content

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<iframe src=javascript:alert(1)></iframe>",
    "</script><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="&#106;avascript:alert(1)">entity</a>',
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "{{ 7|add:7 }}{% now 'Y' %}",
]


def article_with_reference(**article_fields):
    article = ArticleFactory(**article_fields)
    ArticleReferenceFactory(article=article, position=1)
    return article


def _article_field(field):
    def make(payload):
        article = article_with_reference(**{field: payload})
        return [article.get_absolute_url(), reverse("cytokines:article-list"), reverse("cytokines:home")]

    return make


def _faq(field):
    def make(payload):
        article = article_with_reference(kind=Article.Kind.FAQ)
        FaqItem.objects.create(article=article, position=1, **{"question": "Q?", "answer": "A.", field: payload})
        return [article.get_absolute_url()]

    return make


def _reference(field):
    def make(payload):
        article = ArticleFactory()
        ArticleReferenceFactory(article=article, position=1, reference=ReferenceFactory(doi="", **{field: payload}))
        return [article.get_absolute_url()]

    return make


def _contributor(field, relation):
    def make(payload):
        article = article_with_reference()
        getattr(article, relation).add(ContributorFactory(**{field: payload}))
        return [article.get_absolute_url()]

    return make


def _agent(field):
    def make(payload):
        agent = AgentFactory(**{field: payload})
        return [agent.get_absolute_url(), reverse("cytokines:agent-list"), reverse("cytokines:search") + "?q=a"]

    return make


def _approval_note(payload):
    agent = AgentFactory()
    RegulatoryApproval.objects.create(agent=agent, regulator="fda", status="approved", indication=payload,
                                      source_url=payload)  # fmt: skip
    return [agent.get_absolute_url()]


def _side_effect(field):
    def make(payload):
        agent = AgentFactory()
        label = ReferenceFactory(title=payload, container=payload)
        agent.side_effects.create(reference=label, **{"name": "Fever", "what_to_do": "Rest.", field: payload})
        return [agent.get_absolute_url()]

    return make


def _safety_statement(field):
    def make(payload):
        agent = AgentFactory()
        label = ReferenceFactory(container=payload)
        values = {"text": "Line", "label_section": "Boxed warning", field: payload}
        for topic in ("boxed_warning", "vaccines"):
            agent.safety_statements.create(topic=topic, reference=label, **values)
        return [agent.get_absolute_url()]

    return make


def _cancer_type(field):
    def make(payload):
        cancer = CancerTypeFactory(**{field: payload})
        article_with_reference().cancer_types.add(cancer)
        return [cancer.get_absolute_url(), reverse("cytokines:home")]

    return make


FIELDS = {
    "article title": _article_field("title"),
    "article summary": _article_field("summary"),
    "article body": _article_field("body"),
    "faq question": _faq("question"),
    "faq answer": _faq("answer"),
    "reference authors": _reference("authors"),
    "reference title": _reference("title"),
    "reference journal": _reference("container"),
    "reference url": _reference("url"),
    "reference availability note": _reference("availability_note"),
    "author name": _contributor("name", "authors"),
    "author credentials": _contributor("credentials", "authors"),
    "author conflict of interest": _contributor("conflict_of_interest", "authors"),
    "reviewer name": _contributor("name", "reviewers"),
    "agent name": _agent("name"),
    "agent brand names": _agent("brand_names"),
    "agent summary": _agent("summary"),
    "agent mechanism": _agent("mechanism"),
    "side effect name": _side_effect("name"),
    "side effect what to do": _side_effect("what_to_do"),
    "safety statement text": _safety_statement("text"),
    "safety statement label section": _safety_statement("label_section"),
    "agent hospital note": _agent("hospital_note"),
    "approval indication and source": _approval_note,
    "cancer type name": _cancer_type("name"),
    "cancer type summary": _cancer_type("summary"),
}


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", list(FIELDS))
def test_no_payload_in_any_editor_field_becomes_active_content(client, field, payload):
    urls = FIELDS[field](payload)
    for url in urls:
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert active_content(html) == [], f"{field} on {url}"
        assert "14" + "2026" not in html  # template syntax in content is never evaluated


def test_the_oracle_catches_what_it_must():
    assert active_content('<p><img src=x onerror="alert(1)"></p>')
    assert active_content('<a href=" javascript:alert(1)">x</a>')
    assert active_content("<script>alert(1)</script>")
    assert active_content('<script type="application/ld+json">{"a": 1}</script><script>x</script>')
    assert active_content('<script type="application/ld+json">{"a": "</script>')
    assert active_content('<p style="color:red">x</p>')
    assert active_content('<script type="application/ld+json">{"a": 1}</script>') == []


def test_payloads_are_shown_as_text_not_dropped(client):
    article = article_with_reference(title="<script>alert(1)</script> and more")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and more" in html


def test_draft_agent_payloads_never_reach_the_public(client):
    AgentFactory(status=Agent.Status.DRAFT, last_reviewed=None, next_review_due=None, name="<script>x</script>")
    assert "<script>x" not in client.get(reverse("cytokines:agent-list")).content.decode()
