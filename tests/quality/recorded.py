"""Recorded answers for the reference checks: the demo's recordings, with a test's changes on top. No network."""

import json
from pathlib import Path
from urllib.parse import quote

import httpx
from django.conf import settings

from cytokines.quality.http import PoliteClient, recorded_transport
from cytokines.quality.resolvers import resolvers_for

RECORDED = Path(settings.BASE_DIR) / "fixtures" / "recorded"
CROSSREF = "https://api.crossref.org/works/"
EFETCH = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"


def recorded_references():
    """The demo references whose every identifier has a recorded registry answer (the ones a run can verify).

    Product labels (an address, no DOI or PubMed ID) and papers added without recordings are checked too,
    but cannot be verified offline; tests count them apart.
    """
    from cytokines.content.library import Reference
    from cytokines.quality.http import recorded_path

    def recorded(reference):
        doi_ok = not reference.doi or recorded_path(RECORDED, "crossref", reference.doi, ".json").exists()
        pmid_ok = not reference.pmid or (RECORDED / "pubmed" / f"{reference.pmid}.xml").exists()
        return (reference.doi or reference.pmid) and doi_ok and pmid_ok

    return [reference for reference in Reference.objects.order_by("pk") if recorded(reference)]


def crossref_body(doi):
    return json.loads((RECORDED / "crossref" / f"{quote(doi, safe='')}.json").read_text())


def pubmed_body(pmid):
    return (RECORDED / "pubmed" / f"{pmid}.xml").read_text()


class Recorder:
    """A transport answering from the demo recordings, unless a test registered its own answer.

    ``answers`` maps a predicate on the request to a response (or an exception to raise). Every request
    is kept in ``requests`` so tests can assert what was (not) asked.
    """

    def __init__(self):
        self.answers = []
        self.requests = []
        self.base = recorded_transport(RECORDED)

    def on(self, predicate, answer):
        self.answers.insert(0, (predicate, answer))
        return self

    def crossref(self, doi, answer):
        return self.on(lambda r: r.url.host == "api.crossref.org" and doi in str(r.url).lower(), answer)

    def doi_org(self, doi, answer):
        return self.on(lambda r: r.url.host == "doi.org" and doi in str(r.url).lower(), answer)

    def pubmed(self, pmid, answer):
        return self.on(lambda r: r.url.host == "eutils.ncbi.nlm.nih.gov" and r.url.params.get("id") == pmid, answer)

    def url(self, url, answer):
        return self.on(lambda r: str(r.url) == url, answer)

    def handle(self, request):
        self.requests.append(request)
        for predicate, answer in self.answers:
            if predicate(request):
                if isinstance(answer, Exception):
                    raise answer
                return answer(request) if callable(answer) else answer
        return self.base.handle_request(request)

    def client(self, **kwargs):
        kwargs.setdefault("min_interval", 0)
        return PoliteClient(httpx.MockTransport(self.handle), **kwargs)

    def resolvers(self, client):
        return resolvers_for(client)


def json_answer(body, status=200):
    return httpx.Response(status, json=body)


def xml_answer(text, status=200):
    return httpx.Response(status, text=text, headers={"Content-Type": "text/xml"})
