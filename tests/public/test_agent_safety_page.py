"""Issue 23: the fact sheet shows safety information as structure; "Get help now" on every treatment page;
a withdrawal or discontinuation is never shown as an approval; one query count however many rows."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from cytokines.models import Agent, ArticleRevision, CancerType, SiteSettings

from ..factories import AgentFactory, ReferenceFactory, make_live

pytestmark = pytest.mark.django_db
CHECKED = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def agent_with_safety(side_effects=3):
    agent = AgentFactory(status=Agent.Status.PUBLISHED)
    label = ReferenceFactory(container="Proleukin prescribing information", title="Proleukin label")
    agent.safety_statements.create(topic="boxed_warning", text="Given only in hospital.\nCan cause capillary leak.",
                                   label_section="Boxed warning", reference=label, checked_on=CHECKED)  # fmt: skip
    agent.safety_statements.create(topic="vaccines", text="Ask before any vaccine.", reference=label,
                                   checked_on=CHECKED)  # fmt: skip
    agent.safety_statements.create(topic="fertility", not_applicable=True, text="The label has no information.")
    bands = ["rare", "very_common", "common", "not_known", "uncommon", "very_rare"]
    for n in range(side_effects):
        agent.side_effects.create(name=f"Effect {n}", frequency=bands[n % len(bands)], what_to_do=f"Advice {n}.",
                                  reference=label, serious=n == 0)  # fmt: skip
    make_live(agent)  # readers see the revision with these rows
    return agent


def test_side_effects_are_grouped_by_band_most_frequent_first_in_words_readers_understand(client):
    agent = agent_with_safety(side_effects=6)
    html = client.get(agent.get_absolute_url()).content.decode()
    headings = ["Very common: <span class=\"band-words\">more than 1 in every 10 people",
                "Common: <span class=\"band-words\">up to 1 in every 10 people",
                "Uncommon: <span class=\"band-words\">up to 1 in every 100 people",
                "Rare: <span class=\"band-words\">up to 1 in every 1,000 people",
                "Very rare: <span class=\"band-words\">up to 1 in every 10,000 people",
                "How often is not known"]  # fmt: skip
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Rare but serious" not in html
    assert "What to do: Advice 0." in html and '<strong class="tag-serious">Serious</strong>' in html


def test_the_boxed_warning_comes_first_with_its_label_and_date_checked(client):
    agent = agent_with_safety()
    html = client.get(agent.get_absolute_url()).content.decode()
    panel = html.index("Most important safety information")
    assert panel < html.index('id="how-heading"') and panel < html.index('id="side-effects-heading"')
    assert panel < html.index("Get help now")
    assert "From the boxed warning of Proleukin label (Proleukin prescribing information)" in html
    assert "checked December 1, 2026" in html
    assert "Fertility" in html and "The label has no information." in html  # not applicable is said, not hidden


def test_withdrawal_or_discontinuation_is_never_shown_as_an_approval(client):
    hairy = CancerType.objects.create(name="Hairy cell leukemia", slug="hairy-cell-leukemia")
    agent = AgentFactory(status=Agent.Status.PUBLISHED, name="Interferon alfa-2b")
    gone = agent.approvals.create(regulator="fda", status="discontinued", indication="Hairy cell leukemia",
                                  year_approved=1986, year_ended=2024, source_url="https://example.org/fda",
                                  checked_on=CHECKED)  # fmt: skip
    gone.cancer_types.add(hairy)
    make_live(agent)
    html = client.get(agent.get_absolute_url()).content.decode()
    status_cell = html.split('class="approval-status">', 1)[1].split("</td>", 1)[0]
    assert status_cell == "Discontinued by its maker in 2024: no longer available for this use"
    assert "Approved" not in status_cell and "1986" not in status_cell
    assert "checked December 1, 2026" in html
    cancer_page = client.get(hairy.get_absolute_url()).content.decode()
    assert "Interferon alfa-2b" not in cancer_page  # not among the medicines approved for it
    assert '"Approved' not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]


def test_an_end_year_on_an_approval_that_has_not_ended_is_refused():
    from django.db import IntegrityError, transaction

    agent = AgentFactory()
    approval = agent.approvals.model(agent=agent, regulator="fda", status="approved", year_approved=1986,
                                     year_ended=2024)  # fmt: skip
    with pytest.raises(ValidationError, match="Only a withdrawn or discontinued use has an end year"):
        approval.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        approval.save()


def treatment_pages():
    agents = [agent.get_absolute_url() for agent in Agent.objects.published()]
    articles = [revision.get_absolute_url() for revision in ArticleRevision.objects.live()
                if revision.agents.exists() or revision.kind in ("treatment", "side_effects")]  # fmt: skip
    return agents + articles


def test_get_help_now_is_on_every_treatment_page_with_the_settings_numbers(client, demo_content):
    pages = treatment_pages()
    assert len(pages) >= 12
    for url in pages:
        html = client.get(url).content.decode()
        assert 'id="get-help-now-heading"' in html, url
        block = html.split('id="get-help-now-heading"', 1)[1].split("</section>", 1)[0]
        if url.startswith("/es/"):  # the same numbers in the Spanish wording
            assert "<strong>Llame al 911</strong>" in block and "mensaje de texto al 988" in block, url
            assert "línea de 24 horas de su equipo de tratamiento" in block, url
        else:
            assert "<strong>Call 911</strong>" in block and "Call or text 988" in block, url
            assert "treatment team's 24-hour line" in block, url


def test_get_help_now_follows_a_change_of_country_in_the_settings(client, demo_content):
    SiteSettings.objects.live().update(country="GB", currency_code="GBP", currency_symbol="£", spelling="en-gb",
                                       emergency_number="999", crisis_line="116 123")  # fmt: skip
    cache.clear()
    html = client.get(Agent.objects.published().first().get_absolute_url()).content.decode()
    block = html.split('id="get-help-now-heading"', 1)[1].split("</section>", 1)[0]
    assert "<strong>Call 999</strong>" in block and "116 123" in block and "911" not in block


def test_settings_with_another_countrys_numbers_or_currency_are_refused():
    live = SiteSettings.objects.live().get()
    live.emergency_number, live.currency_code = "999", "EUR"
    with pytest.raises(ValidationError) as refused:
        live.full_clean()
    assert set(refused.value.message_dict) == {"emergency_number", "currency_code"}
    assert "United States uses 911 here." in refused.value.message_dict["emergency_number"]


def test_a_page_not_about_a_treatment_has_no_get_help_now_block(client):
    response = client.get(reverse("cytokines:home"))
    assert 'id="get-help-now-heading"' not in response.content.decode()


@pytest.mark.parametrize("side_effects", [1, 40])
def test_the_agent_page_query_count_does_not_grow_with_its_safety_rows(client, django_assert_max_num_queries,
                                                                       side_effects):  # fmt: skip
    agent = agent_with_safety(side_effects=side_effects)
    for n in range(side_effects):
        agent.approvals.create(regulator="ema", status="approved", indication=f"Use {n}", checked_on=CHECKED)
    make_live(agent)
    with django_assert_max_num_queries(12):  # with one for the fact sheet in other languages
        response = client.get(agent.get_absolute_url())
    assert response.content.decode().count('<span class="effect-name">') == side_effects
