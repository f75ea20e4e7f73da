"""Citation-manager files: read whole or refused whole, each bad entry named, one house style, bounded."""

import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from cytokines.models import Reference
from cytokines.transfer import citations, limits
from cytokines.transfer.citations import formats

from ..factories import ReferenceFactory

pytestmark = pytest.mark.django_db

GOOD_BIB = """@article{fyfe1995,
  author = {Fyfe, Gwen and Fisher, Richard I.},
  title = {Results of treatment of 255 patients with metastatic renal cell carcinoma.},
  journal = {J. Clin. Oncol.},
  year = {1995}, volume = {13}, number = {3}, pages = {688--96},
  doi = {10.1200/JCO.1995.13.3.688}
}
"""
BROKEN_BIB = """
@article{broken2001,
  author = {Smith, Jane},
  title = {A title whose brace is never closed,
  year = {2001},

"""
ACCENTED_BIB = """@article{dorr2019,
  author = {D{\\"o}rr, Anna and Garc{\\'i}a, Jos{\\'e}},
  title = {{\\'E}tude of {IL-2} and \\emph{interferon} in $\\alpha$-cells},
  journal = {Eur J Cancer}, year = {2019}, pages = {1--9}
}
"""


def upload(client, user, name, content, fmt=""):
    client.force_login(user)
    data = {"citation_file": SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)}
    if fmt:
        data["format"] = fmt
    return client.post(reverse("admin:cytokines_reference_import_citations"), data)


def confirm(client, preview):
    return client.post(
        reverse("admin:cytokines_reference_import_citations"),
        {"entries": preview.context["entries_json"], "confirm": "1"},
    )


def test_a_malformed_bibtex_entry_among_good_ones_refuses_the_file_naming_the_entry_and_line(client, staff):
    response = upload(client, staff["editor"], "refs.bib", GOOD_BIB + BROKEN_BIB + ACCENTED_BIB)
    problems = response.context["problems"]
    assert len(problems) == 1 and "“broken2001” (line 9)" in problems[0]
    assert "rows" not in response.context  # no preview to confirm: the file is refused whole
    assert "Nothing was imported" in response.content.decode()
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    ("kind", "text", "named"),
    [
        ("ris", "TY  - JOUR\nTI  - Kept\nER  - \n\nTY  - JOUR\nTI  - No end line\nPY  - 2001\n\n"
                "TY  - JOUR\nTI  - Last\nER  - \n", "“No end line” (line 5)"),
        ("csl-json", '[{"id": "ok", "title": "Fine"},\n {"id": "bad", "title": "T", "author": "not a list"}]',
         "“bad” (line 2)"),
    ],
)  # fmt: skip
def test_other_formats_name_each_bad_entry_too(kind, text, named):
    with pytest.raises(citations.CitationFileError) as refused:
        citations.PARSERS[kind](text)
    assert any(named in problem for problem in refused.value.problems)


def test_latex_accents_and_commands_are_decoded_and_stored_as_readers_should_see_them(client, staff):
    preview = upload(client, staff["editor"], "refs.bib", ACCENTED_BIB)
    assert confirm(client, preview).status_code == 302
    stored = Reference.objects.get()
    assert stored.authors == "Dörr A, García J"
    assert stored.title == "Étude of IL-2 and interferon in α-cells"
    assert "\\" not in stored.citation() and "{" not in stored.citation()


def test_a_corporate_author_in_braces_stays_one_name():
    entry = citations.parse_bibtex("@book{who, author = {{World Health Organization}}, title = {T}, year = 2020}")[0]
    assert entry["authors"] == "World Health Organization"


@pytest.mark.parametrize(("name", "content"), [("empty.ris", ""), ("empty.bib", "   \n"), ("empty.nbib", "\n"),
                                               ("empty.json", "")])  # fmt: skip
def test_an_empty_file_is_refused_with_a_clear_message(client, staff, name, content):
    response = upload(client, staff["editor"], name, content)
    assert response.context["problems"] == ["The file is empty: no references were read."]
    assert not Reference.objects.exists()


def test_a_csv_uploaded_as_ris_is_refused_saying_what_it_looks_like(client, staff):
    response = upload(client, staff["editor"], "refs.ris", "title,year,doi\nA paper,2020,10.1/x\n")
    [problem] = response.context["problems"]
    assert "not in RIS format" in problem and "spreadsheet (CSV)" in problem
    assert not Reference.objects.exists()


@pytest.mark.parametrize(("kind", "text", "looks_like"), [("bibtex", "TY  - JOUR\nTI  - x\nER  - \n", "RIS"),
                                                          ("medline", "TY  - JOUR\nTI  - x\nER  - \n", "RIS"),
                                                          ("csl-json", GOOD_BIB, "BibTeX")])  # fmt: skip
def test_a_file_in_another_citation_format_is_refused_naming_that_format(kind, text, looks_like):
    with pytest.raises(citations.CitationFileError, match=f"It looks like {looks_like}"):
        citations.PARSERS[kind](text)


def test_a_medline_file_is_recognised_by_its_extension(client, staff):
    text = "PMID- 6689734\nTI  - Alpha interferon for hairy-cell leukemia.\nAU  - Quesada JR\nTA  - N Engl J Med\n" \
           "DP  - 1984 Jan 5\nPG  - 15-8\n"  # fmt: skip
    response = upload(client, staff["editor"], "pubmed-export.medline", text)
    assert [row.action for row in response.context["rows"]] == ["add"]


