"""The inspection cycle as its users notice it (R-C2, R-M1, R-C1): the supervisor checks the
items and records findings with evidence, the report reaches the enterprise, the enterprise
answers, the bureau returns or closes the finding, then closes the inspection and publishes
its result. Stale forms keep the input; every step leaves a history row."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.core import workdays
from portal.core.models import AuditEvent, CalendarYear
from supervision.inspections import services
from supervision.models import Finding, Inspection, Notification
from tests.supervision.factories import FindingAttachmentFactory, inspection_of, supervisor_profile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def inspection(ent_a, sam, carl, world):
    supervisor_profile(sam, city=world["city"])
    return inspection_of(ent_a, supervisors=[sam], actor=carl)


def checklist_post(**overrides) -> dict:
    data = {"version": "1", "visited_on": today().isoformat(), "summary": "现场检查两小时"}
    for key, _label, _rule in services.CHECKLIST:
        data[f"result_{key}"] = "ok"
        data[f"note_{key}"] = ""
    data.update(overrides)
    return data


def finding_post(**overrides) -> dict:
    data = {
        "description": "实操考场监控录像仅保留3个月，不足2年",
        "severity": "serious",
        "rule": "r-c1",
        "rectification_required": "on",
        "rectification": "调整存储策略，录像保存不少于2年",
        "rectify_by": (today() + dt.timedelta(days=20)).isoformat(),
    }
    data.update(overrides)
    return data


def open_finding(inspection, sam, **fields) -> Finding:
    values = {
        "inspection": inspection,
        "description": "考评记录缺少考评员签字",
        "rectification": "补齐签字",
        "rectify_by": today() + dt.timedelta(days=10),
        "created_by": sam,
    }
    values.update(fields)
    return Finding.objects.create(**values)


def reported(inspection) -> Inspection:
    Inspection.objects.filter(pk=inspection.pk).update(status="reported", conclusion="rectify")
    inspection.refresh_from_db()
    return inspection


# The supervisor's record -------------------------------------------------------------------


def test_r_c2_a_compliant_report_moves_the_inspection_to_reported(client, inspection, sam):
    client.force_login(sam)
    url = reverse("inspection_record", kwargs={"pk": inspection.pk})
    response = client.post(url, checklist_post(conclusion="compliant", report="1"))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "reported"
    assert inspection.checklist["records"] == {"result": "ok", "note": ""}
    assert AuditEvent.objects.filter(
        object_id=inspection.pk, action="inspection_report", to_status="reported"
    ).exists()


def test_r_c2_a_draft_keeps_the_inspection_planned(client, inspection, sam):
    client.force_login(sam)
    url = reverse("inspection_record", kwargs={"pk": inspection.pk})
    client.post(url, checklist_post(conclusion="", save="1"))
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    assert inspection.summary == "现场检查两小时"
    assert inspection.version == 2


def test_r_c2_problems_need_a_finding_before_reporting(client, inspection, sam):
    client.force_login(sam)
    url = reverse("inspection_record", kwargs={"pk": inspection.pk})
    response = client.post(url, checklist_post(conclusion="rectify", report="1"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "至少记录一条问题" in text and "R-C2" not in text
    assert "现场检查两小时" in text  # the input is kept
    assert Inspection.objects.get(pk=inspection.pk).status == "planned"


def test_r_c2_the_inspection_date_cannot_be_in_the_future(client, inspection, sam):
    client.force_login(sam)
    url = reverse("inspection_record", kwargs={"pk": inspection.pk})
    future = (today() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, checklist_post(conclusion="compliant", visited_on=future))
    assert "不能晚于今天" in response.content.decode()
    assert Inspection.objects.get(pk=inspection.pk).status == "planned"


def test_a_stale_record_keeps_the_input(client, inspection, sam):
    Inspection.objects.filter(pk=inspection.pk).update(version=5)
    client.force_login(sam)
    url = reverse("inspection_record", kwargs={"pk": inspection.pk})
    response = client.post(url, checklist_post(conclusion="compliant", summary="我的检查小结"))
    text = response.content.decode()
    assert "他人已修改" in text
    assert "我的检查小结" in text
    assert Inspection.objects.get(pk=inspection.pk).summary == ""


# Findings and evidence (R-C1) -------------------------------------------------------------------


def test_r_c1_a_finding_with_evidence_files_is_recorded(client, inspection, sam):
    client.force_login(sam)
    url = reverse("finding_add", kwargs={"pk": inspection.pk})
    files = [
        SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf"),
    ]
    response = client.post(url, {**finding_post(), "evidence": files})
    assert response.status_code == 302
    finding = Finding.objects.get(inspection=inspection)
    assert finding.status == "open"
    assert finding.rule == "R-C1"
    names = sorted(a.original_name for a in finding.attachments.all())
    assert names == ["现场照片.png", "签到表.pdf"]
    attachment = finding.attachments.get(original_name="签到表.pdf")
    assert len(attachment.sha256) == 64
    download = client.get(reverse("finding_attachment", kwargs={"pk": attachment.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_r_c1_a_bad_evidence_file_is_refused_and_the_input_kept(client, inspection, sam):
    client.force_login(sam)
    url = reverse("finding_add", kwargs={"pk": inspection.pk})
    bad = SimpleUploadedFile(
        "录像.pdf", b"just some text, not a pdf", content_type="application/pdf"
    )
    response = client.post(url, {**finding_post(), "evidence": [bad]})
    text = response.content.decode()
    assert response.status_code == 200
    assert "录像.pdf" in text and "PDF" in text
    assert "实操考场监控录像仅保留3个月" in text
    assert not Finding.objects.exists()


def test_r_c2_the_deadline_must_be_after_today(client, inspection, sam):
    client.force_login(sam)
    url = reverse("finding_add", kwargs={"pk": inspection.pk})
    response = client.post(url, finding_post(rectify_by=today().isoformat()))
    assert "整改期限必须晚于今天" in response.content.decode()
    assert not Finding.objects.exists()


def test_a_finding_without_rectification_is_only_noted(client, inspection, sam):
    client.force_login(sam)
    url = reverse("finding_add", kwargs={"pk": inspection.pk})
    data = finding_post(rectify_by="", rectification="")
    del data["rectification_required"]
    client.post(url, data)
    finding = Finding.objects.get()
    assert finding.status == "noted"
    assert finding.rectify_by is None


def test_the_default_deadline_is_ten_working_days(client, inspection, sam):
    client.force_login(sam)
    response = client.get(reverse("finding_add", kwargs={"pk": inspection.pk}))
    expected = workdays.add_working_days(today(), 10).isoformat()
    assert expected in response.content.decode()


def test_a_missing_calendar_is_reported_not_guessed(client, inspection, sam):
    CalendarYear.objects.filter(year__gte=today().year).delete()
    workdays.clear_cache()
    client.force_login(sam)
    response = client.get(reverse("finding_add", kwargs={"pk": inspection.pk}))
    assert response.status_code == 200
    assert "工作日历" in response.content.decode()


def test_r_c2_reporting_notifies_the_enterprise_of_open_findings(client, inspection, sam, alice):
    open_finding(inspection, sam)
    open_finding(inspection, sam, status="noted", rectify_by=None, rectification="")
    client.force_login(sam)
    url = reverse("inspection_record", kwargs={"pk": inspection.pk})
    client.post(url, checklist_post(conclusion="rectify", report="1"))
    notes = Notification.objects.filter(user=alice, kind="inspection_findings")
    assert notes.count() == 1
    assert "1" in notes.get().title
    assert notes.get().url == reverse("inspection_detail", kwargs={"pk": inspection.pk})


# The enterprise answers, the bureau decides ----------------------------------------------------


def test_answer_return_answer_close_cycle(client, inspection, sam, alice, dora):
    reported(inspection)
    finding = open_finding(inspection, sam)
    client.force_login(alice)
    answer = reverse("finding_answer", kwargs={"pk": finding.pk})
    proof = SimpleUploadedFile("整改照片.png", PNG, content_type="image/png")
    response = client.post(answer, {"version": "1", "response": "已补齐签字", "files": [proof]})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "answered"
    assert finding.attachments.filter(side="response").count() == 1

    client.force_login(dora)
    new_deadline = today() + dt.timedelta(days=15)
    client.post(
        reverse("finding_return", kwargs={"pk": finding.pk}),
        {"version": "2", "note": "签字页不清晰", "rectify_by": new_deadline.isoformat()},
    )
    finding.refresh_from_db()
    assert finding.status == "open"
    assert finding.rectify_by == new_deadline
    assert Notification.objects.filter(user=alice, kind="finding_returned").exists()

    client.force_login(alice)
    client.post(answer, {"version": "3", "response": "重新扫描签字页"})
    finding.refresh_from_db()
    assert finding.status == "answered"

    client.force_login(dora)
    client.post(
        reverse("finding_close", kwargs={"pk": finding.pk}), {"version": "4", "note": "整改到位"}
    )
    finding.refresh_from_db()
    assert finding.status == "closed"
    assert finding.closed_by == dora
    actions = list(
        AuditEvent.objects.filter(object_id=finding.pk, action__startswith="finding_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["finding_answer", "finding_return", "finding_answer", "finding_close"]


def test_a_late_answer_is_accepted_and_marked_late(inspection, sam, alice):
    reported(inspection)
    finding = open_finding(inspection, sam)
    Finding.objects.filter(pk=finding.pk).update(rectify_by=today() - dt.timedelta(days=2))
    services.finding_answer(finding=finding, actor=alice, response="已整改", expected_version=1)
    finding.refresh_from_db()
    assert finding.status == "answered"
    assert services.is_late(finding)
    assert AuditEvent.objects.filter(object_id=finding.pk, action="finding_answer_late").exists()


def test_a_stale_answer_keeps_the_input(client, inspection, sam, alice):
    reported(inspection)
    finding = open_finding(inspection, sam)
    Finding.objects.filter(pk=finding.pk).update(version=3)
    client.force_login(alice)
    response = client.post(
        reverse("finding_answer", kwargs={"pk": finding.pk}),
        {"version": "1", "response": "我们已更换存储设备"},
    )
    text = response.content.decode()
    assert "他人已修改" in text and "我们已更换存储设备" in text
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_a_stale_close_is_refused(client, inspection, sam, carl):
    reported(inspection)
    finding = open_finding(inspection, sam, status="answered", response="已整改", version=2)
    client.force_login(carl)
    response = client.post(
        reverse("finding_close", kwargs={"pk": finding.pk}), {"version": "1", "note": "同意"}
    )
    assert "他人已修改" in response.content.decode() and "同意" in response.content.decode()
    assert Finding.objects.get(pk=finding.pk).status == "answered"


# Closing and publishing (R-M1) -------------------------------------------------------------


def test_r_m1_an_inspection_with_pending_findings_cannot_close(client, inspection, sam, carl):
    reported(inspection)
    open_finding(inspection, sam)
    client.force_login(carl)
    response = client.post(
        reverse("inspection_close", kwargs={"pk": inspection.pk}),
        {"version": "1", "public_result": "已整改"},
    )
    text = response.content.decode()
    assert "请先处理完毕" in text and "R-M1" not in text
    assert Inspection.objects.get(pk=inspection.pk).status == "reported"


def test_r_m1_closing_writes_the_public_result(client, inspection, sam, carl):
    reported(inspection)
    open_finding(inspection, sam, status="closed")
    client.force_login(carl)
    url = reverse("inspection_close", kwargs={"pk": inspection.pk})
    form = client.get(url).content.decode()
    assert "1 项问题" in form  # the default text counts the findings
    client.post(url, {"version": "1", "public_result": "存在问题并已整改到位。"})
    inspection.refresh_from_db()
    assert inspection.status == "closed"
    assert inspection.public_result == "存在问题并已整改到位。"
    assert inspection.closed_by == carl and inspection.closed_on == today()
    assert AuditEvent.objects.filter(object_id=inspection.pk, action="inspection_close").exists()


def test_r_m2_a_fraud_finding_links_to_a_sanction_for_the_city(client, inspection, sam, carl):
    reported(inspection)
    open_finding(inspection, sam, severity="fraud", description="替考")
    client.force_login(carl)
    text = client.get(reverse("inspection_detail", kwargs={"pk": inspection.pk})).content.decode()
    base = reverse("sanction_create")
    assert f"{base}?enterprise={inspection.enterprise_id}&amp;inspection={inspection.pk}" in text


def test_attachments_of_another_enterprise_are_404(client, inspection, sam, bob):
    reported(inspection)
    finding = open_finding(inspection, sam)
    attachment = FindingAttachmentFactory(finding=finding, uploaded_by=sam)
    client.force_login(bob)
    assert (
        client.get(reverse("finding_attachment", kwargs={"pk": attachment.pk})).status_code == 404
    )
