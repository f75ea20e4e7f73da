import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from cytokines.models import (
    Agent,
    Article,
    CancerType,
    Contributor,
    DeclaredInterest,
    Reference,
    RegulatoryApproval,
    SafetyStatement,
    SideEffect,
)
from cytokines.quality import reading

pytestmark = pytest.mark.django_db


def test_demo_fixture_loads_into_an_empty_database_and_passes_validation(demo_content):
    assert Agent.objects.count() >= 8
    assert Article.objects.published().count() >= 5
    assert Reference.objects.count() >= 10
    assert CancerType.objects.count() >= 5
    assert Contributor.objects.count() >= 3
    for model in (Agent, Article, Reference, CancerType, Contributor, SideEffect, SafetyStatement, RegulatoryApproval):
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_fixture_loads_twice_without_duplicates(demo_content):
    counts = (Agent.objects.count(), Article.objects.count(), Reference.objects.count())
    call_command("loaddata", "demo", verbosity=0)
    assert (Agent.objects.count(), Article.objects.count(), Reference.objects.count()) == counts


def test_demo_references_have_complete_bibliographic_data(demo_content):
    for reference in Reference.objects.all():
        assert reference.authors and reference.title and reference.container and reference.year
        if reference.url and not (reference.doi or reference.pmid):
            # A web document: its address and the day it was read; a regulator's label comes from the regulator.
            assert reference.accessed_on and reference.url.startswith("https://"), reference
            if "prescribing information" in reference.title or "product information" in reference.title:
                assert reference.url.startswith(("https://dailymed.nlm.nih.gov/", "https://www.ema.europa.eu/"))
        else:
            assert reference.volume and reference.pages, reference
            assert reference.doi or reference.pmid, reference


def test_demo_covers_the_agents_and_articles_the_design_names(demo_content):
    names = set(Agent.objects.values_list("nonproprietary_name", flat=True))
    assert {"aldesleukin", "interferon alfa-2b", "peginterferon alfa-2a", "interferon gamma-1b"} <= names
    assert Article.objects.published().filter(kind=Article.Kind.FAQ, faq_items__isnull=False).exists()
    every_article_cites = Article.objects.published().filter(article_references__isnull=True)
    assert not every_article_cites.exists()


def test_demo_has_an_overdue_page_and_a_draft_so_reviews_can_be_tried(demo_content):
    assert Article.objects.review_overdue().exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()


# --- the medical review of the demo content (issue 23): each test fails on the content it replaced ---------

# Effects that carry a boxed warning and are common or class-defining: never "rare".
BOXED_WARNING_EFFECTS = ("capillary leak", "suicid", "depression")


class _ListsUnderHeadings(HTMLParser):
    """(heading text, list item text) for every list item, under the last h2/h3/h4 before it."""

    def __init__(self):
        super().__init__()
        self.heading, self.items, self._in = "", [], None
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in {"h2", "h3", "h4", "li"}:
            self._in, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == self._in:
            text = " ".join("".join(self._text).split())
            if tag == "li":
                self.items.append((self.heading, text))
            else:
                self.heading = text
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def side_effects_by_heading(client, agent):
    response = client.get(reverse("cytokines:agent-detail", args=[agent.slug]))
    assert response.status_code == 200
    parser = _ListsUnderHeadings()
    parser.feed(response.content.decode())
    return parser.items


def test_no_boxed_warning_effect_is_described_as_rare(client, demo_content):
    checked = 0
    for agent in Agent.objects.published():
        for heading, item in side_effects_by_heading(client, agent):
            if "rare" in heading.lower():
                assert not any(term in item.lower() for term in BOXED_WARNING_EFFECTS), (agent.slug, heading, item)
            checked += 1
    aldesleukin = Agent.objects.get(nonproprietary_name="aldesleukin")
    effects = [item.lower() for _, item in side_effects_by_heading(client, aldesleukin)]
    assert any("capillary leak" in item for item in effects)  # still named, just not as rare
    assert checked > 20


