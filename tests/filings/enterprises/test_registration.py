"""Enterprise self-registration (R-F1: unified social credit code, GB 32100) and activation of a
pending enterprise by its own district bureau (R-F5)."""

import pytest
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from filings.models import Enterprise, EnterpriseStatus, FilingStatus
from portal.core.models import AuditEvent
from tests.support.factories import (
    EnterpriseFactory,
    complete_filing,
    make_member,
    valid_credit_code,
)

User = get_user_model()
URL = "/register/"
GOOD_CODE = valid_credit_code(424242)


@pytest.fixture
def form_data(world) -> dict:
    return {
        "name": "深圳市南山新创精工有限公司",
        "credit_code": GOOD_CODE,
        "nature": "private",
        "district": world["nanshan"].pk,
        "address": "深圳市南山区西丽街道创新路88号",
        "legal_representative": "刘德明",
        "contact_name": "黄小燕",
        "contact_phone": "13912345678",
        "contact_email": "hr@xinchuang.example.cn",
        "username": "xinchuang",
        "email": "hr@xinchuang.example.cn",
        "password1": "Jingong-2026!",
        "password2": "Jingong-2026!",
    }


def post(client, data: dict) -> str:
    response = client.post(URL, data)
    assert response.status_code == 200  # re-rendered with errors, not redirected
    return response.content.decode()


def assert_typed_values_kept(text: str, data: dict) -> None:
    for field in ("name", "address", "legal_representative", "contact_name", "username"):
        assert f'value="{data[field]}"' in text, field
    assert data["password1"] not in text  # passwords are never echoed back


