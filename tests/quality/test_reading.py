"""Reading level: what is measured, the target, the longest sentences and the hard words."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.quality import glossary, reading
from cytokines.quality.models import ReadingLevel
from tests.admin_forms import change_form_data
from tests.factories import AgentFactory, ArticleFactory

PLAIN = "We give this medicine in a drip. It can make you feel hot and tired. Tell your nurse if you feel sick."
# The report asks the glossary which words it explains: every test reads the (empty) glossary.
pytestmark = pytest.mark.django_db

HARD = ("Interleukin-2 administration precipitates capillary leak syndrome, characterized by hypotension, "
        "peripheral edema and oliguria, necessitating intensive cardiovascular monitoring in specialized centers.")


def test_plain_text_is_within_target_and_hard_text_above():
    assert not reading.measure(PLAIN).above_target
    hard = reading.measure(HARD)
    assert hard.above_target and hard.grade > 8 and hard.reading_age == round(hard.grade) + 5


def test_the_target_comes_from_settings(settings):
    assert reading.measure(HARD).above_target
    settings.READING_LEVEL = {"TARGET_GRADE_LOW": 10, "TARGET_GRADE": 40, "TARGET_READING_AGE": 16}
    assert not reading.measure(HARD).above_target


def test_tables_and_citation_numbers_are_left_out_and_headings_end_sentences():
    text = reading.prose("## Side effects\n\nFever is common [1].\n\n| a | b |\n|---|---|\n| cell one | cell two |")
    assert text == "Side effects. Fever is common."


def test_longest_sentences_come_first():
    report = reading.measure(PLAIN + " " + HARD)
    assert report.longest[0] == (len(HARD.split()), HARD)
    assert report.longest[1][0] <= report.longest[0][0]


def test_hard_words_the_glossary_explains_are_not_listed(monkeypatch):
    assert "hypotension" in reading.measure(HARD).unexplained
    assert glossary.explained_terms() == frozenset()  # no term published
    monkeypatch.setattr(glossary, "PROVIDER", lambda: ["Hypotension", "capillary"])
    unexplained = reading.measure(HARD).unexplained
    assert "hypotension" not in unexplained and "capillary" not in unexplained and "interleukin" in unexplained


def test_fact_sheet_side_effects_are_read_one_line_at_a_time(db):
    agent = AgentFactory(summary="A medicine.", mechanism="It helps.")
    for position, name in enumerate(["Fever", "Chills", "Tiredness"]):
        agent.side_effects.create(name=name, position=position)
    assert reading.page_text(agent) == "A medicine. It helps. Fever. Chills. Tiredness."


def test_the_dashboard_only_reads_a_page_saved_in_the_admin_is_measured_at_once(client, staff, db):
    unmeasured = ArticleFactory(body=HARD, status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    draft = ArticleFactory(body=PLAIN, status=Article.Status.DRAFT, owner=staff["writer"], last_reviewed=None,
                           next_review_due=None)  # fmt: skip
    client.force_login(staff["editor"])
    client.get(reverse("admin:cytokines_review_dashboard"))
    assert not ReadingLevel.objects.exists()  # before: the dashboard measured up to 100 pages per visit
    client.force_login(staff["writer"])
    url = reverse("admin:cytokines_article_change", args=[draft.pk])
    data = {**change_form_data(client.get(url)), "body": HARD}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ReadingLevel.objects.get(kind="article", object_id=draft.pk).grade > 8  # the saved text, at once
    out = StringIO()
    call_command("measure_reading", stdout=out)
    assert "Measured 1 page(s)" in out.getvalue()  # the other one, made outside the admin
    assert ReadingLevel.objects.filter(object_id=unmeasured.pk).exists()


def test_refresh_measures_pages_changed_since_their_last_measurement(db):
    article = ArticleFactory(body=HARD)
    assert reading.refresh() >= 1
    assert ReadingLevel.objects.get(kind="article", object_id=article.pk).grade > 8
    assert reading.refresh() == 0  # nothing changed
    article.body = PLAIN
    article.save()
    assert reading.refresh() == 1
    assert ReadingLevel.objects.get(kind="article", object_id=article.pk).grade <= 8


def test_archived_pages_leave_the_list(db):
    article = ArticleFactory(body=HARD)
    reading.refresh()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    reading.refresh()
    assert not ReadingLevel.objects.filter(kind="article", object_id=article.pk).exists()


def test_spanish_pages_are_not_scored_with_english_formulas(db):
    ArticleFactory(language=Article.Language.SPANISH, body="Texto en español.")
    reading.refresh()
    assert not ReadingLevel.objects.filter(kind="article").exists()


def test_the_change_form_shows_the_level_to_staff_but_public_pages_never_do(client, staff, db):
    article = ArticleFactory(body=HARD, status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    client.force_login(staff["writer"])
    page = client.get(reverse("admin:cytokines_article_change", args=[article.pk])).content.decode()
    assert 'id="reading-level"' in page and "above the target" in page and "Longest sentences" in page


def test_demo_pages_are_measured_and_a_page_above_target_is_listed(demo_content, client, staff):
    # Every published demo page reads at grade 8 or below (tests/content), so the page above the target is a
    # writer's draft made here (outside the admin: the periodic command measures it).
    ArticleFactory(body=HARD, status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    call_command("measure_reading", stdout=StringIO())
    client.force_login(staff["editor"])
    response = client.get(reverse("admin:cytokines_review_dashboard"))
    checks = response.context["checks"]
    english = Article.objects.filter(language=Article.Language.ENGLISH).count()
    assert ReadingLevel.objects.count() == english + Agent.objects.count()  # every page the formulas are for
    assert checks["above_reading_target"]["count"] >= 1
    assert "Pages above the reading target" in response.content.decode()
    public = client.get(Article.objects.published().first().get_absolute_url()).content.decode()
    assert "reading-level" not in public and "Flesch" not in public  # editors only