RIS_SAME_PAPER = """TY  - JOUR
AU  - Fyfe, Gwen
AU  - Fisher, Richard I.
TI  - Results of treatment of 255 patients with metastatic renal cell carcinoma.
T2  - Journal of Clinical Oncology
J2  - J. Clin. Oncol.
PY  - 1995
SP  - 688
EP  - 96
DO  - 10.1200/JCO.1995.13.3.688
ER  -
"""
MEDLINE_SAME_PAPER = """PMID- 7884429
TI  - Results of treatment of 255 patients with metastatic renal cell
      carcinoma.
PG  - 688-96
AU  - Fyfe G
AU  - Fisher RI
TA  - J Clin Oncol
DP  - 1995 Mar
AID - 10.1200/JCO.1995.13.3.688 [doi]
"""
CSL_SAME_PAPER = json.dumps([{"id": "fyfe", "title": "Results of treatment of 255 patients with metastatic renal "
                              "cell carcinoma.", "container-title-short": "J Clin Oncol", "page": "688-696",
                              "author": [{"family": "Fyfe", "given": "Gwen"}, {"family": "Fisher", "given": "R. I."}],
                              "issued": {"date-parts": [[1995]]}, "DOI": "10.1200/JCO.1995.13.3.688"}])  # fmt: skip


def test_titles_journals_and_pages_come_out_in_one_style_from_every_format():
    texts = {"bibtex": GOOD_BIB, "ris": RIS_SAME_PAPER, "medline": MEDLINE_SAME_PAPER, "csl-json": CSL_SAME_PAPER}
    seen = set()
    for kind, text in texts.items():
        [row] = citations.preview(citations.PARSERS[kind](text))
        seen.add(tuple(row.data[k] for k in ("authors", "title", "container", "year", "pages", "doi")))
    assert seen == {("Fyfe G, Fisher RI", "Results of treatment of 255 patients with metastatic renal cell carcinoma",
                     "J Clin Oncol", 1995, "688-696", "10.1200/JCO.1995.13.3.688")}  # fmt: skip


def test_the_doi_keeps_its_spelling_for_readers_while_matching_ignores_case(client, staff):
    preview = upload(client, staff["editor"], "refs.bib", GOOD_BIB)
    confirm(client, preview)
    stored = Reference.objects.get()
    assert stored.doi == "10.1200/JCO.1995.13.3.688"
    assert stored.doi_url == "https://doi.org/10.1200/JCO.1995.13.3.688"
    again = upload(client, staff["editor"], "same.ris", RIS_SAME_PAPER.replace("JCO", "jco"))
    assert again.context["rows"][0].duplicate_of == stored
    assert Reference.objects.find_duplicate(doi="10.1200/jco.1995.13.3.688") == stored


def test_the_database_refuses_the_same_doi_in_another_case():
    ReferenceFactory(doi="10.1200/JCO.1995.13.3.688")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(doi="10.1200/jco.1995.13.3.688")
    assert Reference.objects.count() == 1


# --- limits (bounded time and memory, refused with the limit named) -----------------------------------


def test_half_a_million_bibtex_block_starts_are_refused_before_parsing_without_logging(monkeypatch, caplog):
    import bibtexparser

    monkeypatch.setattr(bibtexparser, "parse_string", lambda *a, **k: pytest.fail("parsed a file over the limit"))
    with caplog.at_level(logging.DEBUG), pytest.raises(citations.CitationFileError, match="limit is 5,000"):
        citations.parse_bibtex("@a{" * 500_000)
    assert not caplog.records


def test_broken_bibtex_blocks_are_reported_to_the_editor_not_logged_one_line_each(caplog):
    with caplog.at_level(logging.DEBUG), pytest.raises(citations.CitationFileError) as refused:
        citations.parse_bibtex("@a{" * 300)
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]
    assert refused.value.problems


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("ris", lambda n: "TY  - JOUR\nTI  - T\nER  - \n" * n),
        ("medline", lambda n: "PMID- 1\nTI  - T\n\n" * n),
        ("csl-json", lambda n: json.dumps([{"title": "T"}] * n)),
    ],
)
def test_citation_files_over_the_entry_limit_are_refused_naming_it(monkeypatch, kind, make):
    monkeypatch.setattr(limits, "MAX_CITATION_ENTRIES", 10)
    with pytest.raises(citations.CitationFileError, match="the limit is 10 per file"):
        citations.PARSERS[kind](make(11))
    assert len(citations.PARSERS[kind](make(10))) == 10


def test_a_long_medline_field_is_joined_once(monkeypatch):
    """Continuation lines are collected and joined once (the old += made a long field quadratic)."""
    lines = "".join(f"      word{n}\n" for n in range(50_000))
    [entry] = citations.parse_medline(f"PMID- 1\nTI  - Start\n{lines}AU  - Smith J\n")
    assert entry["title"].startswith("Start word0 word1") and entry["title"].endswith("word49999")
    assert entry["authors"] == "Smith J"


def test_deeply_nested_csl_json_is_refused_without_recursion_error():
    with pytest.raises(citations.CitationFileError, match="nested more than 20 levels"):
        citations.parse_csl_json("[" * 100_000 + "]" * 100_000)


def test_deeply_nested_latex_braces_are_refused_for_that_entry():
    text = "@article{deep, title = {" + "{" * 500 + "x" + "}" * 500 + "}, year = 2000}"
    with pytest.raises(citations.CitationFileError, match="“deep” .* nested more than 20 levels"):
        citations.parse_bibtex(text)


def test_a_citation_file_over_the_byte_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 100)
    monkeypatch.setattr(formats, "parse_ris", lambda text: pytest.fail("read a file over the limit"))
    with pytest.raises(citations.CitationFileError, match="the limit is"):
        citations.read_file(b"x" * 101, "ris")
