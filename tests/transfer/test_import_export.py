import io
import json

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cytokines.models import (
    Agent,
    Article,
    ArticleReference,
    ArticleRevision,
    CancerType,
    Contributor,
    FaqItem,
    Reference,
    RegulatoryApproval,
    ReviewEvent,
)
from cytokines.transfer import citations, content_io
from cytokines.transfer.resources import CONTENT_RESOURCES
from cytokines.transfer.spreadsheets import SafeCSV, SafeXLSX

from ..factories import ArticleFactory, ReferenceFactory
from ..wiping import wipe

pytestmark = pytest.mark.django_db
CONTENT_MODELS = [ArticleReference, FaqItem, Article, Agent, Reference, Contributor, CancerType]


def export_all_as_json():
    return {kind: json.loads(content_io.export_dataset(kind).json) for kind in CONTENT_RESOURCES}


def without_status(snapshot):
    return {
        kind: [{k: v for k, v in row.items() if k.lower() != "status"} for row in rows]
        for kind, rows in snapshot.items()
    }


def wipe_content():
    from cytokines.content.glossary import GlossaryTerm, GlossaryTermRevision
    from cytokines.content.interests import DeclaredInterest
    from cytokines.content.revisions import AgentRevision
    from cytokines.content.safety import SafetyStatement, SideEffect

    # Glossary terms link medicines: SQLite does not cascade a raw delete, so they go too (not exported here).
    wipe([ReviewEvent, ArticleRevision, AgentRevision, GlossaryTermRevision, GlossaryTerm, SideEffect,
          SafetyStatement, DeclaredInterest, RegulatoryApproval, *CONTENT_MODELS])


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx"])
def test_round_trip_into_an_empty_database_gives_the_same_content(demo_content, tmp_path, file_format):
    before = export_all_as_json()
    positions = list(Article.objects.get(slug="interleukins-in-cancer-treatment").article_references
                     .values_list("position", flat=True))  # fmt: skip
    assert positions == list(range(1, len(positions) + 1)) and len(positions) >= 4
    call_command("export_content", "all", str(tmp_path), "--format", file_format)
    wipe_content()
    assert not Article.objects.exists()
    call_command("import_content", "all", str(tmp_path), "--format", file_format, stdout=io.StringIO())
    assert without_status(export_all_as_json()) == without_status(before)
    # Review dates and ordered references survive; publication does not (see the draft rule).
    article = Article.objects.get(slug="interleukins-in-cancer-treatment")
    assert [link.position for link in article.article_references.all()] == positions
    assert not Article.objects.filter(status=Article.Status.PUBLISHED).exists()


def articles_csv(rows):
    dataset = tablib.Dataset(headers=["slug", "title", "kind", "language", "summary", "body", "agents", "references"])
    for row in rows:
        dataset.append(row)
    return dataset


def test_one_bad_row_rolls_back_the_whole_file_and_says_which_row_and_why():
    reference = ReferenceFactory(doi="10.1000/good")
    dataset = articles_csv([
        ("one", "One", "overview", "en", "S", "Body [1]", "", "doi:10.1000/good"),
        ("two", "Two", "overview", "en", "S", "Body", "", ""),
        ("three", "Three", "overview", "en", "S", "Body", "no-such-agent", ""),
        ("four", "Four", "wrong-kind", "en", "S", "Body", "", "doi:10.1000/missing"),
    ])  # fmt: skip
    with pytest.raises(content_io.ImportRejected) as rejected:
        content_io.import_dataset("articles", dataset)
    problems = "\n".join(rejected.value.problems)
    assert "Row 3" in problems and "no-such-agent" in problems
    assert "Row 4" in problems and "10.1000/missing" in problems
    assert not Article.objects.exists()
    assert reference.article_links.count() == 0


def test_a_good_file_imports_with_ordered_references():
    first, second = ReferenceFactory(doi="10.1000/a"), ReferenceFactory(pmid="123456", doi="")
    dataset = articles_csv([("one", "One", "overview", "en", "S", "Body [1][2]", "", "pmid:123456; doi:10.1000/A")])
    summary = content_io.import_dataset("articles", dataset)
    assert summary.new == 1
    article = Article.objects.get(slug="one")
    assert [link.reference for link in article.article_references.all()] == [second, first]


def test_imported_articles_always_arrive_as_drafts():
    dataset = articles_csv([("one", "One", "overview", "en", "S", "Body", "", "")])
    dataset.append_col(["published"], header="status")
    content_io.import_dataset("articles", dataset)
    assert Article.objects.get(slug="one").status == Article.Status.DRAFT


