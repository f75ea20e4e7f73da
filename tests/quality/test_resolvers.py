"""The resolvers read the services' documented formats, including their less common shapes."""

import httpx
import pytest

from cytokines.quality.compare import mismatches
from cytokines.quality.http import CheckError
from cytokines.quality.resolvers import CrossrefResolver, PubMedResolver, parse_csl, parse_pubmed
from tests.factories import ReferenceFactory

from .recorded import Recorder

GROUP_AUTHOR = b"""<?xml version="1.0" ?>
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">123</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>5</Volume>
<PubDate><MedlineDate>1998 Mar-Apr</MedlineDate></PubDate></JournalIssue><Title>Cancer</Title>
<ISOAbbreviation>Cancer</ISOAbbreviation></Journal><ArticleTitle>Interferon <i>alfa</i> in renal cancer.</ArticleTitle>
<Pagination><StartPage>12</StartPage><EndPage>19</EndPage></Pagination>
<AuthorList><Author><CollectiveName>Renal Cancer Study Group</CollectiveName></Author></AuthorList></Article>
<MedlineJournalInfo><MedlineTA>Cancer</MedlineTA></MedlineJournalInfo></MedlineCitation></PubmedArticle>
</PubmedArticleSet>"""


def test_pubmed_group_authors_season_dates_inline_markup_and_start_end_pages():
    record = parse_pubmed(GROUP_AUTHOR, "123")
    assert record.first_author == "Renal Cancer Study Group"
    assert record.year == 1998
    assert record.title == "Interferon alfa in renal cancer."
    assert record.pages == "12-19"


def test_pubmed_xml_with_entity_tricks_is_refused_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<PubmedArticleSet>&b;</PubmedArticleSet>")
    with pytest.raises(CheckError, match="entity"):
        parse_pubmed(bomb, "1")


def test_a_garbled_answer_is_no_answer():
    with pytest.raises(CheckError):
        parse_pubmed(b"<html>Service unavailable", "1")
    client = Recorder().on(lambda r: True, httpx.Response(200, text="<html>oops</html>")).client()
    with pytest.raises(CheckError):
        CrossrefResolver(client).lookup("10.1/x")
    client = Recorder().on(lambda r: True, httpx.Response(502)).client()
    with pytest.raises(CheckError):
        PubMedResolver(client).lookup("1")


def test_crossref_titles_lose_their_markup_and_given_names_become_initials():
    record = parse_csl({"title": ["Low-dose <i>IL-2</i> &amp; melanoma"], "author": [
        {"given": "Jean-Jacques", "family": "Kiladjian", "sequence": "first"}], "issued": {"date-parts": [[2008]]},
        "container-title": ["Blood"], "volume": "112", "page": "3065-3072"}, "10.1/x")  # fmt: skip
    assert record.title == "Low-dose IL-2 & melanoma"
    assert record.first_author == "Kiladjian JJ"


@pytest.mark.django_db
def test_a_reference_matches_despite_differences_of_form_only():
    reference = ReferenceFactory(authors="Salès F, Gore M", title="Pegylated interferon: a trial", container="Lancet",
                                 year=2008, volume="372", pages="117-26")  # fmt: skip
    record = parse_csl({"title": "PEGYLATED INTERFERON - A TRIAL.", "author": [{"family": "Sales", "given": "F."}],
                        "issued": {"date-parts": [[2008, 7, 12]]}, "container-title": "The Lancet", "volume": "372",
                        "page": "117\u2013126"}, "10.1/x")  # fmt: skip
    assert mismatches(reference, record) == []
