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
    response = client.get(agent.get_absolute_url())  # a Spanish fact sheet lives under /es/
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
    # Flesch-Kincaid is an English formula (reading.measurable); the Spanish pages are not scored by it.
    for article in Article.objects.published().filter(language="en").prefetch_related("faq_items"):
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
    "white-blood-cell-boosters-during-chemotherapy": ("on-body injector", "bone pain", "upper left belly", "911",
                                                      "24 hours after chemotherapy", "14 days"),
}


def test_the_patient_pages_readers_look_for_are_published_with_references(demo_content):
    texts = {article.slug: text.lower() for article, text in _live_texts()}
    for slug, phrases in PATIENT_PAGES.items():
        assert slug in texts, slug
        article = Article.objects.get(slug=slug)
        assert article.live_revision.content["references"], slug
        for phrase in phrases:
            assert phrase in texts[slug], (slug, phrase)


# --- the growth-factor fact sheets and the older sheets' gaps (issue 23, second round) -------------------


def _page(client, slug):
    response = client.get(reverse("cytokines:agent-detail", args=[slug]))
    assert response.status_code == 200, slug
    return " ".join(response.content.decode().split())


def test_every_published_fact_sheet_has_its_safety_rows_or_says_not_applicable(demo_content):
    from cytokines.review.safety import missing_safety_information

    for agent in Agent.objects.published():
        assert missing_safety_information(agent) == [], agent.slug
        # "Not applicable" is said in words: the reader learns why there is nothing to show.
        for statement in agent.safety_statements.filter(not_applicable=True):
            assert statement.text.strip(), (agent.slug, statement.topic)


def test_the_growth_factor_fact_sheets_are_live_and_reviewed_without_a_conflict(client, demo_content):
    raman = Contributor.objects.get(slug="priya-raman")
    for slug in ("filgrastim", "pegfilgrastim", "sargramostim"):
        agent = Agent.objects.get(slug=slug)
        assert agent.live_revision_id is not None, slug
        assert agent.agent_class == Agent.AgentClass.GROWTH_FACTOR
        assert list(agent.reviewers.all()) == [raman], slug
        assert agent.last_revised == agent.last_reviewed, slug
        assert "Dr. Priya Raman" in _page(client, slug)


def _approval_years(slug, regulator):
    approvals = RegulatoryApproval.objects.filter(agent__slug=slug, regulator=regulator)
    for approval in approvals:
        assert approval.status == RegulatoryApproval.ApprovalStatus.APPROVED and approval.year_ended is None
        assert approval.source_url.startswith(("https://dailymed.nlm.nih.gov/", "https://www.ema.europa.eu/"))
    return {approval.year_approved for approval in approvals}


def test_growth_factor_approval_years_match_the_labels(demo_content):
    assert min(year for year in _approval_years("filgrastim", "fda") if year) == 1991  # Neupogen
    assert min(year for year in _approval_years("pegfilgrastim", "fda") if year) == 2002  # Neulasta
    assert _approval_years("pegfilgrastim", "ema") == {2002}
    assert min(year for year in _approval_years("sargramostim", "fda") if year) == 1991  # Leukine
    assert not _approval_years("sargramostim", "ema")  # no EU authorization is claimed
    # Acute radiation syndrome came later for each: never shown as the first approval.
    assert {2015} <= _approval_years("filgrastim", "fda") and {2018} <= _approval_years("sargramostim", "fda")


def test_growth_factor_pages_say_what_the_labels_warn_about(client, demo_content):
    for slug in ("filgrastim", "pegfilgrastim"):
        page = _page(client, slug).lower()
        for words in ("splenic rupture", "upper left belly", "acute respiratory distress syndrome", "anaphylaxis",
                      "sickle cell", "glomerulonephritis", "capillary leak", "aortitis", "leukocytosis",
                      "myelodysplastic", "24 hours"):
            assert words in page, (slug, words)
    pegfilgrastim = _page(client, "pegfilgrastim").lower()
    assert "on-body injector" in pegfilgrastim and "27 hours" in pegfilgrastim and "14 days" in pegfilgrastim
    sargramostim = _page(client, "sargramostim").lower()
    for words in ("anaphylaxis", "capillary leak", "uneven heartbeat", "yeast", "24 hours"):
        assert words in sargramostim, words
    # Sargramostim is given under the skin or into a vein; pegfilgrastim only under the skin.
    assert set(Agent.objects.get(slug="sargramostim").routes) == {Agent.Route.IV, Agent.Route.SC}
    assert Agent.objects.get(slug="pegfilgrastim").routes == [Agent.Route.SC]


def test_bone_pain_is_very_common_and_the_spleen_warning_is_serious_for_both_g_csf_medicines(demo_content):
    for slug in ("filgrastim", "pegfilgrastim"):
        bone_pain = SideEffect.objects.get(agent__slug=slug, name="Bone pain")
        assert bone_pain.frequency == "very_common", slug
        spleen = SideEffect.objects.get(agent__slug=slug, name__contains="splenic rupture")
        assert spleen.serious and "911" in spleen.what_to_do, slug
        assert spleen.frequency != "rare"  # the label gives no frequency: never called rare
        assert SafetyStatement.objects.get(agent__slug=slug, topic="boxed_warning").text.startswith(
            "There is no boxed warning"
        )


def test_older_fact_sheets_gaps_are_filled_from_their_labels(demo_content):
    beta = Agent.objects.get(slug="interferon-beta")
    assert not beta.side_effects.filter(reference=None).exists()
    depression = beta.side_effects.get(name__startswith="Depression")
    assert depression.frequency == "very_common" and "suicide" in depression.name
    gamma = SafetyStatement.objects.get(agent__slug="interferon-gamma", topic="fertility")
    assert not gamma.not_applicable and "sperm" in gamma.text
    for slug in ("interleukin-7", "interleukin-12", "interleukin-21"):
        for statement in SafetyStatement.objects.filter(agent__slug=slug):
            assert statement.not_applicable and "investigational" in statement.text, (slug, statement.topic)
    lymphir = SafetyStatement.objects.get(agent__slug="denileukin-diftitox", topic="contraindications")
    assert "albumin" in lymphir.text


def test_the_aml_cancer_type_lists_the_growth_factors_approved_for_it(client, demo_content):
    response = client.get(reverse("cytokines:cancer-type-detail", args=["acute-myeloid-leukemia"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Filgrastim" in page and "Sargramostim" in page
