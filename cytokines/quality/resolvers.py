"""Resolvers: look a DOI or a PubMed ID up in its registry and return the published record.

The interface is one method, ``lookup(identifier) -> Record | None``: ``None`` means the registry says
the identifier does not exist; a ``CheckError`` (from ``http``) means no answer came and nothing may be
concluded. ``CrossrefResolver`` asks Crossref's REST API and, for DOIs Crossref does not hold (other
registration agencies), doi.org with CSL-JSON content negotiation. ``PubMedResolver`` asks NCBI
E-utilities (efetch, PubMed XML). Both parse the services' documented formats; tests and the demo feed
them recorded answers through ``http.recorded_transport`` instead of the network.
"""

import html
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import quote

from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings

from cytokines.quality.http import CheckError


@dataclass(frozen=True)
class Record:
    """What a registry says about a work, in the shape our references use."""

    source: str  # "doi" or "pmid"
    identifier: str
    title: str = ""
    first_author: str = ""  # "Surname Initials", as our author lists print it
    year: int | None = None
    journal: str = ""  # the name we would store: NLM abbreviation from PubMed, short title from Crossref
    journal_names: tuple = field(default_factory=tuple)  # every name the record gives (full, ISO, NLM...)
    volume: str = ""
    issue: str = ""
    pages: str = ""

    def as_json(self):
        return {**asdict(self), "journal_names": list(self.journal_names)}

    @classmethod
    def from_json(cls, data):
        return cls(**{**data, "journal_names": tuple(data.get("journal_names", ()))})


def initials(given):
    """'Steven A.' -> 'SA'; 'Jean-Jacques' -> 'JJ'."""
    return "".join(part[0] for part in re.split(r"[\s.\-]+", given or "") if part).upper()


def strip_markup(text):
    """Crossref titles may carry JATS/HTML tags (<i>, <sub>) and entities."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text or "")).split())


def _first(value):
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def _names(*values):
    names = []
    for value in values:
        for name in value if isinstance(value, list) else [value]:
            if name and name not in names:
                names.append(strip_markup(name))
    return tuple(names)


def parse_csl(data, identifier):
    """Crossref's /works "message" and doi.org's CSL-JSON share their field names (lists vs strings aside)."""
    author = next((a for a in data.get("author", []) if a.get("sequence") == "first"), None)
    author = author or _first(data.get("author", [])) or {}
    if author.get("family"):
        first_author = " ".join(filter(None, [author["family"], initials(author.get("given", ""))]))
    else:
        first_author = author.get("name", "") or author.get("literal", "")
    date = data.get("published-print") or data.get("issued") or {}
    parts = (date.get("date-parts") or [[None]])[0]
    short = data.get("short-container-title") or data.get("container-title-short") or []
    names = _names(data.get("container-title"), short)
    return Record(
        source="doi",
        identifier=identifier,
        title=strip_markup(_first(data.get("title"))),
        first_author=strip_markup(first_author),
        year=int(parts[0]) if parts and parts[0] else None,
        journal=strip_markup(_first(short) or _first(data.get("container-title"))),
        journal_names=names,
        volume=str(data.get("volume", "")),
        issue=str(data.get("issue", "")),
        pages=str(data.get("page", "")),
    )


class CrossrefResolver:
    source = "doi"
    works_url = "https://api.crossref.org/works/"
    doi_url = "https://doi.org/"

    def __init__(self, client):
        self.client = client

    def lookup(self, doi):
        params = {"mailto": settings.REFERENCE_CHECKS["CONTACT_EMAIL"]}
        response = self.client.get(self.works_url + quote(doi, safe="/"), params=params)
        if response.status_code == 200:
            return parse_csl(_json(response)["message"], doi)
        if response.status_code != 404:
            raise CheckError(f"Crossref answered {response.status_code}.")
        # Not a Crossref DOI; another registration agency (DataCite, mEDRA...) may hold it.
        response = self.client.get(
            self.doi_url + quote(doi, safe="/"), headers={"Accept": "application/vnd.citationstyles.csl+json"}
        )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CheckError(f"doi.org answered {response.status_code}.")
        return parse_csl(_json(response), doi)


def _json(response):
    try:
        return response.json()
    except ValueError:
        raise CheckError("The service answered with something that is not JSON.") from None


def _text(element, path):
    found = element.find(path)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def parse_pubmed(xml_bytes, pmid):
    """The PubmedArticle for ``pmid`` in an efetch answer (PubMed XML), or None when the set lacks it."""
    try:
        root = ElementTree.fromstring(xml_bytes)
    except (ElementTree.ParseError, DefusedXmlException):
        raise CheckError("PubMed answered with XML that could not be read (or that tried entity tricks).") from None
    for article in root.iter("PubmedArticle"):
        citation = article.find("MedlineCitation")
        if citation is None or _text(citation, "PMID") != pmid:
            continue
        body = citation.find("Article")
        if body is None or body.find("Journal") is None:
            raise CheckError(f"PubMed's record {pmid} is not a journal article; check it by hand.")
        journal = body.find("Journal")
        author = body.find("AuthorList/Author")
        first_author = ""
        if author is not None:
            first_author = _text(author, "CollectiveName") or " ".join(
                filter(None, [_text(author, "LastName"), _text(author, "Initials")])
            )
        year = _text(journal, "JournalIssue/PubDate/Year") or _text(journal, "JournalIssue/PubDate/MedlineDate")[:4]
        nlm_abbreviation = _text(citation, "MedlineJournalInfo/MedlineTA")
        pages = _text(body, "Pagination/MedlinePgn")
        if not pages and body.find("Pagination/StartPage") is not None:
            pages = "-".join(filter(None, [_text(body, "Pagination/StartPage"), _text(body, "Pagination/EndPage")]))
        return Record(
            source="pmid",
            identifier=pmid,
            title=_text(body, "ArticleTitle"),
            first_author=first_author,
            year=int(year) if year.isdigit() else None,
            journal=nlm_abbreviation or _text(journal, "ISOAbbreviation"),
            journal_names=_names(nlm_abbreviation, _text(journal, "ISOAbbreviation"), _text(journal, "Title")),
            volume=_text(journal, "JournalIssue/Volume"),
            issue=_text(journal, "JournalIssue/Issue"),
            pages=pages,
        )
    return None


class PubMedResolver:
    source = "pmid"
    efetch_url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"

    def __init__(self, client):
        self.client = client

    def lookup(self, pmid):
        config = settings.REFERENCE_CHECKS
        params = {"db": "pubmed", "id": pmid, "retmode": "xml", "tool": config["TOOL_NAME"],
                  "email": config["CONTACT_EMAIL"]}  # fmt: skip
        if config["NCBI_API_KEY"]:
            params["api_key"] = config["NCBI_API_KEY"]
        response = self.client.get(self.efetch_url, params=params)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CheckError(f"PubMed answered {response.status_code}.")
        # An unknown PMID comes back as an empty PubmedArticleSet.
        return parse_pubmed(response.content, pmid)


def resolvers_for(client):
    """The production resolvers, by the reference field they look up."""
    return {"doi": CrossrefResolver(client), "pmid": PubMedResolver(client)}