def test_an_import_changes_a_published_article_only_as_its_pending_revision():
    live = ArticleFactory(slug="live", title="Live title").live_revision
    dataset = articles_csv([("live", "Changed by a spreadsheet", "overview", "en", "S", "Body", "", "")])
    summary = content_io.import_dataset("articles", dataset)
    assert summary.notes == ["Row 1: “Live title” is published: the change is now its pending revision (draft); "
                             "readers keep the live version until it is reviewed and published."]  # fmt: skip
    article = Article.objects.get(slug="live")
    assert article.title == "Changed by a spreadsheet" and article.status == Article.Status.DRAFT
    assert article.live_revision == live and live.title == "Live title"


def test_an_import_may_update_a_draft():
    ArticleFactory(slug="draft", title="Old", status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    content_io.import_dataset("articles", articles_csv([("draft", "New", "overview", "en", "S", "Body", "", "")]))
    assert Article.objects.get(slug="draft").title == "New"


def test_dry_run_checks_but_saves_nothing():
    summary = content_io.import_dataset(
        "articles", articles_csv([("one", "One", "overview", "en", "S", "B", "", "")]), dry_run=True
    )
    assert summary.new == 1 and not Article.objects.exists()


def test_references_are_deduplicated_by_doi_and_pmid_on_import():
    existing = ReferenceFactory(doi="10.1000/same", pmid="", title="Old title")
    dataset = tablib.Dataset(headers=["authors", "title", "container", "year", "doi", "pmid"])
    dataset.append(["Smith A", "New title", "J Test", 2020, "https://doi.org/10.1000/SAME", ""])
    dataset.append(["Jones B", "Other", "J Test", 2021, "", "555"])
    content_io.import_dataset("references", dataset)
    assert Reference.objects.count() == 2
    existing.refresh_from_db()
    assert existing.title == "New title"


def test_duplicate_rows_in_one_reference_file_are_reported_by_row():
    dataset = tablib.Dataset(headers=["authors", "title", "container", "year", "doi", "pmid"])
    dataset.append(["A", "T1", "J", 2020, "10.1000/x", ""])
    dataset.append(["B", "T2", "J", 2020, "10.1000/X", ""])
    with pytest.raises(content_io.ImportRejected, match="Row 2 has the same DOI as row 1"):
        content_io.import_dataset("references", dataset)
    assert not Reference.objects.exists()


def test_a_bad_reference_row_rolls_back_the_bulk_import():
    dataset = tablib.Dataset(headers=["authors", "title", "container", "year", "doi", "pmid"])
    for n in range(5):
        dataset.append(["A", f"T{n}", "J", 2020, f"10.1000/{n}", ""])
    dataset.append(["A", "Bad", "J", 1200, "10.1000/bad", ""])
    with pytest.raises(content_io.ImportRejected, match="Row 6"):
        content_io.import_dataset("references", dataset)
    assert not Reference.objects.exists()


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"])
def test_exported_cells_that_would_start_a_formula_are_escaped(payload):
    ArticleFactory(title=payload)
    csv_text = SafeCSV().export_data(content_io.export_dataset("articles"))
    assert list(tablib.Dataset().load(csv_text, format="csv").dict)[0]["title"] == "'" + payload
    workbook = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(content_io.export_dataset("articles"))))
    titles = [row[1].value for row in workbook.active.iter_rows(min_row=2)]
    assert titles == ["'" + payload]


def test_files_over_the_size_limit_are_refused_with_a_message(monkeypatch):
    from cytokines.transfer import limits

    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(content_io.ImportRejected, match="the limit is"):
        content_io.read_dataset(b"x" * 101, SafeCSV())


def test_files_over_the_row_limit_are_refused(monkeypatch):
    from cytokines.transfer import limits

    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 2)
    dataset = articles_csv([(f"a{n}", "T", "overview", "en", "S", "B", "", "") for n in range(3)])
    with pytest.raises(content_io.ImportRejected, match="the limit is 2 rows"):
        content_io.import_dataset("articles", dataset)
    assert not Article.objects.exists()


