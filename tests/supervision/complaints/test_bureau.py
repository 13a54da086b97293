"""The bureaus handle complaints (R-M5): the responsible bureau takes them up and answers; the
city sees its districts' complaints and may pass one on; everyone else gets a 404."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.core.errors import InvalidTransition, StaleEdit
from portal.core.models import AuditEvent
from supervision.complaints.desk import desk
from supervision.complaints.services import (
    complaint_answer,
    complaint_email_confirm,
    complaint_take,
    mask_phone,
)
from supervision.models import Complaint, Notification
from tests.supervision.complaints.matrix_complaint import TODAY, complaint_about, pdf_file
from tests.support.factories import EnterpriseFactory, make_member


@pytest.fixture
def complaint(world, ent_a):
    complaint = complaint_about(
        ent_a, phone="13812345678", email="wang@example.com", files=[pdf_file("收据.pdf")]
    )
    # The complainant confirmed the address by the link mailed to it.
    return complaint_email_confirm(complaint=complaint)


@pytest.fixture
def cora(world):
    return make_member("cora", "city", bureau=world["city"])


def test_r_m5_the_district_lists_its_complaints_with_the_phone_masked(client, dora, complaint):
    client.force_login(dora)
    page = client.get(reverse("complaint_list")).content.decode()
    assert complaint.reference in page
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "wang@example.com" not in page


def test_r_m5_another_district_sees_none_and_gets_404(client, fred, complaint):
    client.force_login(fred)
    assert complaint.reference not in client.get(reverse("complaint_list")).content.decode()
    assert client.get(reverse("complaint_detail", args=[complaint.pk])).status_code == 404
    attachment = complaint.attachments.get()
    url = reverse("complaint_attachment", args=[complaint.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_r_m5_the_city_sees_its_districts_complaints_masked(client, carl, complaint):
    client.force_login(carl)
    assert complaint.reference in client.get(reverse("complaint_list")).content.decode()
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "w***@example.com" in page
    # Seeing is not handling: the city does not take up a district's complaint.
    assert client.post(reverse("complaint_take", args=[complaint.pk])).status_code == 404


def test_r_m5_another_city_enterprises_and_experts_get_404(
    client, world, olga, alice, erin, complaint
):
    for user in (olga, alice, erin):
        client.force_login(user)
        assert client.get(reverse("complaint_detail", args=[complaint.pk])).status_code == 404
        listing = client.get(reverse("complaint_list"))
        if user == olga:
            assert complaint.reference not in listing.content.decode()
        else:
            assert listing.status_code == 404


def test_r_m5_the_handling_bureau_sees_the_complainant_in_full(client, dora, complaint):
    client.force_login(dora)
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert "13812345678" in page
    assert "wang@example.com" in page
    assert "收据.pdf" in page


def test_r_m5_the_attachment_downloads_for_the_bureau(client, dora, complaint):
    client.force_login(dora)
    attachment = complaint.attachments.get()
    response = client.get(reverse("complaint_attachment", args=[complaint.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_r_m5_take_then_answer(client, dora, complaint, django_capture_on_commit_callbacks):
    client.force_login(dora)
    response = client.post(
        reverse("complaint_take", args=[complaint.pk]), {"version": complaint.version}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.handler) == ("handling", dora)
    url = reverse("complaint_answer", args=[complaint.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "version": complaint.version,
                "answer": "经核查，替考情况属实，已责令企业整改并取消相关考生成绩。",
                "substantiated": "yes",
                "finding": "调阅监控录像，确认两名考生由他人代考。",
            },
        )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered"
    assert complaint.substantiated is True
    assert complaint.answered_at is not None
    assert complaint.finding == "调阅监控录像，确认两名考生由他人代考。"
    # The annual evaluation counts it (R-M3).
    assert Complaint.objects.filter(
        enterprise=complaint.enterprise,
        substantiated=True,
        answered_at__year=complaint.answered_at.year,
    ).exists()
    actions = list(
        AuditEvent.objects.filter(object_id=complaint.pk, action__startswith="complaint_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaint_received",
        "complaint_email_confirmed",
        "complaint_taken",
        "complaint_answered",
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.com"]
    assert "已责令企业整改" in mail.outbox[0].body
    assert "调阅监控录像" not in mail.outbox[0].body


def test_r_m5_the_answer_text_and_verdict_are_required(client, dora, complaint):
    complaint_take(complaint=complaint, actor=dora)
    complaint.refresh_from_db()
    client.force_login(dora)
    response = client.post(
        reverse("complaint_answer", args=[complaint.pk]),
        {"version": complaint.version, "answer": "", "finding": "内部记录"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "给投诉人的答复：请填写给投诉人的答复" in page
    assert "投诉是否属实？：请选择投诉是否属实" in page
    assert "内部记录" in page
    complaint.refresh_from_db()
    assert complaint.status == "handling"


def test_r_m5_a_stale_answer_is_refused_with_the_input_kept(client, dora, complaint, carl, world):
    complaint_take(complaint=complaint, actor=dora)
    complaint.refresh_from_db()
    stale_version = complaint.version
    # Someone else changes it meanwhile (the city passes it on and back).
    complaint.version += 1
    complaint.save(update_fields=["version"])
    client.force_login(dora)
    response = client.post(
        reverse("complaint_answer", args=[complaint.pk]),
        {"version": stale_version, "answer": "我的答复草稿", "substantiated": "no"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "我的答复草稿" in page
    assert "他人已修改了该记录" in page
    complaint.refresh_from_db()
    assert complaint.status == "handling"


def test_r_m5_services_guard_the_transitions(world, dora, complaint):
    with pytest.raises(InvalidTransition):
        complaint_answer(complaint=complaint, actor=dora, answer="答复", substantiated=False)
    complaint_take(complaint=complaint, actor=dora)
    with pytest.raises(InvalidTransition):
        complaint_take(complaint=complaint, actor=dora)
    with pytest.raises(StaleEdit):
        complaint_answer(
            complaint=complaint, actor=dora, answer="答复", substantiated=False, expected_version=1
        )


def test_r_m5_taking_an_already_taken_complaint_says_so(client, dora, complaint):
    complaint_take(complaint=complaint, actor=dora)
    complaint.refresh_from_db()
    client.force_login(dora)
    url = reverse("complaint_take", args=[complaint.pk])
    stale = client.post(url, {"version": 1}, follow=True).content.decode()
    assert "他人已修改了该记录" in stale
    current = client.post(url, {"version": complaint.version}, follow=True).content.decode()
    assert "只有刚受理的投诉才能开始办理" in current


def test_r_m5_the_city_passes_a_complaint_to_another_district(client, world, carl, fred, complaint):
    client.force_login(carl)
    url = reverse("complaint_reassign", args=[complaint.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"version": complaint.version, "bureau": world["futian"].pk, "note": "企业实际在福田"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.bureau == world["futian"]
    assert complaint.status == "received"
    assert Notification.objects.filter(user=fred, kind="complaint").exists()
    client.force_login(fred)
    assert client.get(reverse("complaint_detail", args=[complaint.pk])).status_code == 200


def test_r_m5_a_district_cannot_pass_a_complaint_on(client, dora, complaint):
    client.force_login(dora)
    assert client.get(reverse("complaint_reassign", args=[complaint.pk])).status_code == 404


def test_r_m5_the_city_handles_complaints_about_city_administered_enterprises(
    client, world, carl, dora
):
    enterprise = EnterpriseFactory(district=world["nanshan"], administration_level="city")
    complaint = complaint_about(enterprise)
    client.force_login(dora)
    assert client.get(reverse("complaint_detail", args=[complaint.pk])).status_code == 404
    client.force_login(carl)
    assert client.post(reverse("complaint_take", args=[complaint.pk])).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "handling"


def test_r_m5_overdue_complaints_are_highlighted_and_first_on_the_desk(
    world, dora, ent_a, client, monkeypatch
):
    late = complaint_about(ent_a, subject="逾期的投诉")
    fresh = complaint_about(ent_a, subject="新投诉", today=TODAY.replace(day=20))
    later = TODAY.replace(month=12, day=10)
    context = desk(user=dora, membership=dora.membership, today=later)
    assert [c.pk for c in context["complaint_open"]][:2] == [late.pk, fresh.pk]
    assert context["complaint_open"][0].overdue
    assert context["complaint_overdue_count"] == 1
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: later)
    client.force_login(dora)
    page = client.get(reverse("complaint_list")).content.decode()
    assert page.count('class="overdue"') == 1  # the first is due 2026-11-23, before today
    assert mask_phone("13812345678") == "138****5678"


def test_r_m5_the_desk_is_only_for_bureau_staff(world, alice, complaint):
    assert desk(user=alice, membership=alice.membership, today=TODAY) == {}


def test_r_m5_the_status_filter(client, dora, complaint, ent_a):
    other = complaint_about(ent_a, subject="另一件")
    complaint_take(complaint=other, actor=dora)
    client.force_login(dora)
    page = client.get(reverse("complaint_list"), {"status": "handling"}).content.decode()
    assert other.reference in page
    assert complaint.reference not in page


def test_r_m5_the_history_reads_as_words(client, dora, complaint):
    from supervision.complaints.services import register_complaint_labels

    register_complaint_labels()
    complaint_take(complaint=complaint, actor=dora)
    client.force_login(dora)
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert "投诉已受理" in page
    assert "公众提交；分派至南山区" in page
    assert "开始办理投诉 (已受理 → 办理中)" in page