def test_registration_creates_a_pending_enterprise_and_its_operator(client, form_data):
    response = client.post(URL, form_data, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    text = response.content.decode()
    assert "深圳市南山新创精工有限公司注册成功" in text
    assert "南山区" in text
    enterprise = Enterprise.objects.get(credit_code=GOOD_CODE)
    assert enterprise.status == EnterpriseStatus.PENDING
    user = User.objects.get(username="xinchuang")
    assert user.membership.role == "enterprise"
    assert user.membership.enterprise == enterprise
    assert user.membership.full_name == "黄小燕"
    assert client.login(username="xinchuang", password="Jingong-2026!")
    event = AuditEvent.objects.get(action="register", object_id=enterprise.pk)
    assert event.actor == user and event.to_status == "pending"


def test_registration_accepts_a_lower_case_code_and_stores_it_upper_case(client, form_data):
    body = "91440300MA5F00001"
    code = body + uscc.calc_check_digit(body)
    form_data["credit_code"] = code.lower()
    assert client.post(URL, form_data).status_code == 302
    assert Enterprise.objects.get(name=form_data["name"]).credit_code == code


def test_r_f1_a_credit_code_failing_the_gb_32100_check_is_refused_naming_the_field(
    client, form_data
):
    bad = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")
    form_data["credit_code"] = bad
    text = post(client, form_data)
    assert "统一社会信用代码：统一社会信用代码未通过GB 32100校验" in text
    assert f'value="{bad}"' in text
    assert_typed_values_kept(text, form_data)
    assert not Enterprise.objects.exists()
    assert not User.objects.filter(username="xinchuang").exists()


def test_r_f1_a_credit_code_of_the_wrong_length_says_how_many_characters(client, form_data):
    form_data["credit_code"] = GOOD_CODE[:17]
    text = post(client, form_data)
    assert "统一社会信用代码应为18位；现输入17位。" in text
    assert_typed_values_kept(text, form_data)


def test_an_already_registered_credit_code_is_refused(client, world, form_data):
    EnterpriseFactory(credit_code=GOOD_CODE, district=world["futian"])
    text = post(client, form_data)
    assert "统一社会信用代码：该统一社会信用代码的企业已注册。" in text
    assert_typed_values_kept(text, form_data)
    assert Enterprise.objects.count() == 1


def test_a_taken_user_name_is_refused_whatever_its_case(client, alice, form_data):
    form_data["username"] = "ALICE"
    text = post(client, form_data)
    assert "用户名：该用户名已被使用，请换一个。" in text
    assert 'value="ALICE"' in text
    assert not Enterprise.objects.filter(credit_code=GOOD_CODE).exists()


def test_differing_passwords_are_refused_and_the_input_kept(client, form_data):
    form_data["password2"] = "Jingong-2026?"
    text = post(client, form_data)
    assert "确认密码：两次输入的密码不一致。" in text
    assert f'value="{GOOD_CODE}"' in text
    assert_typed_values_kept(text, form_data)
    assert not Enterprise.objects.exists()


def test_a_malformed_phone_number_is_refused(client, form_data):
    form_data["contact_phone"] = "13912"
    text = post(client, form_data)
    assert "联系电话：请输入11位手机号码或带区号的固定电话。" in text
    assert 'value="13912"' in text


def test_a_missing_required_field_is_named(client, form_data):
    form_data["address"] = ""
    text = post(client, form_data)
    assert "地址：这个字段是必填项。" in text
    assert 'value="深圳市南山新创精工有限公司"' in text


def test_a_logged_in_user_is_sent_to_the_dashboard(client, alice):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


# District activation ---------------------------------------------------------------------------


@pytest.fixture
def pending(world):
    return EnterpriseFactory(
        name="南山待激活科技有限公司", district=world["nanshan"], status=EnterpriseStatus.PENDING
    )


def activate(client, user, enterprise):
    client.force_login(user)
    return client.post(f"/enterprises/{enterprise.pk}/activate/", follow=True)


def test_r_f5_the_district_activates_a_pending_enterprise_of_its_district(client, dora, pending):
    client.force_login(dora)
    page = client.get(f"/enterprises/{pending.pk}/").content.decode()
    assert "激活企业" in page and "待激活" in page
    text = activate(client, dora, pending).content.decode()
    assert "南山待激活科技有限公司已激活。" in text
    pending.refresh_from_db()
    assert pending.status == EnterpriseStatus.ACTIVE
    assert pending.activated_at is not None
    event = AuditEvent.objects.get(action="activate", object_id=pending.pk)
    assert (event.actor, event.from_status, event.to_status) == (dora, "pending", "active")
    assert "激活" in text and "待激活 → 已激活" in text  # the history on the enterprise page


def test_r_f5_a_reviewer_of_another_district_gets_404(client, fred, pending):
    client.force_login(fred)
    assert client.get(f"/enterprises/{pending.pk}/").status_code == 404
    assert client.post(f"/enterprises/{pending.pk}/activate/").status_code == 404
    pending.refresh_from_db()
    assert pending.status == EnterpriseStatus.PENDING


@pytest.mark.parametrize("persona", ["carl", "alice", "erin", "olga"])
def test_r_f5_only_the_district_activates(client, pending, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.post(f"/enterprises/{pending.pk}/activate/").status_code == 404
    pending.refresh_from_db()
    assert pending.status == EnterpriseStatus.PENDING


def test_r_f5_an_active_enterprise_cannot_be_activated_again(client, dora, ent_a):
    text = activate(client, dora, ent_a).content.decode()
    assert "只有待激活的企业才能激活。" in text
    assert not AuditEvent.objects.filter(action="activate").exists()


def test_r_f5_the_district_sees_pending_enterprises_on_its_dashboard_and_list(
    client, dora, pending, ent_b
):
    client.force_login(dora)
    dashboard = client.get("/dashboard/").content.decode()
    assert "待激活企业" in dashboard and "南山待激活科技有限公司" in dashboard
    listing = client.get("/enterprises/", {"status": "pending"}).content.decode()
    assert "南山待激活科技有限公司" in listing
    assert ent_b.name not in client.get("/enterprises/").content.decode()


def test_r_f5_a_pending_enterprise_cannot_submit_until_activated(client, world):
    enterprise = EnterpriseFactory(district=world["nanshan"], status=EnterpriseStatus.PENDING)
    operator = make_member("newcomer", "enterprise", enterprise=enterprise)
    filing = complete_filing(enterprise, uploaded_by=operator)
    client.force_login(operator)
    text = client.post(f"/filings/{filing.pk}/submit/", follow=True).content.decode()
    assert "企业账户尚未经所在区人力资源局激活。" in text
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT
