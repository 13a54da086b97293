"""Exports never write a formula cell: text a user typed that starts with = + - @ (or a tab) is
written as text, and reads back unchanged. Every Excel download is read back with openpyxl and
its sheet XML searched for <f>; and no code outside portal/core/xlsx.py makes a workbook, so a
new export cannot forget (the structural guarantee)."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from assessments.rosters.reader import HEADERS, Problem
from assessments.rosters.spreadsheets import (
    roster_error_report_xlsx,
    roster_export_xlsx,
    roster_template_xlsx,
)
from assessments.scores import services as score_services
from assessments.scores.spreadsheets import score_export_xlsx, score_template_xlsx
from certificates.reports.spreadsheets import report_xlsx
from demo import assessments as demo
from filings.directory.spreadsheets import directory_xlsx
from filings.models import Filing, WorkType
from portal.core.xlsx import new_workbook, workbook_bytes, workbook_to_bytes
from supervision.draws.spreadsheets import coverage_workbook
from supervision.stats.views import workbook as stats_workbook
from tests.assessments.factories import PlanFactory, RosterEntryFactory
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.certificates.factories import issued_batch
from tests.support.factories import (
    OccupationFactory,
    ScopeLineFactory,
    approved_filing,
)

HYPERLINK = '=HYPERLINK("http://x","y")'
PAYLOADS = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"]
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s/>]")


def read_back(content: bytes) -> list:
    """Every cell of every sheet; fails if one is a formula, in openpyxl's eyes or in the XML."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not _FORMULA_ELEMENT.search(archive.read(name)), name
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    return cells


def assert_typed_text_is_kept(content: bytes, texts) -> None:
    """Each text is a text cell with its value unchanged, quote-prefixed like Excel's '=…."""
    by_value = {cell.value: cell for cell in read_back(content) if isinstance(cell.value, str)}
    for text in texts:
        assert text in by_value, f"{text!r} is not in the export"
        assert by_value[text].data_type == "s"
        assert by_value[text].quotePrefix


def test_the_writer_makes_text_of_plain_values_and_of_cells_made_elsewhere():
    from openpyxl.cell import WriteOnlyCell

    book = new_workbook()
    sheet = book.create_sheet("x")
    sheet.append([*PAYLOADS, 3, None, dt.date(2026, 1, 2), "plain"])
    sheet.append([WriteOnlyCell(sheet, value=text) for text in PAYLOADS])
    cells = read_back(workbook_to_bytes(book))
    assert [cell.value for cell in cells[:5]] == PAYLOADS
    assert [cell.value for cell in cells[9:14]] == PAYLOADS
    assert cells[5].value == 3 and cells[5].data_type == "n"
    assert not cells[8].quotePrefix  # ordinary text stays ordinary


def test_workbook_bytes_writes_text(db):
    content = workbook_bytes(title="t", headers=["=h"], rows=[PAYLOADS])
    assert_typed_text_is_kept(content, ["=h", *PAYLOADS])


