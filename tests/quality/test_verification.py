"""Reference verification against recorded Crossref and PubMed answers: match, mismatch per field, not found,
timeout, rate limit, and the weekly re-check rule."""

import datetime

import httpx
import pytest
from django.utils import timezone

from cytokines.content.articles import ArticleReference
from cytokines.content.library import Reference
from cytokines.content.safety import SafetyStatement, SideEffect
from cytokines.quality import verification
from cytokines.quality.models import ReferenceCheck
from tests.factories import ReferenceFactory

from .recorded import Recorder, crossref_body, json_answer, pubmed_body, recorded_references, xml_answer

Status = ReferenceCheck.Status
FYFE_DOI, FYFE_PMID = "10.1200/jco.1995.13.3.688", "7884429"


def run(recorder, **kwargs):
    client = recorder.client()
    return verification.run(resolvers=recorder.resolvers(client), client=client, **kwargs)


@pytest.fixture
def fyfe(demo_content):
    return Reference.objects.get(doi=FYFE_DOI)


def check_of(reference):
    return ReferenceCheck.objects.get(reference=reference)


def test_every_demo_reference_matches_its_recorded_records(demo_content):
    recorded = recorded_references()
    assert len(recorded) >= 15
    summary = run(Recorder())
    assert summary.due == Reference.objects.count()
    assert summary.counts[Status.VERIFIED] == len(recorded)
    checks = ReferenceCheck.objects.filter(reference__in=recorded)
    assert {c.status for c in checks} == {Status.VERIFIED}
    assert all(c.verified_on == timezone.localdate() and c.mismatches == [] for c in checks)
    assert set(checks[0].records) == {"doi", "pmid"}  # both records kept, so values can be accepted later


def test_forms_of_the_same_value_still_match(fyfe):
    # The recordings differ from ours only in form: "Journal of Clinical Oncology" / "JCO", "688-96",
    # a title ending in a period, initials "G." for "G", upper-case DOI.
    body = pubmed_body(FYFE_PMID)
    assert "<MedlinePgn>688-96</MedlinePgn>" in body
    assert crossref_body(FYFE_DOI)["message"]["container-title"] == ["Journal of Clinical Oncology"]
    run(Recorder())
    assert check_of(fyfe).status == Status.VERIFIED


def _crossref_with(change):
    body = crossref_body(FYFE_DOI)
    change(body["message"])
    return json_answer(body)


def _set_year(message, year):
    message["published-print"] = message["issued"] = {"date-parts": [[year]]}


CROSSREF_CHANGES = {
    "title": (lambda m: m.update(title=["Results of low-dose interleukin-2 therapy"]),
              "Results of low-dose interleukin-2 therapy"),
    "first_author": (lambda m: m["author"][0].update(family="Fisher", given="R. I."), "Fisher RI"),
    "year": (lambda m: _set_year(m, 1996), "1996"),
    "journal": (lambda m: m.update(**{"container-title": ["Journal of Clinical Immunology"],
                                      "short-container-title": ["J Clin Immunol"]}), "J Clin Immunol"),
    "volume": (lambda m: m.update(volume="31"), "31"),
    "pages": (lambda m: m.update(page="1688-1696"), "1688-1696"),
}  # fmt: skip
PUBMED_CHANGES = {
    "title": (("<ArticleTitle>Results", "<ArticleTitle>Outcome"), "Outcome of treatment of 255 patients"),
    "first_author": (("<LastName>Fyfe</LastName><ForeName>G</ForeName><Initials>G</Initials>",
                      "<LastName>Fife</LastName><ForeName>G</ForeName><Initials>G</Initials>"), "Fife G"),
    "year": (("<Year>1995</Year>", "<Year>1985</Year>"), "1985"),
    "journal": (("J Clin Oncol<", "J Clin Immunol<"), "J Clin Immunol"),  # MedlineTA and ISO abbreviation
    "volume": (("<Volume>13</Volume>", "<Volume>3</Volume>"), "3"),
    "pages": (("<MedlinePgn>688-96</MedlinePgn>", "<MedlinePgn>668-96</MedlinePgn>"), "668-696"),
}  # fmt: skip
OURS = {"title": None, "first_author": "Fyfe G", "year": "1995", "journal": "J Clin Oncol", "volume": "13",
        "pages": "688-696"}  # fmt: skip


