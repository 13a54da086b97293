"""Every upload form of the portal checks the size (the refusal names the field's limit in
Chinese) and the type by the file's content, never by its name or the browser's Content-Type;
on a refusal the page comes back with everything else the user entered."""

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.evidence import services as evidence_services
from assessments.models import EvidenceKind, RosterEntry, RosterImport, SessionEvidence
from assessments.rosters import photos
from filings.models import FilingMaterial
from supervision.models import Complaint, Finding, FindingAttachment, Inspection
from tests.assessments.factories import PlanFactory, roster_xlsx
from tests.assessments.results.factories import acknowledged_plan
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.supervision.complaints.matrix_complaint import public_form
from tests.supervision.factories import inspection_of, supervisor_profile
from tests.support.factories import MINIMAL_PDF, FilingFactory, approved_filing

WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 120
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


@dataclass
class Case:
    user: object
    url: str
    fields: dict  # what the user entered besides the file
    file_field: str
    kept: list[str]  # how the page shows `fields` again
    stored: object  # a queryset that must stay empty
    good: bytes = MINIMAL_PDF
    content_type: str = "application/pdf"
    name: str = "证明.pdf"
    not_this_type: str = "不是PDF、JPEG或PNG文件（按文件内容检查，与文件名无关）"
    limit_message: str = ""
    set_limit: object = None  # set_limit(bytes) lowers the size limit for the test
    extra: dict = field(default_factory=dict)


def _upload_limit(settings):
    def set_limit(limit: int) -> None:
        settings.UPLOAD_MAX_BYTES = limit

    return set_limit


@pytest.fixture
def material(ent_a, alice, settings):
    filing = FilingFactory(enterprise=ent_a)
    return Case(
        user=alice,
        url=f"/filings/{filing.pk}/materials/new/",
        fields={"kind": "question_bank"},
        file_field="file",
        kept=['value="question_bank" selected'],
        stored=FilingMaterial.objects.all(),
        limit_message="每份材料最大为1.0\xa0KB",
        set_limit=_upload_limit(settings),
    )


@pytest.fixture
def evidence(ent_a, alice, monkeypatch):
    plan = acknowledged_plan(ent_a)
    session = plan.sessions.get()
    return Case(
        user=alice,
        url=reverse("evidence_upload", args=[plan.pk, session.pk]),
        fields={"kind": "document", "description": "上午场签到表（第二考场）"},
        file_field="file",
        kept=["上午场签到表（第二考场）"],
        stored=SessionEvidence.objects.all(),
        limit_message="“文件资料”类文件最大为1.0\xa0KB",
        set_limit=lambda limit: monkeypatch.setitem(
            evidence_services.SIZE_LIMITS, EvidenceKind.DOCUMENT, limit
        ),
        not_this_type="不是PDF、JPG、PNG文件（按文件内容检查，与文件名无关）",
    )


@pytest.fixture
def complaint(ent_a, settings):
    approved_filing(
        ent_a,
        "440300000001",
        approved_on=timezone.localdate() - dt.timedelta(days=30),
        valid_until=timezone.localdate() + dt.timedelta(days=900),
    )
    return Case(
        user=None,
        url=reverse("complaint_create"),
        fields=public_form(ent_a.pk),
        file_field="attachments",
        kept=["理论考试有人替考", "考场二有两名考生由他人代考", "王建华", "13812345678"],
        stored=Complaint.objects.all(),
        limit_message="每个附件最大为1.0\xa0KB",
        set_limit=_upload_limit(settings),
    )


@pytest.fixture
def inspection(ent_a, sam, carl, world):
    supervisor_profile(sam, city=world["city"])
    return inspection_of(ent_a, supervisors=[sam], actor=carl)


@pytest.fixture
def finding(inspection, sam, settings):
    fields = {
        "description": "实操考场监控录像仅保留3个月，不足2年",
        "severity": "serious",
        "rule": "R-C1",
        "rectification_required": "on",
        "rectification": "调整存储策略，录像保存不少于2年",
        "rectify_by": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
    }
    return Case(
        user=sam,
        url=reverse("finding_add", kwargs={"pk": inspection.pk}),
        fields=fields,
        file_field="evidence",
        kept=["实操考场监控录像仅保留3个月", "调整存储策略，录像保存不少于2年"],
        stored=Finding.objects.all(),
        limit_message="每个证明文件最大为1.0\xa0KB",
        set_limit=_upload_limit(settings),
    )


@pytest.fixture
def answer(inspection, sam, alice, settings):
    Inspection.objects.filter(pk=inspection.pk).update(status="reported", conclusion="rectify")
    open_finding = Finding.objects.create(
        inspection=inspection,
        description="考评记录缺少考评员签字",
        rectification="补齐签字",
        rectify_by=timezone.localdate() + dt.timedelta(days=10),
        created_by=sam,
    )
    return Case(
        user=alice,
        url=reverse("finding_answer", kwargs={"pk": open_finding.pk}),
        fields={"version": "1", "response": "已补齐全部考评员签字，并重新归档"},
        file_field="files",
        kept=["已补齐全部考评员签字，并重新归档"],
        stored=FindingAttachment.objects.all(),
        limit_message="每个证明文件最大为1.0\xa0KB",
        set_limit=_upload_limit(settings),
    )


