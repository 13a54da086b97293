"""R-K4: certificate data is exported in the official roster format with 证书编号 and 发证日期
filled, downloaded, uploaded to the provincial system and recorded as uploaded."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.rosters.reader import HEADERS
from certificates.models import Certificate, CertificateReport
from certificates.reports.services import report_create
from certificates.reports.spreadsheets import report_xlsx
from certificates.revocation import services
from portal.core.masking import mask_id
from portal.core.models import AuditEvent
from tests.assessments.factories import id_number
from tests.certificates.factories import TODAY, issued_batch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def rows_of(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def by_header(rows: list[tuple]) -> list[dict]:
    header = rows[1]
    return [dict(zip(header, row, strict=True)) for row in rows[2:]]


def test_r_k4_export_is_the_roster_format_with_number_and_issue_date(client, alice, ent_a):
    batch = issued_batch(ent_a, alice, "passed", "failed", "passed")
    certificates = list(batch.certificates.order_by("position"))
    client.force_login(alice)
    url = reverse("certificate_report_list")
    assert "有 2 本有效证书尚未报送。" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "已导出 2 本证书。" in response.content.decode()
    report = CertificateReport.objects.get()
    assert report.count == 2

    download = client.get(reverse("certificate_report_download", args=[report.pk]))
    assert "no-store" in download["Cache-Control"]
    masked = by_header(rows_of(download.content))
    assert masked[0]["证件号"] == mask_id(certificates[0].id_number)  # the usual download
    # The file for the provincial system holds the full numbers: deliberate and recorded.
    download = client.post(
        reverse("certificate_report_download_full", args=[report.pk]),
        {"purpose": "上传省级证书系统"},
    )
    assert "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(
        action="id_numbers_exported", object_id=report.pk, actor=alice
    ).exists()
    rows = rows_of(download.content)
    assert rows[0][0] == "职业技能等级认定人员名册"
    assert list(rows[1]) == HEADERS
    exported = by_header(rows)
    assert [row["证书编号"] for row in exported] == [c.number for c in certificates]
    assert [row["序号"] for row in exported] == [1, 2]
    first, certificate = exported[0], certificates[0]
    assert first["姓名"] == certificate.holder_name
    assert first["证件号"] == certificate.id_number
    assert first["评价机构名称"] == ent_a.name
    assert first["职业技能等级"] == "四级/中级工"
    assert first["发证日期"].date() == dt.date(2026, 11, 20)
    assert first["联系电话"] == "13800138000"  # from the roster entry

    # Nothing new since: a second export is refused, saying why.
    again = client.post(url, follow=True)
    assert "所有证书均已报送。" in again.content.decode()
    assert CertificateReport.objects.count() == 1


def test_r_k4_an_upload_is_recorded_once(client, alice, ent_a):
    issued_batch(ent_a, alice, "passed")
    report = report_create(enterprise=ent_a, actor=alice)
    client.force_login(alice)
    url = reverse("certificate_report_uploaded", args=[report.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "已登记 2026-11-22 上传 1 本证书的数据。" in response.content.decode()
    report.refresh_from_db()
    assert (report.reported_on, report.reported_by) == (TODAY, alice)
    response = client.post(url, follow=True)
    assert "该导出文件已于 2026-11-22 登记为已上传。" in response.content.decode()
    report.refresh_from_db()
    assert report.reported_on == TODAY


def test_r_k4_reviewers_read_and_download_but_do_not_export(client, alice, dora, carl, ent_a):
    issued_batch(ent_a, alice, "passed")
    report = report_create(enterprise=ent_a, actor=alice)
    for user in (dora, carl):
        client.force_login(user)
        text = client.get(reverse("certificate_report_list")).content.decode()
        assert ent_a.name in text
        assert "导出未报送的证书" not in text
        download = reverse("certificate_report_download", args=[report.pk])
        assert client.get(download).status_code == 200
        assert client.post(reverse("certificate_report_list")).status_code == 404
        uploaded = reverse("certificate_report_uploaded", args=[report.pk])
        assert client.post(uploaded).status_code == 404
    report.refresh_from_db()
    assert report.reported_on is None


def test_r_k4_a_correction_is_reported_as_printed_and_nothing_becomes_a_formula(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed")
    old = batch.certificates.get()
    report_create(enterprise=ent_a, actor=alice)
    corrected_id = id_number(5, born="19851107", sex="女")
    new = services.certificate_replace(
        certificate=old,
        actor=alice,
        kind="correction",
        reason="更正",
        corrections={"holder_name": '=HYPERLINK("http://x")', "id_number": corrected_id},
    )
    pending = Certificate.objects.filter(reported_in__isnull=True, status="valid")
    assert list(pending) == [new]
    content = report_xlsx(pending.select_related("entry"), masked=False)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    (row,) = by_header(rows_of(content))
    assert row["姓名"] == '=HYPERLINK("http://x")'
    assert row["证件号"] == corrected_id
    assert row["出生日期"].date() == dt.date(1985, 11, 7)
    assert row["性别"] == "女"
    assert row["证书编号"] == new.number
    assert row["发证日期"].date() == dt.date(2026, 11, 22)
