"""A read-only link to a pending revision for an outside specialist without an admin login."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cytokines.models import Article, PreviewLink, ReviewEvent
from cytokines.review import preview_links, workflow

from .admin_helpers import change_url, login, published_article

pytestmark = pytest.mark.django_db
S = Article.Status
PENDING = "Pending wording from the outside review [1]."


def pending_article():
    article = published_article()
    Article.objects.filter(pk=article.pk).update(body=PENDING, status=S.MEDICAL_REVIEW)
    article.refresh_from_db()
    return article


def make_link(client, user, article, **data):
    login(client, user)
    response = client.post(reverse("admin:cytokines_article_preview_link", args=[article.pk]),
                           {"reviewer_name": "Dr Olu Ade, dermatologist", **data})  # fmt: skip
    return response


def link_url(response):
    html = response.content.decode()
    return html.split('id="preview-link-url" type="text" class="vTextField full-width" readonly value="')[1].split('"')[
        0
    ]


def path_of(url):
    return url[url.index("/review-preview/") :]


def test_an_editor_makes_a_link_that_shows_the_pending_revision_without_admin_controls(staff):
    article = pending_article()
    made = make_link(Client(), staff["editor"], article)
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    link = PreviewLink.objects.get()
    assert link.expires_at - link.created_at == datetime.timedelta(days=7)  # the default
    url = path_of(link_url(made))
    token = url.split("/")[2]
    assert token not in link.token_hash and len(token) >= 40  # stored only as a hash

    response = Client().get(url)  # the outside reviewer: no login
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="prose"><p>{PENDING[:-4]}' in html  # the pending revision, not the live text
    assert '<div class="prose"><p>Some text citing a study' not in html
    assert 'id="revision-comparison"' in html and "Preview for review by Dr Olu Ade, dermatologist" in html
    assert "/admin/" not in html and "csrfmiddlewaretoken" not in html and 'method="post"' not in html.lower()
    assert response["X-Robots-Tag"].startswith("noindex") and '<meta name="robots" content="noindex' in html
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"


def test_each_use_is_recorded_in_the_review_history(staff):
    article = pending_article()
    url = path_of(link_url(make_link(Client(), staff["reviewer"], article)))
    Client().get(url)
    Client().get(url)
    events = ReviewEvent.objects.filter(article=article, action__startswith="preview_link").order_by("pk")
    assert [e.action for e in events] == ["preview_link_created", "preview_link_used", "preview_link_used"]
    assert events[0].actor == staff["reviewer"] and "Dr Olu Ade" in events[0].comment
    assert "Dr Olu Ade, dermatologist" in events[1].comment and events[1].actor is None
    assert (PreviewLink.objects.get().uses, events[1].to_status) == (2, S.MEDICAL_REVIEW)


def test_an_expired_link_does_not_open(staff):
    article = pending_article()
    url = path_of(link_url(make_link(Client(), staff["editor"], article, days="1")))
    PreviewLink.objects.update(created_at=timezone.now() - datetime.timedelta(days=3),
                               expires_at=timezone.now() - datetime.timedelta(seconds=1))  # fmt: skip
    response = Client().get(url)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert PENDING not in response.content.decode()
    assert not ReviewEvent.objects.filter(action="preview_link_used").exists()


def test_a_revoked_link_does_not_open(staff):
    article = pending_article()
    editor = Client()
    url = path_of(link_url(make_link(editor, staff["editor"], article)))
    link = PreviewLink.objects.get()
    page = editor.get(change_url(article)).content.decode()
    assert "Dr Olu Ade, dermatologist" in page and ">Revoke</button>" in page
    revoke = reverse("admin:cytokines_article_preview_link_revoke", args=[article.pk, link.pk])
    assert editor.get(revoke).status_code == 302 and PreviewLink.objects.get().revoked_at is None  # GET changes nothing
    assert editor.post(revoke).status_code == 302
    response = Client().get(url)
    assert (
        response.status_code == 410
        and "withdrawn" in response.content.decode()
        and PENDING not in response.content.decode()
    )
    assert ReviewEvent.objects.filter(article=article, action="preview_link_revoked", actor=staff["editor"]).exists()


TAMPERED = {
    "changed": lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    "shortened": lambda t: t[:-2],
    "lengthened": lambda t: t + "x",
    "guessed": lambda t: "0" * len(t),
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_link_does_not_open(staff, tamper):
    article = pending_article()
    url = path_of(link_url(make_link(Client(), staff["editor"], article)))
    token = url.split("/")[2]
    response = Client().get(f"/review-preview/{tamper(token)}/")
    assert response.status_code == 404 and PENDING not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_link_is_read_only(staff):
    article = pending_article()
    url = path_of(link_url(make_link(Client(), staff["editor"], article)))
    assert Client().post(url).status_code == 405
    assert Client(enforce_csrf_checks=True).post(url, {"body": "x"}).status_code in {403, 405}
    article.refresh_from_db()
    assert article.body == PENDING


def test_once_the_revision_is_published_the_link_shows_nothing(staff, make_user):
    article = published_article()
    Article.objects.filter(pk=article.pk).update(body=PENDING, status=S.DRAFT)
    url = path_of(link_url(make_link(Client(), staff["editor"], article)))
    Article.objects.filter(pk=article.pk).update(status=S.PUBLISHED)  # as after publishing
    response = Client().get(url)
    assert response.status_code == 410 and "no longer under review" in response.content.decode()


@pytest.mark.parametrize("role", ["writer", "nobody"])
def test_only_editors_and_medical_reviewers_make_or_revoke_links(staff, role):
    article = pending_article()
    response = make_link(Client(), staff[role], article)
    assert response.status_code == 403 and not PreviewLink.objects.exists()
    link, _ = preview_links.create(article, user=staff["editor"], reviewer_name="Dr Olu Ade")
    client = login(Client(), staff[role])
    revoke = reverse("admin:cytokines_article_preview_link_revoke", args=[article.pk, link.pk])
    assert client.post(revoke).status_code == 403 and PreviewLink.objects.get().revoked_at is None


def test_anonymous_visitors_cannot_make_links_and_get_makes_none(staff):
    article = pending_article()
    url = reverse("admin:cytokines_article_preview_link", args=[article.pk])
    assert Client().post(url, {"reviewer_name": "x"}).status_code == 302  # to the login page
    assert login(Client(), staff["editor"]).get(url).status_code == 302
    assert not PreviewLink.objects.exists()


def test_bad_input_says_what_is_wrong_and_makes_nothing(staff):
    article = pending_article()
    client = Client()
    for data, message in [({"reviewer_name": " "}, "Say who the link is for"), ({"days": "90"}, "from 1 to 30 days"),
                          ({"days": "soon"}, "whole number")]:  # fmt: skip
        response = make_link(client, staff["editor"], article, **data)
        assert response.status_code == 302
        assert message in client.get(response.url).content.decode()
    live = published_article()  # nothing pending to share
    response = make_link(client, staff["editor"], live)
    assert "no revision under review to share" in client.get(response.url).content.decode()
    assert not PreviewLink.objects.exists()


def test_the_change_page_offers_links_only_to_who_may_make_them(staff):
    article = pending_article()
    assert 'id="preview-links"' in login(Client(), staff["editor"]).get(change_url(article)).content.decode()
    assert 'id="preview-links"' not in login(Client(), staff["writer"]).get(change_url(article)).content.decode()
    workflow.can_edit(staff["writer"], article)  # the writer still sees the page itself


def test_a_fact_sheets_pending_revision_can_be_shared_too(staff):
    """Fact sheets go through the same review; an outside specialist reads their pending wording the same way."""
    from cytokines.models import Agent

    from .test_agent_revisions import live_agent

    agent = live_agent(summary="The reviewed summary.")
    Agent.objects.filter(pk=agent.pk).update(summary="A pending summary for the outside reviewer.",
                                             status=Agent.Status.MEDICAL_REVIEW)  # fmt: skip
    client = login(Client(), staff["reviewer"])
    assert 'id="preview-link-form"' in client.get(change_url(agent)).content.decode()
    made = client.post(reverse("admin:cytokines_agent_preview_link", args=[agent.pk]),
                       {"reviewer_name": "Dr Ana Ruiz, haematologist"})  # fmt: skip
    assert made.status_code == 200
    response = Client().get(path_of(link_url(made)))
    html = response.content.decode()
    assert response.status_code == 200 and "A pending summary for the outside reviewer." in html
    assert 'id="revision-comparison"' in html and "/admin/" not in html
    events = ReviewEvent.objects.filter(agent=agent, action__startswith="preview_link").order_by("pk")
    assert [e.action for e in events] == ["preview_link_created", "preview_link_used"]


def test_a_glossary_terms_pending_definition_can_be_shared_too(staff):
    """Glossary meanings are medically reviewed as well; an outside specialist can read the pending wording."""
    from cytokines.models import GlossaryTerm

    from ..factories import GlossaryTermFactory

    term = GlossaryTermFactory(name="cytokine release syndrome", definition="The reviewed meaning.")
    GlossaryTerm.objects.filter(pk=term.pk).update(definition="A pending meaning for the outside reviewer.",
                                                   status=GlossaryTerm.Status.MEDICAL_REVIEW)  # fmt: skip
    client = login(Client(), staff["reviewer"])
    assert 'id="preview-link-form"' in client.get(change_url(term)).content.decode()
    made = client.post(reverse("admin:cytokines_glossaryterm_preview_link", args=[term.pk]),
                       {"reviewer_name": "Dr Ana Ruiz, intensive care"})  # fmt: skip
    assert made.status_code == 200
    response = Client().get(path_of(link_url(made)))
    html = response.content.decode()
    assert response.status_code == 200 and "A pending meaning for the outside reviewer." in html
    assert "Preview for review by Dr Ana Ruiz, intensive care." in html and "/admin/" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    events = ReviewEvent.objects.filter(glossaryterm=term, action__startswith="preview_link").order_by("pk")
    assert [e.action for e in events] == ["preview_link_created", "preview_link_used"]


def test_a_fact_sheet_opened_by_a_preview_link_says_who_it_is_for(staff):
    from cytokines.models import Agent

    from .test_agent_revisions import live_agent

    agent = live_agent(summary="The reviewed summary.")
    Agent.objects.filter(pk=agent.pk).update(status=Agent.Status.MEDICAL_REVIEW)
    made = login(Client(), staff["reviewer"]).post(reverse("admin:cytokines_agent_preview_link", args=[agent.pk]),
                                                   {"reviewer_name": "Dr Ana Ruiz"})  # fmt: skip
    assert "Preview for review by Dr Ana Ruiz." in Client().get(path_of(link_url(made))).content.decode()