def _live_texts():
    """Every published article's words as readers read them: summary, body, questions and answers."""
    for article in Article.objects.published().select_related("live_revision"):
        content = article.live_revision.content
        faq = " ".join(f"{item['question']} {item['answer']}" for item in content["faq"])
        yield article, f"{article.live_revision.summary}\n{content['body']}\n{faq}"


def test_thyroid_problems_are_not_called_rare(demo_content):
    for article, text in _live_texts():
        for sentence in reading.sentences(" ".join(text.split())):
            if "thyroid" in sentence.lower():
                assert "rare" not in sentence.lower(), (article.slug, sentence)


def test_intron_a_discontinuation_is_not_shown_as_a_withdrawal_in_its_approval_year(client, demo_content):
    approvals = RegulatoryApproval.objects.filter(agent__brand_names__icontains="Intron A", regulator="fda")
    first = approvals.get(indication="Hairy cell leukemia")
    assert first.year_approved == 1986 and first.year_ended != 1986  # the year it was approved, said as approval
    assert not approvals.filter(status=RegulatoryApproval.ApprovalStatus.APPROVED).exists()
    page = client.get(reverse("cytokines:agent-detail", args=[first.agent.slug])).content.decode()
    assert not re.search(r"Withdrawn[^<]*\(1986\)", page) and "Approved in 1986" not in page
    assert "Discontinued by its maker: no longer available for this use" in page


def _named_agents(agents):
    """A pattern matching any name of ``agents`` as a whole name ("interferon alfa-2b" is not in "ropeginterferon")."""
    names = set()
    for agent in agents:
        names |= {agent.nonproprietary_name, *agent.brand_name_list}
    alternatives = "|".join(re.escape(name) for name in sorted(names) if name) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def test_every_published_page_has_an_author_and_a_medical_reviewer_without_a_conflict(demo_content):
    for article in Article.objects.published().prefetch_related("agents"):
        content = article.live_revision.content
        assert content["authors"], article.slug
        assert content["reviewers"], article.slug
        names = _named_agents(article.agents.all())
        for reviewer in content["reviewers"]:
            assert not names.search(reviewer["conflict_of_interest"]), (article.slug, reviewer["name"])
    for agent in Agent.objects.published().prefetch_related("reviewers"):
        assert agent.reviewers.exists(), agent.slug
        names = _named_agents([agent])
        for reviewer in agent.reviewers.all():
            assert not names.search(reviewer.conflict_of_interest), (agent.slug, reviewer)
    # The declared interests as structure (the workflow enforces them) agree with the pages' reviewers.
    for interest in DeclaredInterest.objects.prefetch_related("agents"):
        for agent in interest.agents.all():
            assert not agent.reviewers.filter(pk=interest.contributor_id).exists(), (agent.slug, interest)


def test_no_published_page_was_revised_after_its_last_review(demo_content):
    for model in (Article, Agent):
        for page in model.objects.published():
            assert page.last_revised and page.last_reviewed, page
            assert page.last_revised <= page.last_reviewed, page
            assert page.next_review_due > page.last_reviewed, page


def test_every_patient_page_reads_at_us_grade_8_or_below(demo_content):
    for article in Article.objects.published().prefetch_related("faq_items"):
        report = reading.measure(reading.page_text(article))
        assert report.grade <= 8, (article.slug, report.grade, report.longest)


def test_every_citation_resolves_to_a_reference_in_the_fixture(demo_content):
    for article, text in _live_texts():
        positions = {reference["position"] for reference in article.live_revision.content["references"]}
        cited = {int(number) for number in re.findall(r"\[(\d{1,3})\]", text)}
        assert cited, article.slug
        assert cited <= positions, (article.slug, sorted(cited - positions))


def test_high_dose_interleukin_2_pages_say_where_it_is_given_how_a_course_runs_and_its_dangers(demo_content):
    aldesleukin = Agent.objects.get(nonproprietary_name="aldesleukin")
    assert "intensive care" in aldesleukin.hospital_note and "9 days" in aldesleukin.hospital_note
    assert "heart and lung tests" in aldesleukin.hospital_note.lower()
    texts = dict((article.slug, text.lower()) for article, text in _live_texts())
    for slug in ("interleukins-in-cancer-treatment", "interleukins-and-cancer-faq"):
        assert "intensive care" in texts[slug], slug
        assert "9 days" in texts[slug], slug
    article = texts["interleukins-in-cancer-treatment"]
    for words in ("coma", "died", "heart", "breathing tests", "cycle 2"):
        assert words in article, words


