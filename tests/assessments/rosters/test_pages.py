"""R-P5 roster pages: upload → preview of every bad row → import (clean, or the good rows when
asked) → the roster; the error report, the template, the export; big files in the background."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import RosterImport, RosterImportPhase
from assessments.rosters import services as roster_services
from assessments.rosters.reader import CATEGORY_HEADER, HEADERS, REASON_HEADER
from assessments.rosters.reader.conditions import CONDITION_HEADERS
from portal.core.masking import mask_id
from tests.assessments.factories import (
    PlanFactory,
    RosterEntryFactory,
    id_number,
    roster_xlsx,
    row_values,
)


def upload(client, plan, data: bytes, name: str = "名册.xlsx"):
    return client.post(
        reverse("roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def latest_job(plan) -> RosterImport:
    return RosterImport.objects.filter(plan=plan).latest("pk")


def sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[index].iter_rows(values_only=True))


def test_r_p5_a_clean_file_is_previewed_then_imported(client, alice, plan):
    client.force_login(alice)
    text = upload(client, plan, roster_xlsx(3)).content.decode()
    assert "全部 3 行均无误。" in text
    assert "导入这 3 名考生" in text
    assert plan.roster.count() == 0  # nothing before the user says so
    job = latest_job(plan)
    response = client.post(
        reverse("roster_job_import", args=[plan.pk, job.pk]), {"mode": "all"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("roster_detail", args=[plan.pk])
    text = response.content.decode()
    assert "已将 3 名考生导入人员名册。" in text
    assert "张1" in text and mask_id(id_number(3)) in text and id_number(3) not in text
    assert plan.roster.count() == 3
    job.refresh_from_db()
    assert not job.file  # the upload is not kept once imported


def test_r_p5_the_preview_lists_every_bad_row_with_its_reasons(client, alice, plan):
    client.force_login(alice)
    rows = [row_values(1), row_values(2, 联系电话="12345", 职业技能等级="二级/技师"), row_values(3)]
    text = upload(client, plan, roster_xlsx(rows)).content.decode()
    assert "有问题的行" in text
    assert "“12345”不是有效的电话号码" in text
    assert "二级/技师 不在本计划的认定等级之内" in text
    assert "张2" in text and mask_id(id_number(2)) in text and id_number(2) not in text
    assert "导入这 3 名考生" not in text
    assert "只导入无误的 2 行，不导入其余 1 行" in text
    assert "下载错误报告（Excel）" in text


def test_r_p5_a_file_with_problems_is_not_imported_unless_the_good_rows_are_chosen(
    client, alice, plan
):
    client.force_login(alice)
    upload(client, plan, roster_xlsx([row_values(1), row_values(2, 联系电话="12345")]))
    job = latest_job(plan)
    url = reverse("roster_job_import", args=[plan.pk, job.pk])
    text = client.post(url, {"mode": "all"}, follow=True).content.decode()
    assert "有 1 行存在问题：请改正后重新上传，或明确选择只导入无误的 1 行。" in text
    assert plan.roster.count() == 0
    text = client.post(url, {"mode": "good"}, follow=True).content.decode()
    assert "已将 1 名考生导入人员名册。" in text
    assert list(plan.roster.values_list("name", flat=True)) == ["张1"]
    text = client.post(url, {"mode": "good"}, follow=True).content.decode()
    assert "该文件已导入或正在导入。" in text


def test_r_p5_an_unreadable_upload_is_refused_on_the_form(client, alice, plan):
    client.force_login(alice)
    text = upload(client, plan, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "名册.xls")
    assert "该文件是 Excel 97–2003 工作簿（.xls）" in text.content.decode()
    assert not RosterImport.objects.exists()


def test_r_p5_the_error_report_holds_the_bad_rows_as_they_were_and_why(client, alice, plan):
    client.force_login(alice)
    rows = [row_values(1), row_values(2, 联系电话="12345"), row_values(3, 性别="女")]
    upload(client, plan, roster_xlsx(rows))
    job = latest_job(plan)
    response = client.get(reverse("roster_job_report", args=[plan.pk, job.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=" in response["Content-Disposition"]
    table = sheet_rows(response.content)
    assert table[0][0] == "职业技能等级认定人员名册（有问题的行）"
    header_at = next(i for i, row in enumerate(table) if row[0] == "序号")
    assert list(table[header_at]) == [*HEADERS, CATEGORY_HEADER, REASON_HEADER]
    bad = table[header_at + 1 :]
    assert [row[3] for row in bad] == ["张2", "张3"]
    assert bad[0][5] == mask_id(id_number(2)) and bad[0][8] == "12345"  # masked (PIPL)
    assert bad[0][-1].startswith("原文件第 4 行。\n联系电话：“12345”不是有效的电话号码")
    assert "性别：“女”与证件号不符" in bad[1][-1]


def test_r_p5_the_error_report_corrected_can_be_uploaded_again(client, alice, plan):
    client.force_login(alice)
    upload(client, plan, roster_xlsx([row_values(1, 联系电话="12345")]))
    job = latest_job(plan)
    # To upload it again the report needs the numbers as typed: a deliberate, audited download.
    report = client.post(
        reverse("roster_job_report_full", args=[plan.pk, job.pk]), {"purpose": "改正名册"}
    ).content
    workbook = load_workbook(io.BytesIO(report))
    sheet = workbook.active
    for row in sheet.iter_rows():
        if row[8].value == "12345":
            row[8].value = "13912345678"
    buffer = io.BytesIO()
    workbook.save(buffer)
    text = upload(client, plan, buffer.getvalue()).content.decode()
    assert "全部 1 行均无误。" in text


def test_r_p5_the_blank_template_has_the_official_columns_and_text_id_column(client, alice, plan):
    client.force_login(alice)
    response = client.get(reverse("roster_template", args=[plan.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "职业技能等级认定人员名册"
    assert list(rows[1]) == [*HEADERS, CATEGORY_HEADER, *CONDITION_HEADERS]
    assert len(rows) == 2
    assert sheet.column_dimensions["F"].number_format == "@"  # 证件号 typed as text
    notes = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert notes[0] == "人员名册填写说明"
    # Filled in, the template is a roster the import takes.
    for values in (row_values(1), row_values(2)):
        sheet.append([values[header] for header in [*HEADERS, CATEGORY_HEADER]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "全部 2 行均无误。" in upload(client, plan, buffer.getvalue()).content.decode()


def test_r_p5_the_export_is_in_the_official_format_and_imports_again(client, alice, plan):
    client.force_login(alice)
    roster_services.roster_import(
        plan=plan,
        actor=alice,
        data=roster_xlsx([row_values(1), row_values(2, 职业技能等级="五级")]),
        filename="a.xlsx",
    )
    masked = sheet_rows(client.get(reverse("roster_export", args=[plan.pk])).content)
    assert masked[2][5] == mask_id(id_number(1))  # the usual export (PIPL)
    content = client.post(
        reverse("roster_export_full", args=[plan.pk]), {"purpose": "报送省级系统"}
    ).content
    rows = sheet_rows(content)
    assert list(rows[1]) == [*HEADERS, CATEGORY_HEADER]
    first = rows[2]
    assert first[0] == 1 and first[3] == "张1" and first[5] == id_number(1)
    assert first[7].date() == dt.date(1990, 1, 1)  # a real Excel date, not text
    assert first[10] == "是" and first[18] == "四级/中级工" and first[21] == "本企业职工"
    assert rows[3][18] == "五级/初级工"
    assert "全部 2 行均无误。" in upload(client, plan, content).content.decode()


def test_r_p5_reviewers_download_the_export_of_a_plan_they_see(client, dora, carl, fred, ent_a):
    submitted = PlanFactory(enterprise=ent_a, status="submitted")
    RosterEntryFactory(plan=submitted, name="李雷")
    for reviewer in (dora, carl):
        client.force_login(reviewer)
        response = client.get(reverse("roster_export", args=[submitted.pk]))
        assert response.status_code == 200
        assert sheet_rows(response.content)[2][3] == "李雷"
        assert client.get(reverse("roster_upload", args=[submitted.pk])).status_code == 404
    client.force_login(fred)
    assert client.get(reverse("roster_export", args=[submitted.pk])).status_code == 404


def test_r_p5_the_roster_pages_are_the_enterprise_s_while_the_plan_is_editable(
    client, alice, bob, ent_a
):
    draft = PlanFactory(enterprise=ent_a)
    submitted = PlanFactory(enterprise=ent_a, status="submitted")
    client.force_login(bob)
    assert client.get(reverse("roster_upload", args=[draft.pk])).status_code == 404
    assert client.get(reverse("roster_detail", args=[draft.pk])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("roster_upload", args=[draft.pk])).status_code == 200
    assert client.get(reverse("roster_upload", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("roster_photos", args=[submitted.pk])).status_code == 404
    text = client.get(reverse("roster_detail", args=[submitted.pk])).content.decode()
    assert "从 Excel 导入人员名册" not in text


def test_r_p5_a_job_belongs_to_its_plan(client, alice, plan, ent_a):
    client.force_login(alice)
    upload(client, plan, roster_xlsx(1))
    job = latest_job(plan)
    other = PlanFactory(enterprise=ent_a)
    assert client.get(reverse("roster_job", args=[other.pk, job.pk])).status_code == 404
    assert client.get(reverse("roster_job_report", args=[other.pk, job.pk])).status_code == 404


def test_r_p5_a_big_file_is_checked_and_imported_in_the_background_with_progress(
    client, alice, plan, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(roster_services, "BACKGROUND_ROWS", 3)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        text = upload(client, plan, roster_xlsx(6)).content.decode()
    assert "正在逐行检查……" in text
    assert "<progress" in text
    job = latest_job(plan)
    status_url = reverse("roster_job_status", args=[plan.pk, job.pk])
    assert client.get(status_url).json()["finished"] is False
    for callback in callbacks:  # the worker picks the task up
        callback()
    status = client.get(status_url).json()
    assert status["finished"] is True and status["phase"] == "checked"
    assert status["done"] == status["total"]
    assert (
        "全部 6 行均无误。"
        in client.get(reverse("roster_job", args=[plan.pk, job.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("roster_job_import", args=[plan.pk, job.pk]), {"mode": "all"}
        )
    assert response.status_code == 302
    assert plan.roster.count() == 6
    status = client.get(status_url).json()
    assert (status["phase"], status["percent"]) == ("imported", 100)
    text = client.get(reverse("roster_job", args=[plan.pk, job.pk])).content.decode()
    assert "已将 6 名考生导入人员名册；有问题的 0 行未导入。" in text


@pytest.fixture
def alice_in_background(client, alice, monkeypatch):
    """Alice is signed in; a roster of more than one row is checked and imported by a task."""
    monkeypatch.setattr(roster_services, "BACKGROUND_ROWS", 1)
    client.force_login(alice)


def upload_in_background(client, plan, capture_on_commit, *, delivered: bool) -> RosterImport:
    """A roster of two rows uploaded; unless `delivered`, the broker is down and the task that
    checks it never runs."""
    with capture_on_commit(execute=delivered):
        upload(client, plan, roster_xlsx(2))
    return latest_job(plan)


def _age(job: RosterImport, by: dt.timedelta, **fields) -> None:
    RosterImport.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - by - dt.timedelta(seconds=1), **fields
    )


@pytest.mark.usefixtures("alice_in_background")
def test_a_get_of_the_job_page_never_runs_work(
    client, plan, monkeypatch, django_capture_on_commit_callbacks
):
    job = upload_in_background(client, plan, django_capture_on_commit_callbacks, delivered=False)
    _age(job, roster_services.STALE_RUNNING)

    def no_work(**kwargs):
        raise AssertionError("a GET ran the check or the import")

    monkeypatch.setattr(roster_services, "roster_check", no_work)
    monkeypatch.setattr(roster_services, "roster_import", no_work)
    for phase in (RosterImportPhase.CHECKING, RosterImportPhase.IMPORTING):
        RosterImport.objects.filter(pk=job.pk).update(phase=phase)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            text = client.get(reverse("roster_job", args=[plan.pk, job.pk])).content.decode()
            status = client.get(reverse("roster_job_status", args=[plan.pk, job.pk])).json()
        assert "<progress" in text and status["finished"] is False
        assert callbacks == []
        assert RosterImport.objects.get(pk=job.pk).phase == phase
    assert plan.roster.count() == 0


@pytest.mark.usefixtures("alice_in_background")
def test_an_import_no_worker_picked_up_is_resumed_by_the_beat(
    client, plan, django_capture_on_commit_callbacks
):
    from assessments.tasks import resume_roster_imports

    job = upload_in_background(client, plan, django_capture_on_commit_callbacks, delivered=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_roster_imports() == 0  # not stuck yet: a worker may still pick it up
    _age(job, roster_services.STALE_QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_roster_imports() == 1
    text = client.get(reverse("roster_job", args=[plan.pk, job.pk])).content.decode()
    assert "全部 2 行均无误。" in text


@pytest.mark.usefixtures("alice_in_background")
def test_an_import_whose_worker_stopped_is_resumed_by_the_beat(
    client, plan, django_capture_on_commit_callbacks
):
    from assessments.tasks import resume_roster_imports

    job = upload_in_background(client, plan, django_capture_on_commit_callbacks, delivered=True)
    assert job.phase == RosterImportPhase.CHECKED
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("roster_job_import", args=[plan.pk, job.pk]), {"mode": "all"})
    claimed = timezone.now()
    RosterImport.objects.filter(pk=job.pk).update(claimed_at=claimed)  # a worker took it
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_roster_imports() == 0  # its claim is fresh: the worker is on it
    RosterImport.objects.filter(pk=job.pk).update(
        claimed_at=claimed - roster_services.STALE_RUNNING - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_roster_imports() == 1  # the worker stopped
    job.refresh_from_db()
    assert (job.phase, job.imported, job.claimed_at) == (RosterImportPhase.IMPORTED, 2, None)
    assert plan.roster.count() == 2


def test_the_plan_page_links_to_the_roster_pages(client, alice, plan):
    client.force_login(alice)
    text = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert reverse("roster_upload", args=[plan.pk]) in text
    assert reverse("roster_template", args=[plan.pk]) in text
