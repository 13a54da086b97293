"""The public complaint form (R-M5): anyone files a complaint without logging in; it reaches
the bureau responsible for the institution, with a reference number to follow it."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.core.models import AuditEvent
from supervision.complaints import services as complaint_services
from supervision.complaints.services import REFERENCE_RE, answer_due_on
from supervision.models import Complaint, Notification
from tests.supervision.complaints.matrix_complaint import PDF, TODAY, complaint_about, public_form
from tests.support.factories import EnterpriseFactory, approved_filing, make_member

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def _file_in_directory(enterprise):
    return approved_filing(enterprise, f"4403{enterprise.pk:08d}", approved_on=dt.date(2026, 1, 5))


@pytest.fixture
def listed_a(ent_a):
    _file_in_directory(ent_a)
    return ent_a


def _post(client, institution, **overrides):
    return client.post(reverse("complaint_create"), public_form(institution, **overrides))


def test_r_m5_the_form_offers_the_directory_without_login(client, listed_a, ent_b):
    response = client.get(reverse("complaint_create"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "投诉" in page
    assert listed_a.name in page
    # Only filed enterprises of the directory are offered by name.
    assert ent_b.name not in page


def test_r_m5_a_district_enterprise_goes_to_its_district(client, world, listed_a):
    response = _post(client, listed_a.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("complaint_received")
    complaint = Complaint.objects.get()
    assert complaint.bureau == world["nanshan"]
    assert complaint.city == world["city"]
    assert complaint.enterprise == listed_a
    assert complaint.enterprise_name == listed_a.name
    assert complaint.status == "received"
    assert AuditEvent.objects.filter(action="complaint_received", object_id=complaint.pk).exists()


def test_r_m5_a_city_administered_enterprise_goes_to_the_city(client, world):
    enterprise = EnterpriseFactory(
        name="深圳市市属重点装备有限公司", district=world["futian"], administration_level="city"
    )
    _file_in_directory(enterprise)
    assert _post(client, enterprise.pk).status_code == 302
    assert Complaint.objects.get().bureau == world["city"]


def test_r_m5_an_institution_not_in_the_directory_goes_to_the_chosen_city(client, world):
    response = _post(
        client, "other", enterprise_name="某某职业培训学校", city=str(world["other_city"].pk)
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.enterprise is None
    assert complaint.enterprise_name == "某某职业培训学校"
    assert complaint.bureau == world["other_city"]
    assert complaint.city == world["other_city"]


def test_r_m5_not_in_the_directory_needs_a_name_and_a_city(client, world):
    response = _post(client, "other")
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写不在名录中的机构名称" in page
    assert "请选择机构所在的城市" in page
    assert not Complaint.objects.exists()


def test_r_m5_an_enterprise_not_in_the_directory_cannot_be_chosen_by_id(client, ent_b):
    response = _post(client, ent_b.pk)
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_r_m5_the_confirmation_shows_the_reference_and_how_to_follow_it(client, listed_a):
    response = _post(client, listed_a.pk, follow=False)
    page = client.get(response["Location"])
    assert "no-store" in page["Cache-Control"]
    complaint = Complaint.objects.get()
    content = page.content.decode()
    assert complaint.reference in content
    assert "电话号码的后4位" in content
    assert "南山区" in content


def test_r_m5_the_reference_is_ts_date_and_six_unambiguous_characters(world, ent_a):
    complaint = complaint_about(ent_a)
    assert REFERENCE_RE.match(complaint.reference)
    assert complaint.reference.startswith("TS20261102")
    assert not set(complaint.reference[10:]) & set("01OIL")


def test_r_m5_a_reference_collision_draws_another(world, ent_a, monkeypatch):
    first = complaint_about(ent_a)
    drawn = iter([first.reference, first.reference, "TS20261102ABCDEF"])
    monkeypatch.setattr(complaint_services, "_new_reference", lambda today: next(drawn))
    second = complaint_about(ent_a)
    assert second.reference == "TS20261102ABCDEF"
    assert Complaint.objects.count() == 2


def test_r_m5_the_answer_is_due_15_working_days_later(world, ent_a):
    # 2026-11-02 is a Monday: three weeks of working days later.
    assert complaint_about(ent_a).answer_due_on == dt.date(2026, 11, 23)


def test_r_m5_a_missing_calendar_leaves_the_due_date_empty(world):
    assert answer_due_on(dt.date(2199, 3, 2)) is None


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("138 1234 5678", True),
        ("0755-86001234", True),
        ("075586001234", True),
        ("1381234567", False),
        ("23812345678", False),
        ("12345", False),
        ("abc", False),
    ],
)
def test_r_m5_the_phone_must_be_a_mobile_or_a_landline(client, listed_a, phone, ok):
    response = _post(client, listed_a.pk, contact_phone=phone)
    assert Complaint.objects.exists() is ok
    if not ok:
        page = response.content.decode()
        assert "您的联系电话：请填写11位手机号码" in page
        # The rest of the input is kept.
        assert "理论考试有人替考" in page
        assert "王建华" in page


def test_r_m5_empty_fields_are_refused_by_name(client, listed_a):
    response = _post(client, listed_a.pk, subject="", body="", contact_name="", category="")
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "主题：请为投诉写一个简短的主题",
        "事情经过：请描述事情经过",
        "您的姓名：请填写您的姓名",
        "投诉事项：请选择投诉事项",
    ):
        assert message in page, message
    assert "13812345678" in page  # the rest of the input is kept
    assert not Complaint.objects.exists()


def test_r_m5_attachments_are_stored_with_the_complaint(client, listed_a):
    files = [
        SimpleUploadedFile("收据.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
    ]
    assert _post(client, listed_a.pk, attachments=files).status_code == 302
    attachments = Complaint.objects.get().attachments.order_by("pk")
    assert [a.original_name for a in attachments] == ["收据.pdf", "现场.png"]
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png"]


def test_r_m5_a_file_that_is_not_pdf_jpeg_or_png_is_refused_by_name(client, listed_a):
    files = [
        SimpleUploadedFile("收据.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile(
            "病毒.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf"
        ),
    ]
    response = _post(client, listed_a.pk, attachments=files)
    page = response.content.decode()
    assert response.status_code == 200
    assert "附件（可选）：“病毒.pdf”不是PDF、JPEG或PNG文件" in page
    assert "理论考试有人替考" in page
    assert not Complaint.objects.exists()


def test_r_m5_more_than_three_files_are_refused(client, listed_a):
    files = [
        SimpleUploadedFile(f"证据{n}.pdf", PDF, content_type="application/pdf") for n in range(4)
    ]
    page = _post(client, listed_a.pk, attachments=files).content.decode()
    assert "附件（可选）：最多 3 个文件，您选择了 4 个" in page
    assert "王建华" in page
    assert not Complaint.objects.exists()


def test_r_m5_the_files_together_are_limited(client, listed_a, monkeypatch):
    monkeypatch.setattr("supervision.complaints.forms.ATTACHMENTS_MAX_TOTAL_BYTES", len(PDF) + 1)
    files = [
        SimpleUploadedFile(f"证据{n}.pdf", PDF, content_type="application/pdf") for n in range(2)
    ]
    page = _post(client, listed_a.pk, attachments=files).content.decode()
    assert "附件（可选）：这些文件合计" in page
    assert not Complaint.objects.exists()


def test_r_m5_a_bot_filling_the_hidden_field_is_turned_away(client, listed_a):
    response = _post(client, listed_a.pk, website="http://spam.example")
    assert response.status_code == 200
    assert "此项必须留空" in response.content.decode()
    assert not Complaint.objects.exists()


def test_r_m5_the_honeypot_is_hidden_from_people(client, listed_a):
    page = client.get(reverse("complaint_create")).content.decode()
    hidden = re.search(r'<div aria-hidden="true" class="visually-hidden">(.*?)</div>', page, re.S)
    assert hidden and 'name="website"' in hidden.group(1)
    # The class is in the stylesheet: the Content-Security-Policy refuses inline styles.
    css = (
        Path(django_settings.BASE_DIR) / "portal" / "static" / "portal" / "portal.css"
    ).read_text()
    assert re.search(r"\.visually-hidden \{ position: absolute; left: -10000px;", css)


def test_r_m5_too_many_complaints_from_one_client_get_429(client, listed_a, settings):
    settings.COMPLAINT_RATE_LIMIT = "2/3600"
    assert _post(client, listed_a.pk).status_code == 302
    assert _post(client, listed_a.pk).status_code == 302
    response = _post(client, listed_a.pk, subject="第三次投诉")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "提交过于频繁" in page
    assert "第三次投诉" in page
    assert Complaint.objects.count() == 2


def test_r_m5_refused_input_and_page_views_do_not_use_up_the_limit(client, listed_a, settings):
    settings.COMPLAINT_RATE_LIMIT = "1/3600"
    for _ in range(3):
        client.get(reverse("complaint_create"))
        _post(client, listed_a.pk, contact_phone="123")
    assert _post(client, listed_a.pk).status_code == 302


def test_r_m5_an_email_given_gets_a_confirmation_link_before_any_receipt(
    client, listed_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, listed_a.pk, contact_email="wang@example.com")
    complaint = Complaint.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.com"]
    assert "/complaints/confirm-email/" in message.body
    assert complaint.reference not in message.body
    assert listed_a.name not in message.body


def test_r_m5_no_mail_without_an_email(client, listed_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, listed_a.pk)
    assert mail.outbox == []


def test_r_m5_the_responsible_bureau_staff_are_notified(client, world, listed_a):
    dora = make_member("dora", "district", bureau=world["nanshan"])
    fred = make_member("fred", "district", bureau=world["futian"])
    carl = make_member("carl", "city", bureau=world["city"])
    _post(client, listed_a.pk)
    complaint = Complaint.objects.get()
    notes = Notification.objects.filter(kind="complaint")
    assert [n.user for n in notes] == [dora]
    assert complaint.reference in notes[0].title
    assert notes[0].url == reverse("complaint_detail", kwargs={"pk": complaint.pk})
    assert not Notification.objects.filter(user__in=[fred, carl]).exists()