def _workbook_case(user, url: str, settings, **expected) -> Case:
    """An Excel upload form without other fields: its one file field is `file`."""
    return Case(
        user=user,
        url=url,
        fields={},
        file_field="file",
        kept=[],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        set_limit=_upload_limit(settings),
        **expected,
    )


@pytest.fixture
def roster(ent_a, alice, settings):
    plan = PlanFactory(enterprise=ent_a)
    return _workbook_case(
        alice,
        reverse("roster_upload", args=[plan.pk]),
        settings,
        stored=RosterImport.objects.all(),
        good=roster_xlsx(2),
        name="名册.xlsx",
        not_this_type="人员名册（.xlsx）：该文件不是 Excel 工作簿（.xlsx）",
        limit_message="名册最大为1.0\xa0KB",
    )


@pytest.fixture
def scores(ent_a, alice, settings):
    plan = acknowledged_plan_with_roster(ent_a, size=1)
    return _workbook_case(
        alice,
        reverse("score_import", args=[plan.pk]),
        settings,
        stored=RosterEntry.objects.filter(scores__isnull=False),
        good=roster_xlsx(1),
        name="成绩表.xlsx",
        not_this_type="成绩表（.xlsx）：文件不是Excel工作簿（.xlsx）",
        limit_message="成绩表最大为1.0\xa0KB",
    )


@pytest.fixture
def photo_zip(ent_a, alice, monkeypatch):
    plan = PlanFactory(enterprise=ent_a)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("110105194912310021.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 2000)
    return Case(
        user=alice,
        url=reverse("roster_photos", args=[plan.pk]),
        fields={},
        file_field="file",
        kept=[],
        stored=RosterEntry.objects.exclude(photo=""),
        good=buffer.getvalue(),
        content_type="application/zip",
        name="照片.zip",
        not_this_type="该文件不是 ZIP 压缩包，请把照片打包成 .zip 文件。",
        limit_message="照片压缩包最大为1.0\xa0KB",
        set_limit=lambda limit: monkeypatch.setattr(photos, "MAX_ZIP_BYTES", limit),
    )


FORMS = ["material", "evidence", "complaint", "finding", "answer", "roster", "scores", "photo_zip"]


def post(client, case: Case, upload: SimpleUploadedFile):
    if case.user is not None:
        client.force_login(case.user)
    response = client.post(case.url, {**case.fields, case.file_field: upload})
    assert response.status_code == 200  # the form again, not a redirect
    return response.content.decode()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("content", [WINDOWS_PROGRAM, HTML], ids=["program", "html"])
def test_the_type_is_read_from_the_content_not_the_name(db, client, request, form, content):
    case: Case = request.getfixturevalue(form)
    # Named and announced as the right type; the content says otherwise.
    upload = SimpleUploadedFile(case.name, content, content_type=case.content_type)
    page = post(client, case, upload)
    assert case.not_this_type in page
    for text in case.kept:
        assert text in page
    assert not case.stored.exists()


@pytest.mark.parametrize("form", FORMS)
def test_the_size_limit_is_named_with_the_field(db, client, request, form):
    case: Case = request.getfixturevalue(form)
    case.set_limit(1024)
    big = case.good + b"\0" * 2048 if case.good[:4] == b"%PDF" else case.good
    assert len(big) > 1024
    page = post(client, case, SimpleUploadedFile(case.name, big, content_type=case.content_type))
    assert case.limit_message in page.replace("&nbsp;", "\xa0")
    assert f"“{case.name}”大小为" in page
    for text in case.kept:
        assert text in page
    assert not case.stored.exists()


def test_a_request_larger_than_every_limit_is_stopped_before_its_files_are_written(
    db, client, material, settings, monkeypatch
):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    written = []
    original = TemporaryFileUploadHandler.new_file

    def spy(self, *args, **kwargs):
        written.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", spy)
    settings.UPLOAD_REQUEST_MAX_BYTES = 50_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # larger files go to a temporary file
    client.force_login(material.user)
    big = SimpleUploadedFile("证明.pdf", MINIMAL_PDF + b"\0" * 60_000)
    response = client.post(material.url, {**material.fields, "file": big})
    assert response.status_code == 400
    assert written == [] and not material.stored.exists()
    small = SimpleUploadedFile("证明.pdf", MINIMAL_PDF + b"\0" * 20_000)
    assert client.post(material.url, {**material.fields, "file": small}).status_code == 302
    assert len(written) == 1  # the spy sees files that are written
