"""The agents spreadsheet in the admin's words: labels, per-regulator columns, errors that list what is allowed."""

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cytokines.models import Agent, CancerType, RegulatoryApproval
from cytokines.transfer import content_io

from ..factories import ReferenceFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Name", "Slug", "Agent class", "Nonproprietary name", "Brand names", "Summary", "How it works", "Routes",
           "Where it is given",
           "FDA status", "FDA year", "FDA indication", "FDA cancer types", "EMA status", "EMA year",
           "MHRA status", "References"]  # fmt: skip
EDITORS_SHEET = [  # written as an editor copies from the admin: labels, mixed case, short route names
    ["Interleukin-2", "interleukin-2", "Interleukin", "aldesleukin", "Proleukin", "S", "M",
     "Intravenous (into a vein)",
     "In the hospital, with intensive-care support", "Approved", 1992, "Metastatic kidney cancer", "Kidney cancer",
     "not approved for cancer", "", "Withdrawn", "doi:10.1200/JCO.1995.13.3.688"],
    ["Interferon alfa-2b", "interferon-alfa-2b", "interferon", "interferon alfa-2b", "Intron A", "S", "M",
     "Subcutaneous; intramuscular", "home; clinic", "Discontinued by its maker", 1986, "Hairy cell leukemia",
     "hairy-cell-leukemia", "withdrawn", 2000, "", ""],
    ["Peginterferon alfa-2a", "peginterferon-alfa-2a", "INTERFERON", "", "Pegasys", "S", "M", "sc",
     "At home (injections you or a carer give)",
     "Investigational", "", "", "", "", "", "", ""],
    ["TNF alfa-1a", "tasonermin", "Tumour necrosis factor", "tasonermin", "Beromun", "S", "M",
     "Isolated limb perfusion", "In the hospital", "not approved for cancer", "", "", "", "Approved", 1999, "", ""],
    ["Sargramostim", "sargramostim", "Colony-stimulating / growth factor", "", "Leukine", "S", "M",
     "Intravenous; Subcutaneous", "Not known", "Approved", 1991, "", "", "", "", "", ""],
    ["Nogapendekin alfa", "nogapendekin-alfa", "Cytokine fusion protein", "", "Anktiva", "S", "M",
     "Intravesical (into the bladder)", "", "approved", 2024, "Bladder cancer", "", "", "", "", ""],
    ["Interferon gamma-1b", "interferon-gamma", "Interferon", "", "Actimmune", "S", "M", "SUBCUTANEOUS", "HOME",
     "Not approved for cancer", "", "", "", "", "", "", ""],
]  # fmt: skip


@pytest.fixture
def library():
    CancerType.objects.create(name="Kidney cancer", slug="kidney-cancer")
    CancerType.objects.create(name="Hairy cell leukemia", slug="hairy-cell-leukemia")
    ReferenceFactory(doi="10.1200/JCO.1995.13.3.688")


def sheet(rows, headers=HEADERS):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset


def test_an_editors_spreadsheet_of_seven_agents_with_admin_labels_imports_in_one_go(library):
    summary = content_io.import_dataset("agents", sheet(EDITORS_SHEET))
    assert summary.new == 7
    il2 = Agent.objects.get(slug="interleukin-2")
    assert (il2.agent_class, il2.routes, il2.places) == ("interleukin", ["iv"], ["intensive_care"])
    fda = il2.approvals.get(regulator="fda")
    assert (fda.status, fda.year_approved, fda.indication) == ("approved", 1992, "Metastatic kidney cancer")
    assert [c.slug for c in fda.cancer_types.all()] == ["kidney-cancer"]
    assert il2.approvals.get(regulator="ema").status == "not_approved"
    assert Agent.objects.get(slug="interferon-alfa-2b").routes == ["im", "sc"]
    assert Agent.objects.get(slug="interferon-alfa-2b").places == ["clinic", "home"]
    assert Agent.objects.get(slug="sargramostim").places == ["not_known"]
    assert RegulatoryApproval.objects.count() == 11


def test_an_unknown_label_is_refused_naming_row_column_value_and_allowed_values(library):
    rows = [list(EDITORS_SHEET[0]), list(EDITORS_SHEET[1])]
    rows[1][HEADERS.index("FDA status")] = "Aproved"
    rows[1][HEADERS.index("Routes")] = "Intravenous; by mouth"
    with pytest.raises(content_io.ImportRejected) as rejected:
        content_io.import_dataset("agents", sheet(rows))
    problems = "\n".join(rejected.value.problems)
    assert ("Row 2, column “FDA status”: “Aproved” is not an allowed value. Allowed values: Approved; "
            "Investigational; Withdrawn; Discontinued by its maker; Not approved for cancer.") in problems  # fmt: skip
    assert "Row 2, column “Routes”: “by mouth” is not an allowed value. Allowed values: Intravenous" in problems
    assert not Agent.objects.exists() and not RegulatoryApproval.objects.exists()