@pytest.mark.parametrize("field", CROSSREF_CHANGES)
def test_a_crossref_record_that_differs_is_a_mismatch_with_both_values(fyfe, field):
    change, theirs = CROSSREF_CHANGES[field]
    run(Recorder().crossref(FYFE_DOI, _crossref_with(change)))
    check = check_of(fyfe)
    assert check.status == Status.MISMATCH
    assert check.verified_on is None
    assert check.mismatches == [{"field": field, "source": "doi", "ours": OURS[field] or fyfe.title, "record": theirs}]


@pytest.mark.parametrize("field", PUBMED_CHANGES)
def test_a_pubmed_record_that_differs_is_a_mismatch_with_both_values(fyfe, field):
    (old, new), theirs = PUBMED_CHANGES[field]
    body = pubmed_body(FYFE_PMID)
    assert old in body
    body = body.replace(old, new).replace("Journal of clinical oncology", "Journal of clinical immunology")
    run(Recorder().pubmed(FYFE_PMID, xml_answer(body)))
    check = check_of(fyfe)
    assert check.status == Status.MISMATCH
    [mismatch] = check.mismatches
    assert mismatch["field"] == field and mismatch["source"] == "pmid"
    assert mismatch["ours"] == (OURS[field] or fyfe.title)
    assert mismatch["record"].startswith(theirs)


def test_an_unknown_pmid_is_not_found(fyfe):
    empty_set = '<?xml version="1.0" ?>\n<PubmedArticleSet></PubmedArticleSet>\n'
    run(Recorder().pubmed(FYFE_PMID, xml_answer(empty_set)))
    check = check_of(fyfe)
    assert check.status == Status.NOT_FOUND
    assert check.not_found == ["pmid"]
    assert check.verified_on is None


def test_an_unknown_doi_is_not_found_at_crossref_or_doi_org(fyfe):
    recorder = Recorder().crossref(FYFE_DOI, httpx.Response(404, text="Resource not found."))
    recorder.doi_org(FYFE_DOI, httpx.Response(404, text="DOI Not Found"))
    run(recorder)
    assert check_of(fyfe).not_found == ["doi"]
    asked = [r for r in recorder.requests if r.url.host == "doi.org"]
    assert asked and asked[0].headers["Accept"] == "application/vnd.citationstyles.csl+json"


def test_a_doi_crossref_does_not_hold_is_read_from_doi_org(fyfe):
    csl = crossref_body(FYFE_DOI)["message"]
    csl["title"], csl["container-title"] = csl["title"][0], csl["container-title"][0]  # CSL-JSON: strings
    recorder = Recorder().crossref(FYFE_DOI, httpx.Response(404, text="Resource not found."))
    recorder.doi_org(FYFE_DOI, json_answer(csl))
    run(recorder)
    assert check_of(fyfe).status == Status.VERIFIED


def test_a_timeout_concludes_nothing_and_is_retried_next_run(fyfe):
    run(Recorder())
    verified = check_of(fyfe)
    later = timezone.now() + datetime.timedelta(days=8)
    run(Recorder().pubmed(FYFE_PMID, httpx.ReadTimeout("timed out")), now=later)
    check = check_of(fyfe)
    assert check.status == Status.VERIFIED and check.verified_on == verified.verified_on  # not "not found"
    assert check.checked_at == verified.checked_at  # so it is due again on the next run
    assert "PubMed" in check.error and "time limit" in check.error
    assert fyfe in verification.due_references(now=later)


