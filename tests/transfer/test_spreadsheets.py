"""Spreadsheet imports: limits before or while reading, exact round trips, plain-language commands."""

import io
import zipfile

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cytokines.models import Article, Reference
from cytokines.ops import request_limits
from cytokines.ops.formulas import escape_formula, unescape_formula
from cytokines.transfer import content_io, limits, tables
from cytokines.transfer.spreadsheets import SafeCSV, SafeXLSX

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db
TRICKY = ["-2+3", "=SUM(A1)", "'=already quoted", "''+x", "@home", "'plain apostrophe", "+1", "\ttab"]


def xlsx_declaring(dimension, cells):
    """A tiny workbook whose sheet claims ``dimension`` and holds ``cells`` (row, column letter, text)."""
    out = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["slug"])
    workbook.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rows = "".join(f'<row r="{r}"><c r="{c}{r}" t="inlineStr"><is><t>{t}</t></is></c></row>' for r, c, t in cells)
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{namespace}"><dimension ref="{dimension}"/>'
             f"<sheetData>{rows}</sheetData></worksheet>")  # fmt: skip
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item, data)
    return result.getvalue()


def test_a_tiny_xlsx_declaring_huge_dimensions_reads_only_what_is_there():
    raw = xlsx_declaring("A1:XFD1048576", [(1, "A", "slug"), (2, "A", "one")])
    assert len(raw) < 10_000
    dataset = tables.read_xlsx(raw)
    assert dataset.headers == ["slug"] and dataset["slug"] == ["one"]


def test_an_xlsx_row_claiming_a_far_column_or_row_is_refused_naming_the_limit():
    with pytest.raises(limits.LimitExceeded, match="the limit is 200 columns"):
        tables.read_xlsx(xlsx_declaring("A1:A2", [(1, "A", "slug"), (2, "XFD", "far")]))
    with pytest.raises(limits.LimitExceeded, match="empty rows in a row; the limit is 100,000"):
        tables.read_xlsx(xlsx_declaring("A1:A2", [(1, "A", "slug"), (900_000, "A", "far")]))


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", 1000)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened a workbook over the limit"))
    with pytest.raises(limits.LimitExceeded, match="unpacks to"):
        tables.read_xlsx(xlsx_declaring("A1", [(1, "A", "slug"), (2, "A", "x" * 5000)]))


def test_csv_over_the_row_column_or_cell_limit_is_refused_while_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 3)
    with pytest.raises(limits.LimitExceeded, match="the limit is 3 rows per file"):
        tables.read_csv("slug\n" + "a\n" * 4)
    with pytest.raises(limits.LimitExceeded, match="the limit is 200 columns"):
        tables.read_csv("," * 300 + "\n")


def test_json_nested_too_deep_is_refused_without_recursion_error():
    with pytest.raises(limits.LimitExceeded, match="nested more than 20 levels"):
        tables.read_json("[" * 50_000 + "]" * 50_000)


def reference_rows(count, start=0):
    dataset = tablib.Dataset(headers=["authors", "title", "container", "year", "doi", "pmid"])
    for n in range(start, start + count):
        dataset.append(["Smith A", f"Paper {n}", "J Test", 2020, f"10.5555/r.{n}", str(1000 + n)])
    return dataset


def test_an_import_over_the_row_limit_is_refused_at_once_with_one_message(monkeypatch):
    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 5)
    with pytest.raises(content_io.ImportRejected) as rejected:
        content_io.import_dataset("references", reference_rows(6))
    assert rejected.value.problems == [
        "The file has more than 5 rows; the limit is 5 rows per file. Split it into smaller files."
    ]
    assert not Reference.objects.exists()


