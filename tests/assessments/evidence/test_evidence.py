"""R-C1: every step of an assessment leaves a trace (documents, photos, audio, video), kept 2
years. Uploads are checked by content and size per kind; nothing is deleted before its date."""

import datetime as dt
import hashlib
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.evidence import services as evidence_services
from assessments.models import EvidenceKind, SessionEvidence
from portal.core.models import AuditEvent
from tests.assessments.factories import PlanFactory
from tests.assessments.results.factories import (
    JPEG,
    M4A,
    MOV,
    MP3,
    MP4,
    PNG,
    WAV,
    WEBM,
    acknowledged_plan,
    evidence_file,
)
from tests.support.factories import MINIMAL_PDF, make_member

TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def plan(ent_a):
    return acknowledged_plan(ent_a)


@pytest.fixture
def session(plan):
    return plan.sessions.get()


def upload(client, plan, session, data: bytes, name: str, kind: str = "document", **extra):
    return client.post(
        reverse("evidence_upload", args=[plan.pk, session.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data), **extra},
        follow=True,
    )


def test_r_c1_an_uploaded_document_is_kept_two_years(client, alice, plan, session):
    client.force_login(alice)
    response = upload(client, plan, session, MINIMAL_PDF, "签到表.pdf", description="上午签到")
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("plan_evidence", args=[plan.pk])
    assert "“签到表.pdf”已上传，留存至2028-11-02。" in text
    evidence = SessionEvidence.objects.get()
    assert evidence.session == session
    assert evidence.kind == "document"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(MINIMAL_PDF)
    assert evidence.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert evidence.retain_until == dt.date(2028, 11, 2)
    assert evidence.file.name.endswith(".pdf")
    assert "签到表.pdf" in text and "上午签到" in text and "2028-11-02" in text
    assert AuditEvent.objects.filter(action="evidence_add", note__contains="签到表.pdf").exists()


@pytest.mark.parametrize(
    ("kind", "data", "mime"),
    [
        ("document", MINIMAL_PDF, "application/pdf"),
        ("document", JPEG, "image/jpeg"),
        ("document", PNG, "image/png"),
        ("photo", JPEG, "image/jpeg"),
        ("audio", MP3, "audio/mpeg"),
        ("audio", M4A, "audio/mp4"),
        ("audio", WAV, "audio/x-wav"),
        ("video", MP4, "video/mp4"),
        ("video", WEBM, "video/webm"),
    ],
)
def test_r_c1_each_kind_accepts_its_formats_by_content(kind, data, mime):
    checked = evidence_services.check_evidence(SimpleUploadedFile("whatever.bin", data), kind)
    assert checked.content_type == mime
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("kind", "data", "name", "formats"),
    [
        ("audio", MP4, "录音.mp3", "MP3、M4A、WAV"),
        ("video", MOV, "录像.mp4", "MP4、WEBM"),
        ("document", b"just text, called a PDF", "方案.pdf", "PDF、JPG、PNG"),
        ("photo", MINIMAL_PDF, "照片.jpg", "JPG、PNG"),
    ],
)
def test_r_c1_the_type_is_checked_by_content_not_by_name(
    client, alice, plan, session, kind, data, name, formats
):
    client.force_login(alice)
    text = upload(client, plan, session, data, name, kind=kind).content.decode()
    assert f"“{name}”不是{formats}文件（按文件内容检查，与文件名无关）" in text
    assert not SessionEvidence.objects.exists()


def test_r_c1_each_kind_has_its_size_limit_named_on_the_page(client, alice, plan, session):
    client.force_login(alice)
    page = client.get(reverse("evidence_upload", args=[plan.pk, session.pk])).content.decode()
    page = page.replace("\xa0", " ")  # filesizeformat keeps number and unit together
    assert "20.0 MB" in page and "100.0 MB" in page and "200.0 MB" in page
    with mock.patch.dict(evidence_services.SIZE_LIMITS, {EvidenceKind.VIDEO: 64}):
        text = upload(client, plan, session, MP4, "实操.mp4", kind="video").content.decode()
    text = text.replace("\xa0", " ")
    assert "“实操.mp4”大小为" in text and "“录像”类文件最大为64 字节" in text
    assert not SessionEvidence.objects.exists()