def test_no_code_makes_a_workbook_without_the_text_writer():
    root = Path(settings.BASE_DIR)
    offenders = []
    for folder in ["portal", "filings", "assessments", "certificates", "supervision"]:
        for path in (root / folder).rglob("*.py"):
            if path == root / "portal" / "core" / "xlsx.py":
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bWorkbook\(|openpyxl\.Workbook\b|\.cell\(row=", text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


# Every export ----------------------------------------------------------------------------------


def test_the_directory_export(ent_a):
    ent_a.name, ent_a.address, ent_a.contact_name = HYPERLINK, "+1+1", "-2+3"
    ent_a.save(update_fields=["name", "address", "contact_name"])
    filing = approved_filing(ent_a)
    occupation = OccupationFactory(code="6-18-01-01", name="@SUM(A1)")
    ScopeLineFactory(
        filing=filing,
        occupation=occupation,
        work_type=WorkType.objects.create(occupation=occupation, name="\t=1+1"),
    )
    filings = Filing.objects.filter(pk=filing.pk).select_related("enterprise__district__parent")
    assert_typed_text_is_kept(directory_xlsx(filings), PAYLOADS)


def test_the_roster_export_template_and_error_report(ent_a):
    plan = PlanFactory(enterprise=ent_a)
    RosterEntryFactory(
        plan=plan,
        name=HYPERLINK,
        employer="+1+1",
        position="-2+3",
        email="@SUM(A1)",
        institution_name="\t=1+1",
    )
    assert_typed_text_is_kept(roster_export_xlsx(plan.roster.all()), PAYLOADS)
    read_back(roster_template_xlsx())
    report = roster_error_report_xlsx(
        headers=HEADERS,
        rows=[(4, PAYLOADS, [Problem('=WEBSERVICE("http://x")', row=4, header="B")])],
        file_problems=[Problem("@cmd", row=0)],
    )
    assert_typed_text_is_kept(report, PAYLOADS)
    cells = read_back(report)
    assert any('=WEBSERVICE("http://x")' in str(cell.value) for cell in cells)


def test_the_score_template_and_export(ent_a):
    plan = acknowledged_plan_with_roster(ent_a, size=2)
    first, second = plan.roster.order_by("seq")
    first.name, second.name = HYPERLINK, "+1+1"
    first.direct_recognition_evidence = "@SUM(A1)"
    first.result_reason = "-2+3"
    first.save()
    second.save()
    layout = score_services.layout_for(plan)
    entries = plan.roster.order_by("seq").prefetch_related("scores")
    template = score_template_xlsx(title="\t=1+1", layout=layout, entries=entries)
    assert_typed_text_is_kept(template, [HYPERLINK, "+1+1", "@SUM(A1)"])
    export = score_export_xlsx(title=plan.title, layout=layout, entries=entries)
    assert_typed_text_is_kept(export, [HYPERLINK, "+1+1", "@SUM(A1)", "-2+3"])


def test_the_certificate_report(ent_a, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    certificate = issued_batch(ent_a, alice, "passed").certificates.select_related("entry").get()
    certificate.holder_name = HYPERLINK
    certificate.issuer_name = "+1+1"
    certificate.occupation_name = "-2+3"
    certificate.work_type_name = "@SUM(A1)"
    certificate.entry.employer = "\t=1+1"
    assert_typed_text_is_kept(report_xlsx([certificate]), PAYLOADS)


def test_the_statistics_export():
    sheets = [("=Flags", ["=Enterprise", "Rule"], [[text, "R-M1"] for text in PAYLOADS])]
    assert_typed_text_is_kept(stats_workbook(sheets), ["=Enterprise", *PAYLOADS])


def test_the_coverage_export(db):
    district = SimpleNamespace(area_name="+1+1")
    enterprise = SimpleNamespace(name=HYPERLINK, credit_code="-2+3", district=district)
    draw = SimpleNamespace(title="@SUM(A1)", drawn_at=dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC))
    inspection = SimpleNamespace(draw=draw, get_status_display=lambda: "\t=1+1")
    rows = [
        SimpleNamespace(enterprise=enterprise, inspected=True, inspections=[inspection]),
        SimpleNamespace(enterprise=enterprise, inspected=False, inspections=[]),
    ]
    assert_typed_text_is_kept(coverage_workbook(rows=rows, year=2026), PAYLOADS)


def test_the_annual_evaluation_export(client, ent_a, carl):
    ent_a.name = HYPERLINK
    ent_a.save(update_fields=["name"])
    approved_filing(
        ent_a, "440300000001", approved_on=dt.date(2025, 6, 1), valid_until=dt.date(2099, 1, 9)
    )
    client.force_login(carl)
    response = client.get(reverse("evaluation_export") + "?year=2026")
    assert response.status_code == 200
    assert_typed_text_is_kept(response.content, [HYPERLINK])


def test_the_demo_roster(db):
    occupation = SimpleNamespace(name="+1+1", code="-2+3")
    line = SimpleNamespace(occupation=occupation, work_type=SimpleNamespace(name="@SUM(A1)"))
    content = demo.roster_xlsx(SimpleNamespace(name=HYPERLINK), line, 2)
    assert_typed_text_is_kept(content, [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)"])
