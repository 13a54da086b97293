"""Failures for one user name from many addresses: past LOGIN_USERNAME_FAILURE_LIMIT real
guesses within the cool-off, that user name is locked for every address it never logged in
from, and the administrators are e-mailed once (issue 18). Personas: dora (南山 district
reviewer) is attacked; carl is her city's administrator; otto administers another city."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import make_member
from tests.support.two_factor import enrol, totp_code

PASSWORD = "pass-Word-123"
HOME = "192.0.2.10"  # where dora logged in before
NEW_PLACE = "198.51.100.20"  # dora on a trip: an address she never logged in from
MESSAGE = "此用户名近期从多个网络地址登录失败次数过多"


def _login(client: Client, username: str, password: str, address: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _botnet(username: str, addresses: int, each: int = 5, first: int = 1):
    """`each` wrong passwords from each of `addresses` addresses, 203.0.113.<first>…"""
    answers = []
    for n in range(first, first + addresses):
        bot = Client()
        answers += [_login(bot, username, "wrong-Guess-1", f"203.0.113.{n}") for _ in range(each)]
    return answers


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def admins(settings, carl, world):
    settings.ADMINS = [("运维", "ops@example.org")]
    otto = make_member("otto", "city", bureau=world["other_city"], is_admin=True)
    return carl, otto


def test_twenty_failures_from_many_addresses_lock_the_user_name_for_a_new_address(dora):
    _botnet("dora", addresses=4)

    answer = _login(Client(), "dora", PASSWORD, NEW_PLACE)

    assert answer.status_code == 429
    assert MESSAGE in answer.content.decode()
    assert int(answer["Retry-After"]) <= 15 * 60


def test_a_login_refused_by_the_user_name_lock_is_in_the_audit_trail(dora):
    from portal.core.models import AuditEvent

    _botnet("dora", addresses=4)

    _login(Client(), "dora", PASSWORD, NEW_PLACE)

    refused = AuditEvent.objects.filter(action="login_locked", address=NEW_PLACE).get()
    assert (refused.note, refused.outcome) == ("dora", "refused")


def test_below_the_limit_the_user_name_still_logs_in_from_a_new_address(dora):
    _botnet("dora", addresses=3)
    _botnet("dora", addresses=1, each=4, first=9)

    dora_on_a_trip = Client()
    answer = _login(dora_on_a_trip, "dora", PASSWORD, NEW_PLACE)

    assert answer.status_code == 302
    assert _logged_in(dora_on_a_trip)


def test_attempts_refused_by_an_address_lock_are_no_guesses_and_do_not_count(dora):
    """One address that keeps trying after its own lock cannot lock dora out everywhere."""
    _botnet("dora", addresses=1, each=30)

    answer = _login(Client(), "dora", PASSWORD, NEW_PLACE)

    assert answer.status_code == 302


def test_the_real_user_still_logs_in_from_an_address_she_logged_in_from_before(dora):
    assert _login(Client(), "dora", PASSWORD, HOME).status_code == 302
    _botnet("dora", addresses=6)

    at_the_office = Client()
    answer = _login(at_the_office, "dora", PASSWORD, HOME)

    assert answer.status_code == 302
    assert _logged_in(at_the_office)


def test_the_user_name_lock_ends_when_the_failures_are_older_than_the_cool_off(dora):
    _botnet("dora", addresses=4)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    answer = _login(Client(), "dora", PASSWORD, NEW_PLACE)

    assert answer.status_code == 302


def test_attempts_during_the_user_name_lock_neither_count_nor_extend_it(dora):
    _botnet("dora", addresses=4)
    later = _botnet("dora", addresses=4, first=50)

    assert {a.status_code for a in later} == {429}
    assert AccessAttempt.objects.filter(ip_address__endswith=".50").count() == 0


def test_the_limit_comes_from_the_settings(dora, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    _botnet("dora", addresses=2, each=4)

    assert _login(Client(), "dora", PASSWORD, NEW_PLACE).status_code == 429


def test_the_administrators_are_emailed_once_when_the_limit_is_reached(
    dora, admins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _botnet("dora", addresses=3)
        assert mail.outbox == []
        _botnet("dora", addresses=1, first=4)
        _botnet("dora", addresses=4, first=50)  # refused: no second e-mail

    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    # The portal's administrators and dora's city's, not another city's.
    assert sorted(alert.to) == ["carl@example.com", "ops@example.org"]
    assert "dora" in alert.subject
    assert "20 次" in alert.body
    assert "4 个网络地址" in alert.body
    assert "203.0.113.1" in alert.body
    assert PASSWORD not in alert.body


def test_an_unknown_user_name_alerts_every_city_administrator(
    world, admins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _botnet("nobody", addresses=4)

    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["carl@example.com", "ops@example.org", "otto@example.com"]


def test_the_code_step_is_refused_too_once_the_user_name_is_locked(dora):
    key = enrol(Client(), dora)
    someone = Client()
    code_step = reverse("login_code")
    step_one = _login(someone, "dora", PASSWORD, NEW_PLACE)
    assert step_one["Location"] == code_step

    _botnet("dora", addresses=4)
    answer = someone.post(code_step, {"code": totp_code(key, 1)}, REMOTE_ADDR=NEW_PLACE)

    assert answer.status_code == 429
    assert MESSAGE in answer.content.decode()
    assert not _logged_in(someone)