def test_peginterferon_pregnancy_advice_follows_the_product_information(demo_content):
    texts = dict(_live_texts())
    text = texts[Article.objects.get(slug="peginterferon-for-myeloproliferative-neoplasms")].lower()
    assert "not recommended during pregnancy" in text
    assert "8 weeks after your last dose" in text
    assert "hematologist" in text
    assert "preferred" not in text  # it was called preferred "during pregnancy planning"


def test_peginterferon_response_rates_are_not_overstated(demo_content):
    texts = dict(_live_texts())
    text = texts[Article.objects.get(slug="peginterferon-for-myeloproliferative-neoplasms")].lower()
    assert "most people had their blood counts return to normal" not in text
    assert "2 in 10 people with pv" in text and "4 in 10 people with et" in text


def test_demo_content_follows_the_us_conventions(demo_content):
    words = []
    for model, fields in ((CancerType, ("name", "summary")), (Contributor, ("name", "job_title", "bio")),
                          (Agent, ("name", "summary", "mechanism", "hospital_note")),
                          (RegulatoryApproval, ("indication",)), (SideEffect, ("name", "what_to_do")),
                          (SafetyStatement, ("text", "label_section"))):  # fmt: skip
        for row in model.objects.all():
            words += [getattr(row, name) for name in fields]
    words += [text for _, text in _live_texts()]
    for text in words:
        assert not re.search(r"leukaem|haemat|thrombocythaem|polycythaem|tumour|oedema|diarrhoea|colour|centre|"
                             r"theatre|specialis(e|ed|es|ing)\b", text, re.IGNORECASE), text
        for number in re.findall(r"\b\d{3}[-. ]\d{3}[-. ]\d{4}\b", text):
            assert re.search(r"555[-. ]01\d\d$", number), number  # fictional numbers only
    doctors = Contributor.objects.filter(credentials__contains="MD")
    assert doctors.exists() and all(doctor.name.startswith("Dr. ") for doctor in doctors)


def test_demo_approvals_say_where_and_when_they_were_checked_and_ended_uses_are_not_approvals(demo_content):
    for approval in RegulatoryApproval.objects.all():
        assert approval.source_url.startswith("https://") and approval.checked_on, approval
        assert not (approval.is_approved and approval.year_ended), approval


def test_demo_fact_sheets_with_a_label_need_nothing_more_before_publishing(demo_content):
    from cytokines.review.safety import missing_safety_information

    for slug in ("interleukin-2", "interferon-alfa-2b", "peginterferon-alfa-2a", "ropeginterferon-alfa-2b"):
        assert missing_safety_information(Agent.objects.get(slug=slug)) == [], slug


# --- pages and fact sheets the demo lacked (issue 23) --------------------------------------------------

PATIENT_PAGES = {
    "having-high-dose-interleukin-2-in-the-hospital": ("intensive care", "9 days", "911"),
    "injecting-peginterferon-at-home": ("sharps container", "988", "911"),
    "side-effects-when-to-call-your-team": ("call 911", "988", "24-hour"),
    "pregnancy-fertility-and-birth-control": ("pregnancy test", "8 weeks", "breastfeed"),
    "vaccines-and-bcg": ("live vaccines", "bcg", "bleach"),
    "everyday-life-during-treatment": ("driv", "alcohol", "blood pressure medicines"),
    "support-costs-and-clinical-trials": ("clinicaltrials.gov", "financial counselor", "988"),
}


def test_the_patient_pages_readers_look_for_are_published_with_references(demo_content):
    texts = {article.slug: text.lower() for article, text in _live_texts()}
    for slug, phrases in PATIENT_PAGES.items():
        assert slug in texts, slug
        article = Article.objects.get(slug=slug)
        assert article.live_revision.content["references"], slug
        for phrase in phrases:
            assert phrase in texts[slug], (slug, phrase)