def test_re_importing_known_references_counts_unchanged_rows_as_unchanged(django_assert_max_num_queries):
    content_io.import_dataset("references", reference_rows(50))
    changed = reference_rows(50)
    changed[0] = ["Smith A", "Paper 0, corrected", "J Test", 2020, "10.5555/R.0", "1000"]
    with django_assert_max_num_queries(15):  # bulk: a constant number of queries, not one per row
        summary = content_io.import_dataset("references", changed)
    assert (summary.new, summary.updated, summary.skipped) == (0, 1, 49)
    assert Reference.objects.get(pmid="1000").title == "Paper 0, corrected"


@pytest.mark.parametrize("value", TRICKY)
def test_formula_escaping_is_undone_exactly(value):
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("file_format", [SafeCSV, SafeXLSX])
def test_export_edit_import_round_trip_is_exact_to_the_cell(file_format):
    for n, title in enumerate(TRICKY):
        ArticleFactory(slug=f"tricky-{n}", title=title, summary=title, status=Article.Status.DRAFT,
                       last_reviewed=None, next_review_due=None)  # fmt: skip
    before = content_io.export_dataset("articles").dict
    exported = file_format().export_data(content_io.export_dataset("articles"))
    dataset = content_io.read_dataset(exported if isinstance(exported, bytes) else exported.encode(), file_format())
    content_io.import_dataset("articles", dataset)
    after = content_io.export_dataset("articles").dict
    assert [row["title"] for row in after] == [row["title"] for row in before]
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(TRICKY)
    assert after == before


def test_import_command_on_an_empty_csv_prints_plain_words_and_fails(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("")
    with pytest.raises(CommandError) as refused:
        call_command("import_content", "articles", str(path))
    assert str(refused.value) == "Nothing was imported:\n  The file is empty: it has no header row and no rows."
    assert "Error(" not in str(refused.value) and not Article.objects.exists()


def test_import_command_from_the_shell_exits_non_zero_without_a_python_repr(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "agents.csv"
    path.write_text("name\nX\n")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_content", "agents", str(path)]).execute()
    err = capsys.readouterr().err
    assert exited.value.code == 1
    assert err.startswith("Nothing was imported:") and "CommandError" not in err and "FieldError" not in err
    assert "no column “Slug”" in err


def test_export_command_reports_an_unwritable_place_in_words(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CommandError, match="Nothing was exported: cannot write"):
        call_command("export_content", "all", str(target / "inside"), "--format", "csv")


def test_a_huge_upload_is_refused_before_the_csrf_check_and_before_it_is_read(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["editor"])
    response = client.post(
        reverse("admin:cytokines_reference_import_citations"),
        {"citation_file": SimpleUploadedFile("big.ris", b"x" * 100)},
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413  # not 403: the CSRF check never ran
    assert "limit of 10.2 MB" in response.content.decode()


def test_the_upload_handler_stops_a_body_streaming_past_the_limit(rf):
    request = rf.post("/admin/cytokines/reference/import-citations/")
    handler = request_limits.LimitedUploadHandler(request)
    handler.handle_raw_input(None, {}, 0, b"x")
    handler.receive_data_chunk(b"x" * 1024, 0)
    with pytest.raises(request_limits.RequestDataTooBig):
        handler.receive_data_chunk(b"x" * (11 * 1024 * 1024), 1024)


@pytest.mark.parametrize("corrected", [1, 40])
def test_corrections_in_a_re_import_cost_the_same_queries_however_many(corrected, django_assert_max_num_queries):
    """Each corrected row used to look up its citing pages (two queries a row): 20,000 corrections, 40,000 queries."""
    content_io.import_dataset("references", reference_rows(50))
    changed = reference_rows(50)
    for n in range(corrected):
        changed[n] = ["Smith A", f"Paper {n}, corrected", "J Test", 2020, f"10.5555/R.{n}", str(1000 + n)]
    with django_assert_max_num_queries(15):
        summary = content_io.import_dataset("references", changed)
    assert (summary.new, summary.updated, summary.skipped) == (0, corrected, 50 - corrected)
    assert Reference.objects.filter(title__endswith=", corrected").count() == corrected
