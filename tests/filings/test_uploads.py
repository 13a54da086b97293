"""R-F8 materials: the type is checked by content, the size is limited, and the file is served
only to the enterprise and the bureaus that review its filing."""

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from filings.filings import services
from filings.models import FilingMaterial, FilingStatus
from filings.uploads import check_upload
from tests.support.factories import MINIMAL_PDF, FilingFactory, complete_filing


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def draft(ent_a):
    return FilingFactory(enterprise=ent_a)


def upload(client, user, filing, name: str, content: bytes, kind: str = "business_licence"):
    client.force_login(user)
    return client.post(
        f"/filings/{filing.pk}/materials/new/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("营业执照.pdf", MINIMAL_PDF, "application/pdf"),
        ("营业执照.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("营业执照.png", image_bytes("PNG"), "image/png"),
    ],
)
def test_r_f8_pdf_jpeg_and_png_are_accepted_by_content(
    client, alice, draft, name, content, content_type
):
    text = upload(client, alice, draft, name, content).content.decode()
    assert f"“{name}”已上传。" in text
    material = FilingMaterial.objects.get(filing=draft)
    assert material.content_type == content_type
    assert material.original_name == name
    assert material.size == len(content)
    assert material.uploaded_by == alice
    with material.file.open("rb") as stored:
        assert stored.read() == content
    assert name in text  # listed on the filing page


def test_r_f8_a_png_named_pdf_is_recorded_as_what_it_is(client, alice, draft):
    upload(client, alice, draft, "扫描件.pdf", image_bytes("PNG"))
    material = FilingMaterial.objects.get(filing=draft)
    assert material.content_type == "image/png"
    assert material.original_name == "扫描件.pdf"
    assert material.file.name.endswith(".png")


def test_r_f8_the_stored_file_takes_the_extension_of_its_content(client, alice, draft):
    # A real PDF named .html is accepted as the PDF it is, but never stored as .html.
    upload(client, alice, draft, "licence.html", MINIMAL_PDF)
    material = FilingMaterial.objects.get(filing=draft)
    assert material.file.name.startswith(f"materials/{draft.pk}/")
    assert material.file.name.endswith(".pdf")


def test_r_f8_a_text_file_named_pdf_is_refused(client, alice, draft):
    response = upload(client, alice, draft, "营业执照.pdf", b"just some text, not a PDF at all\n")
    text = response.content.decode()
    assert "“营业执照.pdf”不是PDF、JPEG或PNG文件（按文件内容检查，与文件名无关）" in text
    assert "文件：" in text  # the error is attached to the file field
    assert not FilingMaterial.objects.exists()


def test_r_f8_an_oversized_file_is_refused_with_the_limit(client, alice, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = MINIMAL_PDF + b"%" * 2048
    text = upload(client, alice, draft, "实施方案.pdf", big).content.decode()
    assert "每份材料最大为1.0\xa0KB" in text  # filesizeformat uses a no-break space
    assert "“实施方案.pdf”大小为" in text
    assert not FilingMaterial.objects.exists()


def test_r_f8_a_file_at_the_limit_is_accepted(client, alice, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    exact = MINIMAL_PDF + b"%" * (1024 - len(MINIMAL_PDF))
    upload(client, alice, draft, "实施方案.pdf", exact)
    assert FilingMaterial.objects.get().size == 1024


def test_r_f8_an_empty_file_is_refused(client, alice, draft):
    # Django's own FileField refuses an empty upload before our check runs.
    text = upload(client, alice, draft, "空白.pdf", b"").content.decode()
    assert "文件：所提交的是空文件。" in text
    assert not FilingMaterial.objects.exists()


def test_r_f8_the_check_itself_refuses_an_empty_file(db):
    with pytest.raises(forms.ValidationError) as refused:
        check_upload(SimpleUploadedFile("空白.pdf", b""))
    assert refused.value.messages == ["“空白.pdf”是空文件。"]


def test_r_f8_only_the_owner_uploads(client, bob, dora, draft):
    for user in (bob, dora):
        assert upload(client, user, draft, "a.pdf", MINIMAL_PDF).status_code == 404
    assert not FilingMaterial.objects.exists()


def test_r_f8_no_upload_once_submitted(client, alice, ent_a):
    filing = FilingFactory(enterprise=ent_a, status=FilingStatus.DISTRICT_REVIEW)
    assert upload(client, alice, filing, "a.pdf", MINIMAL_PDF).status_code == 404


def test_r_f8_the_owner_removes_a_material_and_its_file(
    client, alice, draft, django_capture_on_commit_callbacks
):
    upload(client, alice, draft, "营业执照.pdf", MINIMAL_PDF)
    material = FilingMaterial.objects.get()
    path = Path(material.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/filings/{draft.pk}/materials/{material.pk}/delete/", follow=True)
    assert "材料已删除。" in response.content.decode()
    assert not FilingMaterial.objects.exists()
    assert not path.exists()


# Downloads -------------------------------------------------------------------------------------


@pytest.fixture
def submitted(ent_a, alice):
    filing = complete_filing(ent_a, uploaded_by=alice)
    services.filing_submit(filing=filing, actor=alice)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DISTRICT_REVIEW
    return filing


def download(client, user, filing, material):
    client.force_login(user)
    return client.get(f"/filings/{filing.pk}/materials/{material.pk}/")


@pytest.mark.parametrize("persona", ["alice", "dora", "carl"])
def test_r_f8_the_material_is_downloadable_by_the_owner_district_and_city(
    client, submitted, persona, request
):
    material = submitted.materials.get(kind="business_licence")
    response = download(client, request.getfixturevalue(persona), submitted, material)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert quote(material.original_name) in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["bob", "fred", "olga", "erin", "sam"])
def test_r_f8_anyone_else_gets_404(client, submitted, persona, request):
    material = submitted.materials.first()
    assert (
        download(client, request.getfixturevalue(persona), submitted, material).status_code == 404
    )


def test_r_f8_a_draft_material_stays_with_the_enterprise(client, alice, dora, carl, ent_a):
    draft = complete_filing(ent_a, uploaded_by=alice)
    material = draft.materials.first()
    assert download(client, alice, draft, material).status_code == 200
    assert download(client, dora, draft, material).status_code == 404
    assert download(client, carl, draft, material).status_code == 404


def test_r_f8_a_material_of_another_filing_is_404(client, alice, submitted, ent_b):
    other = complete_filing(ent_b)
    foreign = other.materials.first()
    client.force_login(alice)
    response = client.get(f"/filings/{submitted.pk}/materials/{foreign.pk}/")
    assert response.status_code == 404