def test_r_c1_nothing_is_deleted_before_its_retention_date(client, alice, session, plan):
    evidence = evidence_file(session, alice, retain_until=dt.date(2028, 10, 20))
    client.force_login(alice)
    response = client.post(reverse("evidence_delete", args=[plan.pk, evidence.pk]), follow=True)
    text = response.content.decode()
    assert "“签到表.pdf”须留存至2028-10-20（考核全过程资料留存2年）" in text
    assert "在此之前不能删除。" in text
    assert SessionEvidence.objects.filter(pk=evidence.pk).exists()
    assert default_storage.exists(evidence.file.name)


def test_r_c1_a_file_may_go_once_its_two_years_are_up(
    client, alice, session, plan, django_capture_on_commit_callbacks
):
    evidence = evidence_file(session, alice, retain_until=dt.date(2028, 10, 20))
    stored = evidence.file.name
    client.force_login(alice)
    kept_two_years = dt.date(2028, 10, 20)
    with (
        mock.patch("django.utils.timezone.localdate", return_value=kept_two_years),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("evidence_delete", args=[plan.pk, evidence.pk]), follow=True)
    assert "“签到表.pdf”已删除。" in response.content.decode()
    assert not SessionEvidence.objects.exists()
    assert not default_storage.exists(stored)
    assert AuditEvent.objects.filter(action="evidence_delete").exists()


def test_r_c1_a_29_february_upload_is_kept_until_1_march():
    assert evidence_services.retain_until_for(dt.date(2028, 2, 29)) == dt.date(2030, 3, 1)
    assert evidence_services.retain_until_for(dt.date(2026, 11, 2)) == dt.date(2028, 11, 2)


def test_r_c1_the_enterprise_and_the_plan_reviewers_download_without_caching(
    client, world, alice, bob, dora, fred, carl, olga, session, plan
):
    evidence = evidence_file(session, alice)
    url = reverse("evidence_download", args=[plan.pk, evidence.pk])
    for user in (alice, dora, carl):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == MINIMAL_PDF
        assert response["Cache-Control"] == "private, no-store"
        assert "attachment" in response["Content-Disposition"]
    for user in (bob, fred, olga):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_r_c1_only_the_enterprise_uploads_and_sees_the_upload_links(
    client, alice, dora, carl, session, plan
):
    evidence_file(session, alice)
    client.force_login(dora)
    page = client.get(reverse("plan_evidence", args=[plan.pk])).content.decode()
    assert "签到表.pdf" in page and "2028-10-20" in page
    assert "上传本场次过程资料" not in page
    assert upload(client, plan, session, MINIMAL_PDF, "a.pdf").status_code == 404
    client.force_login(carl)
    assert upload(client, plan, session, MINIMAL_PDF, "a.pdf").status_code == 404
    assert not SessionEvidence.objects.filter(original_name="a.pdf").exists()


def test_r_c1_a_session_of_another_plan_is_not_found(client, alice, ent_a, plan):
    other = acknowledged_plan(ent_a)
    client.force_login(alice)
    url = reverse("evidence_upload", args=[plan.pk, other.sessions.get().pk])
    assert client.get(url).status_code == 404
    evidence = evidence_file(other.sessions.get(), alice)
    assert client.get(reverse("evidence_download", args=[plan.pk, evidence.pk])).status_code == 404
    assert client.post(reverse("evidence_delete", args=[plan.pk, evidence.pk])).status_code == 404


def test_r_c1_evidence_belongs_to_acknowledged_plans_only(client, ent_a, alice):
    draft = PlanFactory(enterprise=ent_a)
    client.force_login(alice)
    assert client.get(reverse("plan_evidence", args=[draft.pk])).status_code == 404


def test_r_c1_another_enterprise_cannot_see_the_evidence_page(client, ent_b, plan):
    client.force_login(make_member("bob", "enterprise", enterprise=ent_b))
    assert client.get(reverse("plan_evidence", args=[plan.pk])).status_code == 404
