"""The roster's limits hold before the work they protect (issue 18, F1): a file over the row
limit is refused when it is uploaded, before a row is parsed; a job that fails says why; the job
page and the stored preview stay bounded however many rows have problems."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import RosterImport, RosterImportPhase
from assessments.rosters import reader
from assessments.rosters import services as roster_services
from assessments.rosters.reader import HEADERS, RosterFileError, inspect_workbook
from portal.core.errors import ServiceError
from tests.assessments.factories import hand_xlsx, roster_xlsx, row_values

OVER_LIMIT = "工作表共 42 行，表头下方超过 5 行；一次最多导入 5 行。请将文件拆分后逐个上传。"


@pytest.fixture
def small_limit(settings, monkeypatch):
    """A roster holds at most 5 rows; nothing may parse a sheet the limit refused."""
    settings.ROSTER_MAX_ROWS = 5

    def no_parsing(*args, **kwargs):
        raise AssertionError("a sheet over the row limit was parsed")

    monkeypatch.setattr(reader, "read_cells", no_parsing)


def post_file(client, plan, data: bytes):
    return client.post(
        reverse("roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("名册.xlsx", data)},
        follow=True,
    )


@pytest.mark.usefixtures("small_limit")
def test_a_roster_over_the_row_limit_is_refused_on_upload_before_a_row_is_read(client, alice, plan):
    client.force_login(alice)
    text = post_file(client, plan, roster_xlsx(40)).content.decode()
    assert "人员名册（.xlsx）：" + OVER_LIMIT in text
    assert not RosterImport.objects.exists()
    assert plan.roster.count() == 0


@pytest.mark.usefixtures("small_limit")
def test_the_row_limit_counts_the_rows_themselves_not_the_declared_dimension():
    # Short rows (a number and a name) under a sheet that declares three rows.
    rows = {1: ["职业技能等级认定人员名册"], 2: HEADERS}
    rows.update({n: [n - 2, f"张{n}"] for n in range(3, 43)})
    with pytest.raises(RosterFileError, match=OVER_LIMIT):
        inspect_workbook(hand_xlsx(rows, dimension="A1:V3"), max_rows=5)


def test_formatted_empty_rows_do_not_count_toward_the_row_limit(settings):
    settings.ROSTER_MAX_ROWS = 5
    styled = "".join(
        f'<row r="{n}"><c r="A{n}" s="0"/><c r="B{n}" s="0"/></row>' for n in range(5, 60)
    )
    rows = {1: HEADERS, 2: [1, "张1"], 3: [2, "张2"]}
    info = inspect_workbook(hand_xlsx(rows, raw_rows=styled), max_rows=5)
    assert info.row_elements == 58


@pytest.mark.usefixtures("small_limit")
def test_the_import_command_refuses_a_roster_over_the_row_limit_before_a_row_is_read(
    plan, tmp_path
):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx(40))
    with pytest.raises(CommandError, match=OVER_LIMIT):
        call_command("import_roster", "--plan", str(plan.pk), str(path), stdout=io.StringIO())
    assert plan.roster.count() == 0


def test_the_limit_counts_the_rows_below_the_header_exactly(settings, plan, alice):
    settings.ROSTER_MAX_ROWS = 5
    job = roster_services.roster_upload(
        plan=plan, actor=alice, data=roster_xlsx(5), filename="名册.xlsx"
    )  # a title row, the header and 5 rows
    assert (job.phase, job.rows) == (RosterImportPhase.CHECKED, 5)
    with pytest.raises(ServiceError, match="工作表共 8 行，表头下方超过 5 行"):
        roster_services.roster_upload(
            plan=plan, actor=alice, data=roster_xlsx(6), filename="名册.xlsx"
        )


def test_a_job_over_the_limit_when_its_worker_runs_fails_and_its_page_says_why(
    client, alice, plan, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(roster_services, "BACKGROUND_ROWS", 1)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_file(client, plan, roster_xlsx(40))
    job = RosterImport.objects.get(plan=plan)
    settings.ROSTER_MAX_ROWS = 5  # lowered while the job waited for a worker
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.phase == RosterImportPhase.FAILED
    text = client.get(reverse("roster_job", args=[plan.pk, job.pk])).content.decode()
    assert OVER_LIMIT in text
    assert "<progress" not in text


def test_a_check_whose_result_cannot_be_stored_fails_with_a_reason(
    client, alice, plan, monkeypatch
):
    def too_big(upload, parsed):
        raise MemoryError

    monkeypatch.setattr(roster_services, "_set_check_result", too_big)
    with pytest.raises(MemoryError):
        roster_services.roster_upload(
            plan=plan, actor=alice, data=roster_xlsx(2), filename="名册.xlsx"
        )
    job = RosterImport.objects.get(plan=plan)
    assert (job.phase, job.claimed_at) == (RosterImportPhase.FAILED, None)
    client.force_login(alice)
    text = client.get(reverse("roster_job", args=[plan.pk, job.pk])).content.decode()
    assert "平台出错，未能完成名册检查。" in text
    assert "<progress" not in text


def test_the_preview_stores_and_shows_a_bounded_number_of_bad_rows_the_report_has_all(
    client, alice, plan, monkeypatch
):
    monkeypatch.setattr(roster_services, "PREVIEW_ROWS", 3)
    client.force_login(alice)
    rows = [row_values(n, 联系电话="12345") for n in range(1, 9)]
    text = post_file(client, plan, roster_xlsx(rows)).content.decode()
    job = RosterImport.objects.get(plan=plan)
    assert (job.bad, len(job.preview["bad_rows"])) == (8, 3)
    assert "张3" in text and "张4" not in text
    assert "另有 5 行有问题，见错误报告。" in text
    report = client.get(reverse("roster_job_report", args=[plan.pk, job.pk])).content
    table = list(load_workbook(io.BytesIO(report)).active.iter_rows(values_only=True))
    names = [row[3] for row in table if row[3] and str(row[3]).startswith("张")]
    assert names == [f"张{n}" for n in range(1, 9)]
    assert all("不是有效的电话号码" in row[-1] for row in table if row[3] in names)


def test_the_job_page_stays_small_however_many_rows_have_problems(client, alice, plan):
    reasons = [["联系电话", "“12345”不是有效的电话号码" * 3, "R-P5"]] * 3
    bad_rows = [[n + 3, f"张{n}", "440***********1807", reasons] for n in range(20_000)]
    file_problems = [[0, "", "单元格含公式" * 5, "R-P5"]] * 5_000
    job = RosterImport.objects.create(
        plan=plan,
        phase=RosterImportPhase.CHECKED,
        rows=20_000,
        bad=20_000,
        preview={"file_problems": file_problems, "bad_rows": bad_rows},
    )
    client.force_login(alice)
    response = client.get(reverse("roster_job", args=[plan.pk, job.pk]))
    assert len(response.content) < 1_000_000
    text = response.content.decode()
    shown = len(roster_services.preview_bad_rows(bad_rows))
    assert f"另有 {20_000 - shown} 行有问题，见错误报告。" in text
    assert f"另有 {5_000 - roster_services.PREVIEW_ROWS} 个文件问题，见错误报告。" in text


# The sheet's extent: calamine makes a dense table from A1 to the farthest value, so a small file
# with one far cell would ask for gigabytes (a cell at XFD50000: 26 GB, and the process aborts).

FAR = "工作表中的数据延伸到第 %s 行、第 %s 列，远超可读取的范围（至多 1000000 个单元格）。"


def roster_with(raw_rows: str) -> bytes:
    return hand_xlsx({1: HEADERS, 2: [1, "张1"]}, raw_rows=raw_rows)


@pytest.mark.parametrize(
    ("raw_rows", "rows", "columns"),
    [
        ('<row r="50000"><c r="XFD50000" t="inlineStr"><is><t>x</t></is></c></row>', 50000, 16384),
        ('<row r="3"><c r="A1048576"><v>1</v></c></row>', 1048576, 21),
        # No cell reference: the cells follow each other in their row.
        ('<row r="39999">' + "<c><v>1</v></c>" * 100 + "</row>", 39999, 100),
    ],
)
def test_a_value_far_outside_the_roster_is_refused_on_upload_before_the_sheet_is_read(
    client, alice, plan, monkeypatch, raw_rows, rows, columns
):
    def no_parsing(*args, **kwargs):
        raise AssertionError("a sheet too wide or too long was parsed")

    monkeypatch.setattr(reader, "read_cells", no_parsing)
    client.force_login(alice)
    text = post_file(client, plan, roster_with(raw_rows)).content.decode()
    assert "人员名册（.xlsx）：" + FAR % (rows, columns) in text
    assert not RosterImport.objects.exists()


def test_formatted_cells_far_away_and_notes_beside_the_roster_are_accepted():
    formatted = '<row r="60000"><c r="AZ60000" s="1"/></row>'
    note = '<row r="3"><c r="AD3" t="inlineStr"><is><t>备注</t></is></c></row>'
    parsed = reader.read_roster(roster_with(note + formatted))
    assert [row.row for row in parsed.rows] == [2]


@pytest.mark.parametrize(
    "raw_rows",
    [
        # calamine takes the last of two references, and reads a cell of any prefix.
        '<row r="3"><c r="A3" r="XFD50000"><v>1</v></c></row>',
        '<row r="3"><y:c xmlns:y="urn:other" r="XFD50000"><y:v>1</y:v></y:c></row>',
    ],
)
def test_a_far_cell_disguised_is_refused_before_the_sheet_is_read(monkeypatch, raw_rows):
    def no_parsing(*args, **kwargs):
        raise AssertionError("a sheet too wide or too long was parsed")

    monkeypatch.setattr(reader, "read_cells", no_parsing)
    with pytest.raises(RosterFileError, match="工作表中的数据延伸到|无法读取"):
        reader.read_roster(roster_with(raw_rows))


def test_the_job_page_stays_small_however_long_the_cells_it_quotes(client, alice, plan):
    # A message quotes the cell; a cell holds up to 32,767 characters (random, or the ZIP
    # checks would refuse the file as a bomb).
    noise = random.Random(18)

    def long_text(alphabet: str) -> str:
        return "".join(noise.choices(alphabet, k=30_000))

    rows = [
        row_values(n, 联系电话=long_text("0123456789"), 电子邮箱=long_text("abcdefgh"))
        for n in range(1, 41)
    ]
    client.force_login(alice)
    response = post_file(client, plan, roster_xlsx(rows))
    job = RosterImport.objects.get(plan=plan)
    assert job.bad == 40
    assert len(response.content) < 1_000_000
    assert len(str(job.preview)) < 1_000_000
    assert "联系电话：“" in response.content.decode()  # the reason, cut short


def test_a_sheet_with_a_formula_that_is_not_well_formed_is_refused_not_a_server_error():
    broken = '<row r="3"><c r="A3" t="str"><f>1+1</f><v>2</v></row>'
    with pytest.raises(RosterFileError, match="无法读取该工作簿"):
        inspect_workbook(roster_with(broken))
