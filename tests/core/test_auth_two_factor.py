"""Optional two-step login (TOTP) for bureau staff: enrolment with a QR code, the code asked
after the password, wrong codes counted towards the lockout, switching off with a code, and the
city administrator's staff list. Personas: dora (南山 district), carl (city admin), alice
(enterprise operator), sam (supervisor)."""

import datetime as dt
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.login_views import PENDING_KEY, SETUP_KEY
from portal.core.models import AuditEvent
from portal.core.two_factor import device_of
from tests.support.two_factor import enrol, totp_code

PASSWORD = "pass-Word-123"
OFFICE = "192.0.2.10"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _after_the_pause() -> None:
    """Each wrong code makes the device refuse checks for 1, 2, 4 … seconds: let them pass."""
    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - dt.timedelta(hours=1))


def _password(client: Client, username: str, address: str = OFFICE, **data):
    return client.post(
        reverse("login"),
        {"username": username, "password": PASSWORD, **data},
        REMOTE_ADDR=address,
    )


def _code_step(client: Client, code: str, address: str = OFFICE):
    return client.post(reverse("login_code"), {"code": code}, REMOTE_ADDR=address)


def test_staff_enrol_with_a_qr_code_and_a_first_code(client, dora):
    client.force_login(dora)

    page = client.get(reverse("two_factor_setup"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'class="segno"' in html
    key = client.session[SETUP_KEY]
    secret = page.context["secret"]
    assert secret.replace(" ", "") in html.replace(" ", "")
    assert device_of(dora) is None

    refused = client.post(reverse("two_factor_setup"), {"code": _wrong(totp_code(key))})
    assert refused.status_code == 200
    assert "验证码不匹配" in refused.content.decode()
    assert device_of(dora) is None

    done = client.post(reverse("two_factor_setup"), {"code": totp_code(key)}, follow=True)
    assert "两步登录已开启" in done.content.decode()
    assert device_of(dora).key == key
    assert AuditEvent.objects.filter(actor=dora, action="two_factor_on").exists()


def test_enterprises_and_experts_do_not_enrol(client, alice, erin):
    for user in (alice, erin):
        client.force_login(user)
        assert client.get(reverse("two_factor_setup")).status_code == 404
        assert "两步登录" not in client.get(reverse("account_security")).content.decode()


def test_login_asks_for_the_code_and_is_anonymous_until_it_is_right(dora):
    key = enrol(Client(), dora)
    client = Client()

    first = _password(client, "dora")

    assert first.status_code == 302
    assert first["Location"] == reverse("login_code")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    asked = client.get(reverse("login_code"))
    assert "动态验证码" in asked.content.decode()

    wrong = _code_step(client, _wrong(totp_code(key, 1)))
    assert wrong.status_code == 200
    assert "验证码错误或已使用过" in wrong.content.decode()
    assert SESSION_KEY not in client.session

    _after_the_pause()
    right = _code_step(client, totp_code(key, 1))
    assert right.status_code == 302
    assert right["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    assert PENDING_KEY not in client.session


def test_the_code_that_confirmed_enrolment_cannot_log_in(dora):
    key = enrol(Client(), dora)
    enrolment_code = totp_code(key)
    client = Client()
    _password(client, "dora")

    answer = _code_step(client, enrolment_code)

    assert answer.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_code_is_accepted_once(dora):
    key = enrol(Client(), dora)
    first, second = Client(), Client()
    _password(first, "dora")
    _password(second, "dora", address="198.51.100.3")
    code = totp_code(key, 1)

    assert _code_step(first, code).status_code == 302
    assert _code_step(second, code, address="198.51.100.3").status_code == 200
    assert SESSION_KEY not in second.session


def test_the_next_page_survives_the_second_step(dora):
    key = enrol(Client(), dora)
    client = Client()
    target = reverse("account_security")
    _password(client, "dora", next=target)

    assert _code_step(client, totp_code(key, 1))["Location"] == target


def test_wrong_codes_count_towards_the_lockout_of_that_address(dora):
    key = enrol(Client(), dora)
    attacker = Client()
    _password(attacker, "dora")

    answers = [_code_step(attacker, "000000" if n % 2 else "111111") for n in range(5)]

    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert answers[4].status_code == 429
    assert "登录已锁定" in answers[4].content.decode()
    # The half-logged-in state is gone, and the password does not get it back from there.
    assert PENDING_KEY not in attacker.session
    assert _password(attacker, "dora").status_code == 429
    # dora herself, from another address, still logs in once the device accepts codes again.
    _after_the_pause()
    herself = Client()
    _password(herself, "dora", address="198.51.100.4")
    assert _code_step(herself, totp_code(key, 1), address="198.51.100.4").status_code == 302


def test_the_second_step_expires(dora):
    enrol(Client(), dora)
    client = Client()
    _password(client, "dora")
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": int(time.time()) - 301}
    session.save()

    answer = client.post(reverse("login_code"), {"code": "123456"}, follow=True)

    assert answer.redirect_chain[-1][0] == reverse("login")
    assert "登录等待时间过长" in answer.content.decode()
    assert SESSION_KEY not in client.session


def test_without_a_second_factor_the_password_logs_in_at_once(client, dora):
    answer = _password(client, "dora")

    assert answer["Location"] == reverse("dashboard")
    assert SESSION_KEY in client.session


def test_switching_off_needs_a_valid_code(client, dora):
    key = enrol(Client(), dora)
    client.force_login(dora)
    page = client.get(reverse("account_security")).content.decode()
    assert "已开启" in page

    refused = client.post(reverse("two_factor_disable"), {"code": _wrong(totp_code(key, 1))})
    assert refused.status_code == 302
    assert device_of(dora) is not None

    _after_the_pause()
    done = client.post(reverse("two_factor_disable"), {"code": totp_code(key, 1)}, follow=True)
    assert "两步登录已关闭" in done.content.decode()
    assert device_of(dora) is None
    assert AuditEvent.objects.filter(actor=dora, action="two_factor_off").exists()
    assert _password(Client(), "dora")["Location"] == reverse("dashboard")


def test_the_city_admin_sees_who_has_it_on(client, world, carl, dora, fred, sam, alice, olga):
    enrol(Client(), dora)
    client.force_login(carl)

    page = client.get(reverse("staff_two_factor"))

    assert page.status_code == 200
    rows = {row["user"].username: row["two_factor"] for row in page.context["rows"]}
    assert rows == {"carl": False, "dora": True, "fred": False, "sam": False}
    assert 'data-two-factor="on"' in page.content.decode()


@pytest.mark.parametrize("persona", ["dora", "alice"])
def test_only_city_admins_see_the_staff_list(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("staff_two_factor")).status_code == 404


def test_codes_right_after_a_wrong_one_wait_for_the_pause(dora):
    key = enrol(Client(), dora)
    client = Client()
    _password(client, "dora")
    _code_step(client, _wrong(totp_code(key, 1)))

    hurried = _code_step(client, totp_code(key, 1))

    assert hurried.status_code == 200
    assert "验证码错误次数过多" in hurried.content.decode()
    assert SESSION_KEY not in client.session


def test_the_django_admin_login_cannot_skip_the_second_factor(client, dora):
    dora.is_staff = dora.is_superuser = True
    dora.save(update_fields=["is_staff", "is_superuser"])
    enrol(Client(), dora)

    posted = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": "dora", "password": PASSWORD}
    )
    assert posted.status_code == 302
    assert posted["Location"] == reverse("login") + "?next=%2Fdjango-admin%2F"
    assert SESSION_KEY not in client.session

    asked = client.post(posted["Location"], {"username": "dora", "password": PASSWORD})
    assert asked["Location"] == reverse("login_code")
    assert client.get("/django-admin/").status_code == 302


# Required by policy (REQUIRE_TWO_FACTOR_FOR_STAFF) ------------------------------------------------


@pytest.fixture
def two_factor_required(settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True


@pytest.mark.parametrize("persona", ["dora", "carl", "sam"])
def test_staff_without_a_second_factor_set_one_up_first_when_policy_requires_it(
    two_factor_required, persona, request
):
    user = request.getfixturevalue(persona)
    client = Client()

    landed = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )

    assert landed.redirect_chain[-1][0] == reverse("two_factor_setup")
    assert "工作人员账户须使用两步登录" in landed.content.decode()
    for elsewhere in (reverse("dashboard"), reverse("account_security")):
        assert client.get(elsewhere)["Location"] == reverse("two_factor_setup")
    key = client.session[SETUP_KEY]
    client.post(reverse("two_factor_setup"), {"code": totp_code(key)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_administrators_set_up_a_second_factor_before_the_django_admin(two_factor_required, db):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    client.force_login(root)

    assert client.get("/django-admin/")["Location"] == reverse("two_factor_setup")
    assert client.get(reverse("two_factor_setup")).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "erin"])
def test_enterprises_and_experts_are_not_asked_for_a_second_factor(
    two_factor_required, persona, request
):
    client = Client()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("dashboard")).status_code == 200


def test_staff_with_a_second_factor_go_on_when_policy_requires_it(two_factor_required, dora):
    key = enrol(Client(), dora)
    client = Client()
    _password(client, "dora")
    _code_step(client, totp_code(key, 1))

    assert client.get(reverse("dashboard")).status_code == 200


def test_staff_cannot_switch_off_a_second_factor_the_policy_requires(two_factor_required, dora):
    key = enrol(Client(), dora)
    client = Client()
    client.force_login(dora)

    refused = client.post(reverse("two_factor_disable"), {"code": totp_code(key, 1)}, follow=True)

    assert "工作人员账户须使用两步登录，不能关闭" in refused.content.decode()
    assert device_of(dora) is not None


def test_without_the_policy_the_second_factor_stays_optional(client, dora, settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = False
    client.force_login(dora)

    assert client.get(reverse("dashboard")).status_code == 200