def test_a_file_touching_a_published_agent_makes_its_pending_revision_and_says_so_in_words(library):
    from ..factories import AgentFactory

    live = AgentFactory(slug="interleukin-2", name="Interleukin-2", status=Agent.Status.PUBLISHED).live_revision
    row = list(EDITORS_SHEET[0])
    summary = content_io.import_dataset("agents", sheet([row, EDITORS_SHEET[1]]))
    notes = "\n".join(summary.notes)
    assert "Row 1: “Interleukin-2” is published: the change is now its pending revision" in notes
    assert "agent_published_has_review_dates" not in notes
    agent = Agent.objects.get(slug="interleukin-2")
    assert agent.status == Agent.Status.DRAFT and agent.live_revision == live  # readers keep the live version
    assert agent.live_revision.content["approvals"] == [] and agent.approvals.exists()


def test_where_given_not_known_is_said_as_not_known(client, library):
    content_io.import_dataset("agents", sheet(EDITORS_SHEET))
    agent = Agent.objects.get(slug="sargramostim")
    assert agent.place_labels == ["Not known"]
    from django.template.loader import render_to_string

    from cytokines.public.pages import agent_safety
    from cytokines.review.snapshots import build_revision

    revision = build_revision(agent, number=0)[0]
    html = render_to_string("cytokines/agent_detail.html", {"agent": revision, **agent_safety(revision)})
    assert "<dt>Where it is given</dt><dd>Not known</dd>" in html and "In the hospital" not in html


def test_a_second_import_updates_a_use_keeps_the_others_and_asks_for_a_new_check(library):
    import datetime

    content_io.import_dataset("agents", sheet(EDITORS_SHEET[:1]))
    il2 = Agent.objects.get(slug="interleukin-2")
    melanoma = il2.approvals.create(regulator="fda", indication="Metastatic melanoma", status="approved",
                                    year_approved=1998, checked_on=datetime.date(2026, 12, 1))  # fmt: skip
    il2.approvals.filter(indication="Metastatic kidney cancer").update(checked_on=datetime.date(2026, 12, 1))
    row = list(EDITORS_SHEET[0])
    row[HEADERS.index("FDA year")] = 1993
    content_io.import_dataset("agents", sheet([row]))
    kidney = il2.approvals.get(indication="Metastatic kidney cancer")
    assert (kidney.year_approved, kidney.checked_on) == (1993, None)
    melanoma.refresh_from_db()
    assert melanoma.checked_on == datetime.date(2026, 12, 1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_of_agents_gives_back_the_same_cells(library, fmt):
    from cytokines.transfer.spreadsheets import FORMATS_BY_NAME

    content_io.import_dataset("agents", sheet(EDITORS_SHEET))
    before = content_io.export_dataset("agents").dict
    assert before[0]["FDA status"] in {"Approved", "Investigational", "Withdrawn", "Discontinued by its maker",
                                       "Not approved for cancer", ""}  # fmt: skip
    file_format = FORMATS_BY_NAME[fmt]()
    exported = file_format.export_data(content_io.export_dataset("agents"))
    dataset = content_io.read_dataset(exported if isinstance(exported, bytes) else exported.encode(), file_format)
    summary = content_io.import_dataset("agents", dataset)
    assert summary.updated == 7
    assert content_io.export_dataset("agents").dict == before


def test_admin_import_preview_shows_every_column_approvals_included(client, staff, library):
    client.force_login(staff["superuser"])
    csv_text = sheet(EDITORS_SHEET[:1]).export("csv")
    response = client.post(
        reverse("admin:cytokines_agent_import"),
        {"import_file": SimpleUploadedFile("agents.csv", csv_text.encode()), "format": "0", "resource": "0"},
    )
    html = response.content.decode()
    for header in ["FDA status", "FDA year", "FDA indication", "FDA cancer types", "EMA status", "MHRA status",
                   "Routes", "Where it is given"]:  # fmt: skip
        assert f"<th>{header}</th>" in html
    assert "Metastatic kidney cancer" in html and "1992" in html and "Kidney cancer" in html
    assert not Agent.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_import_page_links_a_template_listing_allowed_values(client, staff, fmt):
    client.force_login(staff["editor"])
    page = client.get(reverse("admin:cytokines_agent_import")).content.decode()
    url = reverse("admin:cytokines_agent_import_template", args=[fmt])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Name,Slug,Agent class")
        assert ("# FDA status: Approved; Investigational; Withdrawn; Discontinued by its maker; "
                "Not approved for cancer") in text
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.worksheets[0]["A1"].value == "Name"
        notes = {row[0]: row[1] for row in workbook["Allowed values"].iter_rows(values_only=True)}
        assert notes["Where it is given"].startswith("In the hospital, with intensive-care support; In the hospital;")


def test_the_template_is_refused_to_people_who_may_not_import(client, staff):
    client.force_login(staff["nobody"])
    url = reverse("admin:cytokines_agent_import_template", args=["csv"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
