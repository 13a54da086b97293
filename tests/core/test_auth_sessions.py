"""Sessions: a new key at login, logged out after SESSION_IDLE_SECONDS without a request,
ended at once for a disabled user, and ended everywhere else by a password change."""

import time

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from portal.core.login_views import PENDING_KEY
from portal.core.sessions import LAST_SEEN_KEY

PASSWORD = "pass-Word-123"


def _login(client: Client, username: str, **data):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, **data})


def _anonymous_session(client: Client) -> str:
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    return session.session_key


def _to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_session_key_changes_at_login(client, dora):
    before = _anonymous_session(client)

    _login(client, "dora")

    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session[SESSION_KEY] == str(dora.pk)
    assert not Session.objects.filter(session_key=before).exists()


def test_the_session_key_changes_at_each_step_of_a_two_step_login(client, dora):
    from tests.support.two_factor import enrol, totp_code

    key = enrol(Client(), dora)
    before = _anonymous_session(client)

    _login(client, "dora")
    halfway = client.cookies["sessionid"].value
    assert PENDING_KEY in client.session
    client.post(reverse("login_code"), {"code": totp_code(key, 1)})
    after = client.cookies["sessionid"].value

    assert len({before, halfway, after}) == 3
    assert client.session[SESSION_KEY] == str(dora.pk)


def _idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_logged_out_with_a_message_on_the_login_page(client, dora):
    _login(client, "dora")
    assert client.get(reverse("dashboard")).status_code == 200
    old_key = client.cookies["sessionid"].value
    _idle_for(client, 31 * 60)

    answer = client.get(reverse("filing_list"), follow=True)

    first_hop = answer.redirect_chain[0][0]
    assert first_hop.startswith(reverse("login")) and "next=" in first_hop
    assert "您已超过30分钟未操作" in answer.content.decode()
    assert SESSION_KEY not in client.session
    assert not Session.objects.filter(session_key=old_key).exists()
    assert _to_login(client.get(reverse("dashboard")))


def test_a_session_used_within_the_idle_time_stays(client, dora):
    _login(client, "dora")
    _idle_for(client, 29 * 60)

    assert client.get(reverse("dashboard")).status_code == 200
    # That request counts as activity: the clock starts again.
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


def test_the_idle_time_comes_from_the_settings(client, dora, settings):
    settings.SESSION_IDLE_SECONDS = 120
    _login(client, "dora")
    _idle_for(client, 121)

    assert _to_login(client.get(reverse("dashboard")))


def test_a_session_idle_since_login_is_logged_out(client, dora):
    """The clock starts at login, not at the first request after it."""
    _login(client, "dora")
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5
    _idle_for(client, 31 * 60)

    assert _to_login(client.get(reverse("dashboard")))


@pytest.mark.parametrize("persona", ["alice", "dora", "carl", "sam"])
def test_a_disabled_user_is_anonymous_at_the_next_request(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    key = client.cookies["sessionid"].value

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert _to_login(client.get(reverse("dashboard")))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_disabled_superuser_loses_the_django_admin_at_once(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client.force_login(admin)
    assert client.get("/django-admin/").status_code == 200

    get_user_model().objects.filter(pk=admin.pk).update(is_active=False)

    answer = client.get("/django-admin/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/django-admin/login/")


def test_a_password_change_ends_every_other_session(dora):
    here, elsewhere = Client(), Client()
    _login(here, "dora")
    _login(elsewhere, "dora")

    changed = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Secret-2026",
            "new_password2": "Another-Secret-2026",
        },
        follow=True,
    )

    assert "您账户在其他设备或浏览器上的登录均已退出" in changed.content.decode()
    assert here.get(reverse("dashboard")).status_code == 200
    assert _to_login(elsewhere.get(reverse("dashboard")))
    assert _login(Client(), "dora").status_code == 200  # the old password is refused
    assert _login(Client(), "dora", password="Another-Secret-2026")["Location"] == reverse(
        "dashboard"
    )


def test_public_pages_without_a_session_write_no_session(client, db):
    answer = client.get(reverse("certificate_verify"))

    assert answer.status_code == 200
    assert "sessionid" not in answer.cookies
    assert not Session.objects.exists()
