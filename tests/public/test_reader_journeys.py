"""Reader journeys without dead ends: feedback in place, citations both ways, errors that lead to fields."""

import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

from cytokines.public.models import PageFeedback

from ..factories import AgentFactory, ArticleFactory, ArticleReferenceFactory, ReferenceFactory, make_live

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


# --- "Was this page helpful?" answers in place ----------------------------------------------------


def test_one_press_on_yes_is_stored_and_answered_in_place_with_a_link_for_a_comment(client):
    article = ArticleFactory()
    response = client.post(reverse("cytokines:article-feedback", args=[article.slug]), {"helpful": "yes"}, **JSON)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["ok"] and "Thank you" in answer["message"]
    assert PageFeedback.objects.get().helpful is True
    comment = client.post(answer["comment_url"], {"comment": "Add a dosing table."}, **JSON)
    assert comment.json()["ok"]
    assert PageFeedback.objects.get().comment == "Add a dosing table."


def test_without_javascript_the_answer_leads_to_a_comment_page_and_back(client):
    article = ArticleFactory()
    response = client.post(reverse("cytokines:article-feedback", args=[article.slug]), {"helpful": "no"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "What could we improve?" in page.content.decode()
    done = client.post(response["Location"], {"comment": "Too long."})
    assert done["Location"] == f"{article.get_absolute_url()}#feedback"
    assert PageFeedback.objects.get().comment == "Too long."


def test_a_comment_cannot_be_added_twice_or_to_another_answer(client):
    article, other = ArticleFactory(), ArticleFactory()
    answer = client.post(reverse("cytokines:article-feedback", args=[article.slug]), {"helpful": "no"}, **JSON).json()
    client.post(answer["comment_url"], {"comment": "First."}, **JSON)
    client.post(answer["comment_url"], {"comment": "Overwritten?"}, **JSON)
    assert PageFeedback.objects.get().comment == "First."
    token = answer["comment_url"].rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("cytokines:article-feedback-comment", args=[other.slug, token])).status_code == 404
    assert client.get(reverse("cytokines:article-feedback-comment", args=[article.slug, "forged"])).status_code == 404


def test_the_article_page_asks_with_two_buttons_and_loads_the_widget_from_a_static_file(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert '<button type="submit" name="helpful" value="yes"' in html
    assert '<script src="/static/js/feedback.js" defer></script>' in html
    assert 'role="status"' in html


# --- citations both ways ---------------------------------------------------------------------------


def test_each_reference_links_back_to_every_place_it_is_cited(client):
    article = ArticleFactory(body="## Why\n\nFirst claim [1]. Second claim [2].\n\n## Again\n\nBack to the first [1].")
    for position in (1, 2):
        ArticleReferenceFactory(article=article, reference=ReferenceFactory(), position=position)
    make_live(article)  # readers see the references once a revision with them is live
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('id="cite-1-1"') == html.count('id="cite-1-2"') == html.count('id="cite-2-1"') == 1
    first = re.search(r'<li id="ref-1".*?</li>', html, re.S).group(0)
    assert 'href="#cite-1-1"' in first and 'href="#cite-1-2"' in first
    second = re.search(r'<li id="ref-2".*?</li>', html, re.S).group(0)
    assert 'href="#cite-2-1"' in second and "Back to text" in second


def test_the_article_side_column_lists_its_sections(client):
    article = ArticleFactory(body="## How it works\n\nText.\n\n## Side effects\n\nMore.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h2 id="section-how-it-works">' in html
    contents = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
    assert 'href="#section-how-it-works"' in contents and 'href="#section-side-effects"' in contents


def test_agent_fact_pages_number_their_references_and_link_citations_to_them(client):
    agent = AgentFactory(mechanism="It makes T cells multiply [2]. Given in high doses [1].")
    agent.references.add(ReferenceFactory(authors="Adams A"), ReferenceFactory(authors="Baker B"))
    make_live(agent)
    html = client.get(agent.get_absolute_url()).content.decode()
    assert '<li id="ref-1" value="1">Adams A' in html and '<li id="ref-2" value="2">Baker B' in html
    assert '<sup class="cite" id="cite-2-1"><a href="#ref-2"' in html
    assert 'href="#cite-1-1"' in html


# --- forms: errors that lead to the fields -----------------------------------------------------------


def test_the_error_summary_links_to_each_field_with_a_problem(client):
    response = client.post(reverse("cytokines:donate"), {"preset_amount": "other", "other_amount": "2",
                                                         "frequency": "one_time", "email": "nope"})  # fmt: skip
    html = response.content.decode()
    summary = re.search(r'<div class="notice error-summary".*?</div>', html, re.S).group(0)
    for anchor in ("#id_other_amount", "#id_donor_name", "#id_email"):
        assert f'href="{anchor}"' in summary
    assert 'id="id_other_amount"' in html


def test_the_error_summary_links_to_the_first_choice_of_a_radio_group(client):
    response = client.post(reverse("cytokines:donate"), {"donor_name": "A", "email": "a@example.org"})
    summary = re.search(r'<div class="notice error-summary".*?</div>', response.content.decode(), re.S).group(0)
    assert 'href="#id_preset_amount_0"' in summary


# --- donate page ---------------------------------------------------------------------------------------


def test_the_donate_page_offers_large_amount_targets_and_says_how_payment_happens(client):
    html = client.get(reverse("cytokines:donate")).content.decode()
    assert html.count('class="amount"') >= 6  # four amounts and "Other", plus one-time and monthly
    assert "pays for a nurse to answer two calls" in html  # impact lines from the settings
    assert "How payment works:" in html and "We never see or store card details" in html
    assert 'data-give-button data-give-now="Give now"' in html and ">Give now</button>" in html  # the script
    assert 'data-give-monthly="Give {sum} monthly"' in html  # adds the amount and frequency: "Give $50 monthly"
    assert '<div class="other-amount">' in html  # hidden by CSS until "Other amount" is chosen


# --- compression -------------------------------------------------------------------------------------


def test_public_pages_without_secrets_are_compressed(client, demo_content):
    response = client.get(reverse("cytokines:agent-list"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"Medicines A" in gzip.decompress(response.content)


@pytest.mark.parametrize("name", ["donate", "newsletter"])
def test_pages_carrying_a_csrf_token_are_never_compressed(client, name):
    response = client.get(reverse(f"cytokines:{name}"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.get("Content-Encoding") is None
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert "Accept-Encoding" in response["Vary"]


def test_cached_article_pages_with_the_feedback_form_are_never_compressed():
    article = ArticleFactory()
    for _ in range(2):  # the second answer comes from the page cache
        response = Client().get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
        assert response.get("Content-Encoding") is None


def test_signed_in_pages_and_json_answers_are_never_compressed(client, staff):
    client.force_login(staff["editor"])
    assert client.get("/agents/", HTTP_ACCEPT_ENCODING="gzip").get("Content-Encoding") is None
    article = ArticleFactory()
    answer = Client().post(reverse("cytokines:article-feedback", args=[article.slug]), {"helpful": "yes"},
                           HTTP_ACCEPT_ENCODING="gzip", **JSON)  # fmt: skip
    assert answer.get("Content-Encoding") is None