def test_import_command_fails_loudly_and_imports_nothing(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("slug,title,kind,language,summary,body\na,A,overview,en,S,B\nb,B,nonsense,en,S,B\n")
    with pytest.raises(CommandError, match="Row 2"):
        call_command("import_content", "articles", str(path))
    assert not Article.objects.exists()


# --- citation formats --------------------------------------------------------------------------

RIS = """TY  - JOUR
AU  - Rosenberg, Steven A.
TI  - IL-2: the first effective immunotherapy for human cancer
T2  - J Immunol
PY  - 2014
VL  - 192
IS  - 12
SP  - 5451
EP  - 5458
DO  - 10.4049/jimmunol.1490019
ER  -
"""
BIBTEX = """@article{fyfe1995,
  author = {Fyfe, Gwen and Fisher, Richard I. and Rosenberg, Steven A.},
  title = {Results of treatment of 255 patients with metastatic renal cell carcinoma},
  journal = {J Clin Oncol},
  year = {1995}, volume = {13}, number = {3}, pages = {688--696},
  doi = {10.1200/JCO.1995.13.3.688}
}"""
MEDLINE = """PMID- 6689734
TI  - Alpha interferon for induction of remission in hairy-cell
      leukemia.
PG  - 15-8
AU  - Quesada JR
AU  - Reuben J
TA  - N Engl J Med
DP  - 1984 Jan 5
VI  - 310
IP  - 1
AID - 10.1056/NEJM198401053100104 [doi]
"""
CSL = json.dumps([{
    "type": "article-journal", "title": "Cytokines in cancer immunotherapy", "container-title": "Cancers (Basel)",
    "author": [{"family": "Lee", "given": "Sylvia"}, {"family": "Margolin", "given": "Kim"}],
    "issued": {"date-parts": [[2011, 10, 13]]}, "volume": "3", "issue": "4", "page": "3856-3893",
    "DOI": "10.3390/cancers3043856", "PMID": "24213115",
}])  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("ris", RIS, {"authors": "Rosenberg SA", "container": "J Immunol", "year": 2014, "pages": "5451-5458",
                      "doi": "10.4049/jimmunol.1490019"}),
        ("bibtex", BIBTEX, {"authors": "Fyfe G, Fisher RI, Rosenberg SA", "year": 1995, "issue": "3",
                            "pages": "688-696", "doi": "10.1200/JCO.1995.13.3.688"}),
        ("medline", MEDLINE, {"authors": "Quesada JR, Reuben J", "pmid": "6689734", "year": 1984,
                              "title": "Alpha interferon for induction of remission in hairy-cell leukemia.",
                              "doi": "10.1056/NEJM198401053100104"}),
        ("csl-json", CSL, {"authors": "Lee S, Margolin K", "year": 2011, "pmid": "24213115",
                           "container": "Cancers (Basel)"}),
    ],
)  # fmt: skip
def test_each_citation_format_is_read_into_reference_fields(kind, text, expected):
    entry = citations.PARSERS[kind](text)[0]
    assert {key: entry[key] for key in expected} == expected


@pytest.mark.parametrize(("kind", "text"), [("medline", "hello"), ("csl-json", "{not json"), ("csl-json", "5")])
def test_unreadable_citation_files_get_a_clear_message(kind, text):
    with pytest.raises(citations.CitationFileError):
        citations.PARSERS[kind](text)


def test_citation_preview_marks_stored_papers_and_in_file_duplicates():
    stored = ReferenceFactory(doi="10.4049/jimmunol.1490019")
    entries = citations.parse_ris(RIS) + citations.parse_bibtex(BIBTEX) + citations.parse_bibtex(BIBTEX)
    rows = citations.preview(entries)
    assert rows[0].duplicate_of == stored
    assert rows[1].action == "add"
    assert "entry 2" in rows[2].errors[0]


def test_citation_import_in_the_admin_previews_then_saves(client, staff):
    ReferenceFactory(doi="10.4049/jimmunol.1490019")
    client.force_login(staff["editor"])
    url = reverse("admin:cytokines_reference_import_citations")
    upload = SimpleUploadedFile(
        "refs.ris", (RIS + "\n" + RIS.replace("10.4049/jimmunol.1490019", "10.9999/new")).encode()
    )
    preview = client.post(url, {"citation_file": upload})
    assert preview.status_code == 200 and Reference.objects.count() == 1
    assert [row.action for row in preview.context["rows"]] == ["skip (already in the library)", "add"]
    saved = client.post(url, {"entries": preview.context["entries_json"], "confirm": "1"})
    assert saved.status_code == 302
    assert Reference.objects.filter(doi="10.9999/new").exists() and Reference.objects.count() == 2


def test_citation_import_is_refused_to_users_without_add_permission(client, staff):
    client.force_login(staff["nobody"])
    assert client.get(reverse("admin:cytokines_reference_import_citations")).status_code == 403


def test_admin_spreadsheet_import_shows_row_errors_and_saves_nothing(client, staff):
    client.force_login(staff["superuser"])
    csv_bytes = b"slug,title,kind,language,summary,body\nok,OK,overview,en,S,B\nbad,Bad,nonsense,en,S,B\n"
    response = client.post(
        reverse("admin:cytokines_article_import"),
        {"import_file": SimpleUploadedFile("a.csv", csv_bytes), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "nonsense" in response.content.decode()
    assert not Article.objects.exists()