def test_a_timeout_on_a_new_reference_leaves_it_not_checked(fyfe):
    run(Recorder().crossref(FYFE_DOI, httpx.ConnectTimeout("timed out")))
    check = check_of(fyfe)
    assert check.status == Status.NOT_CHECKED and check.checked_at is None and check.not_found == []


def test_a_service_that_says_slow_down_is_not_asked_again_this_run(demo_content):
    recorder = Recorder().on(lambda r: r.url.host == "eutils.ncbi.nlm.nih.gov",
                             httpx.Response(429, headers={"Retry-After": "60"}))  # fmt: skip
    summary = run(recorder)
    pubmed_requests = [r for r in recorder.requests if r.url.host == "eutils.ncbi.nlm.nih.gov"]
    assert len(pubmed_requests) == 1  # asked once, then left alone for the rest of the run
    with_pmid = ReferenceCheck.objects.exclude(reference__pmid="")
    assert summary.counts[Status.NOT_CHECKED] == Reference.objects.exclude(pmid="").count()
    assert with_pmid.count() >= 15 and all("slow down" in c.error for c in with_pmid)
    # Every paper PubMed was to answer for is retried next run; product labels have no identifier to look up.
    assert not with_pmid.filter(checked_at__isnull=False)
    # A paper with a DOI only (the demo's IDSA guideline) does not wait for PubMed: Crossref answered for it.
    doi_only = ReferenceCheck.objects.filter(reference__pmid="").exclude(reference__doi="")
    assert doi_only.exists() and all(check.status == Status.VERIFIED for check in doi_only)


def test_requests_to_one_host_are_spaced_by_the_rate_limit(fyfe):
    from cytokines.quality.http import HostRateLimiter

    clock, stamps = [100.0], []
    limiter = HostRateLimiter(1.0, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    recorder = Recorder().on(lambda r: stamps.append((r.url.host, clock[0])) and False, None)  # only records
    client = recorder.client(limiter=limiter)
    verification.run(resolvers=recorder.resolvers(client), client=client)
    expected = {"api.crossref.org": Reference.objects.exclude(doi="").count(),
                "eutils.ncbi.nlm.nih.gov": Reference.objects.exclude(pmid="").count()}  # fmt: skip
    for host in ("api.crossref.org", "eutils.ncbi.nlm.nih.gov"):
        times = [t for h, t in stamps if h == host]
        assert len(times) == expected[host] >= 15
        assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[1:], strict=False))
    assert clock[0] >= 114  # 15 requests a host at one a second take at least 14 seconds


def test_each_reference_is_rechecked_at_most_weekly_unless_edited(fyfe):
    recorded = recorded_references()
    others = Reference.objects.exclude(pk__in=[r.pk for r in recorded])  # only references a run can conclude on
    ArticleReference.objects.filter(reference__in=others).delete()
    for model in (SideEffect, SafetyStatement):  # the labels the fact sheets' safety rows cite
        model.objects.filter(reference__in=others).update(reference=None)
    others.delete()
    run(Recorder())
    recorder = Recorder()
    summary = run(recorder, now=timezone.now() + datetime.timedelta(days=6))
    assert summary.due == 0 and recorder.requests == []
    Reference.objects.filter(pk=fyfe.pk).update(updated_at=timezone.now() + datetime.timedelta(minutes=1))
    summary = run(Recorder(), now=timezone.now() + datetime.timedelta(days=1))
    assert summary.due == 1
    assert run(Recorder(), now=timezone.now() + datetime.timedelta(days=8)).due == len(recorded)


def test_a_reference_without_identifiers_is_recorded_as_such(db):
    reference = ReferenceFactory(doi="", pmid="", url="")
    recorder = Recorder()
    run(recorder)
    assert check_of(reference).status == Status.NO_IDENTIFIER
    assert recorder.requests == []
