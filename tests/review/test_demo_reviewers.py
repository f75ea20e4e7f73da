"""Every published demo page names its author and medical reviewer with credentials, and those are the
people its review history shows approving it (as a newcomer's `make run` loads it)."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from cytokines.content import live_version
from cytokines.models import Article

pytestmark = pytest.mark.django_db


def named(person):
    return f"{person['name']}, {person['credentials']}" if person.get("credentials") else person["name"]


@override_settings(DEBUG=True)
def test_every_published_demo_page_names_who_wrote_and_approved_it(client):
    call_command("load_demo", stdout=io.StringIO())
    live_version.bump()
    pages = list(Article.objects.published().select_related("live_revision"))
    assert pages
    for article in pages:
        revision = article.live_revision
        medical, editor = revision.approvers.get("medical"), revision.approvers.get("editor")
        assert medical and medical["credentials"] and editor, article.slug
        history = article.review_events.order_by("-pk")
        approval = history.filter(action="approve_medical").first()
        publish = history.filter(action="publish").first()
        # The approvers on the page are the people the review history shows, with their profiles' credentials.
        assert approval.actor.contributor in article.reviewers.all(), article.slug
        assert (medical["username"], medical["name"], medical["credentials"]) == (
            approval.actor.username,
            approval.actor.contributor.name,
            approval.actor.contributor.credentials,
        )
        assert editor["username"] == publish.actor.username
        if article.language != "en":
            continue  # the page's words around the names are in its language (tests/public/test_spanish_pages.py)
        html = client.get(article.get_absolute_url()).content.decode()
        for author in revision.authors:
            assert (
                author["credentials"] and f"<strong>{author['name']}</strong>, {author['credentials']} (writer)" in html
            )
        assert f"approved by {named(medical)} (medical review)" in html, article.slug
        assert named(medical) in html.split('class="reviewed-by"')[1].split("</p>")[0], article.slug


@override_settings(DEBUG=True)
def test_the_demo_speaks_to_spanish_readers_in_spanish_approved_by_a_second_editor(client):
    from cytokines.content.site import SiteSettings

    call_command("load_demo", stdout=io.StringIO())
    live = SiteSettings.objects.live().get()
    assert live.helpline_hours_es and live.funding_statement_es and live.tax_wording_es
    assert live.approved_by_id not in (None, live.proposed_by_id, live.changed_by_id)
    assert all(line.description_es for line in live.impact_lines.all())
    live_version.bump()
    footer = client.get("/es/").content.decode()
    assert live.helpline_hours_es in footer and live.helpline_hours not in footer
    call_command("load_demo", "--reload", stdout=io.StringIO())  # loading again proposes nothing new
    assert SiteSettings.objects.live().get() == live and not SiteSettings.objects.proposed().exists()


@override_settings(DEBUG=True)
def test_the_demo_trust_pages_are_in_spanish_too(client):
    from cytokines.content.site import TrustPage

    call_command("load_demo", stdout=io.StringIO())
    spanish = TrustPage.objects.live().filter(language="es")
    assert set(spanish.values_list("kind", flat=True)) == set(TrustPage.Kind.values)
    assert all(page.approved_by_id not in (page.proposed_by_id, page.changed_by_id) for page in spanish)
    live_version.bump()
    for page in spanish:
        html = client.get(page.get_absolute_url()).content.decode()
        assert f"<h1>{page.title}</h1>" in html and "[[" not in html, page.kind  # every [[token]] is known
        assert 'href="/about/' not in html.split("<main", 1)[1].split("</main>")[0], page.kind  # links stay Spanish
