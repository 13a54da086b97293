"""Login lockout (django-axes): AXES_FAILURE_LIMIT failures lock one username from one client
address, and nothing else; the address is read as the rate limits read it (TRUSTED_PROXY_COUNT).
Personas: dora (南山 district reviewer) is attacked, fred (福田) shares her network."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

PASSWORD = "pass-Word-123"
HOME = "192.0.2.10"  # dora's office
ELSEWHERE = "198.51.100.20"


def _login(client: Client, username: str, password: str, address: str, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def _fail(client: Client, username: str, address: str, times: int, **headers):
    return [_login(client, username, "wrong-Guess-1", address, **headers) for _ in range(times)]


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def attacker():
    return Client()


def test_five_failures_lock_that_username_from_that_address_only(attacker, dora, fred):
    answers = _fail(attacker, "dora", HOME, 5)

    assert [a.status_code for a in answers[:4]] == [200] * 4
    locked = answers[4]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已锁定" in page
    assert "15 分钟" in page
    assert locked["Retry-After"] == str(15 * 60)
    # Now even the right password from that address is refused.
    again = _login(attacker, "dora", PASSWORD, HOME)
    assert again.status_code == 429
    assert not _logged_in(attacker)


def test_the_same_username_from_another_address_still_logs_in(attacker, dora):
    _fail(attacker, "dora", HOME, 5)
    dora_on_the_road = Client()

    answer = _login(dora_on_the_road, "dora", PASSWORD, ELSEWHERE)

    assert answer.status_code == 302
    assert answer["Location"] == reverse("dashboard")
    assert _logged_in(dora_on_the_road)


def test_another_username_from_the_same_address_still_logs_in(attacker, dora, fred):
    _fail(attacker, "dora", HOME, 5)
    colleague = Client()

    answer = _login(colleague, "fred", PASSWORD, HOME)

    assert answer.status_code == 302
    assert _logged_in(colleague)


def test_a_spoofed_x_forwarded_for_does_not_change_the_address_without_trusted_proxies(
    attacker, dora, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        _fail(attacker, "dora", HOME, 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")

    answer = _login(attacker, "dora", PASSWORD, HOME, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert answer.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}


def test_behind_a_trusted_proxy_one_client_does_not_lock_out_the_others(dora, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "192.0.2.1"
    attacker, colleague = Client(), Client()
    # Whatever the attacker puts in the header, the proxy appends the address it saw.
    _fail(attacker, "dora", proxy, 5, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.66")

    locked = _login(attacker, "dora", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    other = _login(colleague, "dora", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.67")

    assert locked.status_code == 429
    assert other.status_code == 302
    assert _logged_in(colleague)


def test_a_successful_login_clears_the_count(attacker, dora):
    _fail(attacker, "dora", HOME, 4)
    assert _login(Client(), "dora", PASSWORD, HOME).status_code == 302

    answers = _fail(attacker, "dora", HOME, 4)

    assert [a.status_code for a in answers] == [200] * 4


def test_the_lockout_ends_after_the_cool_off(attacker, dora):
    _fail(attacker, "dora", HOME, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    answer = _login(attacker, "dora", PASSWORD, HOME)

    assert answer.status_code == 302
    assert _logged_in(attacker)


def test_the_limit_and_cool_off_come_from_the_settings(attacker, dora, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=40)

    first, second = _fail(attacker, "dora", HOME, 2)

    assert first.status_code == 200
    assert second.status_code == 429
    assert "40 分钟" in second.content.decode()


def test_test_client_login_still_works_and_is_counted(client, dora):
    assert client.login(username="dora", password=PASSWORD)
    assert not Client().login(username="dora", password="wrong-Guess-1")
    assert AccessAttempt.objects.get(username="dora").failures_since_start == 1
