"""Following a complaint (R-M5): the reference number and the phone's last 4 digits show the
status and, once answered, the answer; never the bureau's internal notes, never another
complaint; one "not found" answer for any mismatch."""

import pytest
from django.urls import reverse

from supervision.complaints.services import complaint_answer, complaint_take
from tests.supervision.complaints.matrix_complaint import complaint_about
from tests.support.factories import make_member

NOT_FOUND = "没有与该受理编号和电话后4位相符的投诉"


@pytest.fixture
def complaint(world, ent_a):
    return complaint_about(ent_a, phone="13812345678", subject="理论考试有人替考")


def _track(client, reference, digits):
    return client.post(reverse("complaint_track"), {"reference": reference, "phone_last4": digits})


def test_r_m5_the_right_reference_and_digits_show_the_status(client, complaint):
    response = _track(client, complaint.reference, "5678")
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert complaint.reference in page
    assert "已受理" in page
    assert "南山区" in page
    assert "2026-11-23" in page  # answer due
    assert NOT_FOUND not in page


def test_r_m5_the_reference_may_be_typed_in_lower_case_with_spaces(client, complaint):
    page = _track(client, f" {complaint.reference.lower()} ", "5678").content.decode()
    assert "已受理" in page


def test_r_m5_a_wrong_reference_and_wrong_digits_get_the_same_answer(client, complaint, ent_a):
    other = complaint_about(ent_a, phone="13900001111", subject="另一件投诉")
    wrong_digits = _track(client, complaint.reference, "1111").content.decode()
    wrong_reference = _track(client, "TS20261102ZZZZZZ", "5678").content.decode()
    for page in (wrong_digits, wrong_reference):
        assert NOT_FOUND in page
        assert complaint.subject not in page
        assert other.subject not in page
        assert "已受理" not in page


def test_r_m5_the_answer_is_shown_but_not_the_internal_notes(client, world, complaint):
    dora = make_member("dora", "district", bureau=world["nanshan"])
    complaint_take(complaint=complaint, actor=dora)
    complaint_answer(
        complaint=complaint,
        actor=dora,
        answer="经核查，考场监考记录完整，未发现替考。",
        substantiated=False,
        finding="内部：调阅监控录像2小时，监考员张某说明情况。",
    )
    page = _track(client, complaint.reference, "5678").content.decode()
    assert "已答复" in page
    assert "经核查，考场监考记录完整，未发现替考。" in page
    assert "调阅监控录像" not in page


def test_r_m5_the_answer_is_not_shown_before_it_is_given(client, world, complaint):
    dora = make_member("dora", "district", bureau=world["nanshan"])
    complaint_take(complaint=complaint, actor=dora)
    page = _track(client, complaint.reference, "5678").content.decode()
    assert "办理中" in page
    assert "答复日期" not in page


def test_r_m5_the_follow_up_is_a_post_form_so_the_digits_stay_out_of_urls(client, complaint):
    page = client.get(reverse("complaint_track")).content.decode()
    assert 'method="post"' in page
    response = client.get(
        reverse("complaint_track"), {"reference": complaint.reference, "phone_last4": "5678"}
    )
    assert complaint.subject not in response.content.decode()


def test_r_m5_too_many_queries_get_429(client, complaint, settings):
    settings.COMPLAINT_TRACK_RATE_LIMIT = "2/600"
    _track(client, complaint.reference, "0000")
    _track(client, complaint.reference, "0001")
    response = _track(client, complaint.reference, "5678")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "查询过于频繁" in page
    # Even the right digits reveal nothing once the limit is reached.
    assert "已受理" not in page
    assert complaint.reference in page  # the input is kept in the form


def test_r_m5_the_digits_must_be_four_digits(client, complaint):
    page = _track(client, complaint.reference, "56a8").content.decode()
    assert "联系电话后4位：请填写4位数字" in page
