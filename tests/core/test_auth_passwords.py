"""Passwords to GB/T 22239-2019 level 3 (8.1.4.1): 8 characters of 3 classes, none of the last
5, changed at the first login when an administrator set them, and aged out after
PASSWORD_MAX_AGE_DAYS for bureau reviewers and administrators. Personas: dora (南山 district),
carl (city admin), alice (enterprise operator), erin (expert), sam (supervisor)."""

import datetime as dt
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.models import AuditEvent, PasswordChangeRequired, PasswordHistory

PASSWORD = "pass-Word-123"
User = get_user_model()


def _change(client: Client, old: str, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def _errors(response) -> str:
    errors = response.context["form"].errors
    return " ".join(str(e) for field in errors for e in errors[field])


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password}, follow=True)


@pytest.fixture
def root(db):
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    return admin


# Complexity -------------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["Ab1-xyz", "abcdefgh12", "ABCDEFGH!!", "zhangsan-portal"])
def test_a_password_needs_8_characters_and_3_of_4_character_classes(client, dora, weak):
    client.force_login(dora)

    refused = _change(client, PASSWORD, weak)

    assert refused.status_code == 200
    assert _errors(refused)
    assert dora.__class__.objects.get(pk=dora.pk).check_password(PASSWORD)


def test_the_character_class_rule_is_explained_in_chinese(client, dora):
    client.force_login(dora)

    page = client.get(reverse("password_change")).content.decode()
    refused = _change(client, PASSWORD, "abcdefgh12")

    rule = "密码须至少包含大写字母、小写字母、数字和符号中的3类"
    assert rule in page
    assert rule in _errors(refused)


@pytest.mark.parametrize("strong", ["Demo-2026-portal", "abcd1234!", "Qx7-Lm2Pz", "Shenzhen#Zg"])
def test_a_password_of_3_classes_and_8_characters_is_accepted(db, strong):
    validate_password(strong, User(username="someone"))


def test_self_registration_refuses_a_simple_password(client, world):
    answer = client.post(
        reverse("enterprise_register"),
        {"username": "newcomer", "password1": "abcdefgh12", "password2": "abcdefgh12"},
    )

    assert "密码须至少包含大写字母、小写字母、数字和符号中的3类" in answer.content.decode()


# History ---------------------------------------------------------------------------------------


def test_a_password_cannot_be_one_of_the_last_5(client, dora):
    client.force_login(dora)
    passwords = [PASSWORD] + [f"Another-{n}-Secret" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert _change(client, old, new).status_code == 302

    # The last five (Another-1 … Another-5) are refused, the current one included.
    for reused in passwords[1:]:
        refused = _change(client, passwords[-1], reused)
        assert refused.status_code == 200
        assert "新密码不能与最近5次使用过的密码相同" in _errors(refused)
    # The sixth from last has dropped out of the history.
    assert _change(client, passwords[-1], PASSWORD).status_code == 302


def test_the_history_keeps_hashes_only_and_only_the_last_5(client, dora):
    client.force_login(dora)
    current = PASSWORD
    for n in range(1, 8):
        new = f"Another-{n}-Secret"
        _change(client, current, new)
        current = new

    kept = list(PasswordHistory.objects.filter(user=dora).values_list("password", flat=True))
    assert len(kept) == 5
    assert not any("Secret" in encoded for encoded in kept)


def test_a_password_set_through_set_password_enters_the_history(dora):
    dora.set_password("Set-By-Code-2026")
    dora.save()

    with pytest.raises(ValidationError):
        validate_password("Set-By-Code-2026", dora)


# Set by someone else ---------------------------------------------------------------------------


def _admin_creates(client: Client, root, username: str) -> None:
    client.force_login(root)
    answer = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": username,
            "usable_password": "true",
            "password1": "Given-By-Admin-1",
            "password2": "Given-By-Admin-1",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]


def test_a_password_set_by_an_administrator_must_be_changed_at_first_login(root):
    _admin_creates(Client(), root, "newstaff")
    user = User.objects.get(username="newstaff")
    assert PasswordChangeRequired.objects.filter(user=user, set_by=root).exists()
    client = Client()

    landed = _login(client, "newstaff", "Given-By-Admin-1")

    assert landed.redirect_chain[-1][0] == reverse("password_change")
    assert "您的密码由管理员设置" in landed.content.decode()
    for elsewhere in (reverse("dashboard"), reverse("filing_list"), reverse("account_security")):
        assert client.get(elsewhere)["Location"] == reverse("password_change")
    assert client.post(reverse("dashboard"))["Location"] == reverse("password_change")

    assert _change(client, "Given-By-Admin-1", "Mine-Only-2026")["Location"] == reverse(
        "account_security"
    )
    assert client.get(reverse("dashboard")).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(actor=user, action="password_changed").exists()


def test_a_user_who_must_change_the_password_can_still_log_out(client, root):
    _admin_creates(Client(), root, "newstaff")
    _login(client, "newstaff", "Given-By-Admin-1")

    answer = client.post(reverse("logout"))

    assert answer.status_code == 302
    assert answer["Location"] != reverse("password_change")
    assert "_auth_user_id" not in client.session


def test_static_files_are_served_while_a_password_change_is_due(client, root):
    _admin_creates(Client(), root, "newstaff")
    _login(client, "newstaff", "Given-By-Admin-1")

    assert client.get("/static/portal/portal.js").status_code == 200


def test_a_password_reset_by_an_administrator_must_be_changed(client, root, dora):
    admin = Client()
    admin.force_login(root)
    done = admin.post(
        reverse("admin:auth_user_password_change", args=[dora.pk]),
        {"password1": "Reset-By-Admin-7", "password2": "Reset-By-Admin-7"},
    )
    assert done.status_code == 302
    assert AuditEvent.objects.filter(actor=root, action="password_set_by_other").exists()

    landed = _login(client, "dora", "Reset-By-Admin-7")

    assert landed.redirect_chain[-1][0] == reverse("password_change")


def test_an_administrator_changing_their_own_password_is_not_sent_back(client, root):
    client.force_login(root)
    client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Own-Choice-2026", "password2": "Own-Choice-2026"},
    )

    assert not PasswordChangeRequired.objects.filter(user=root).exists()


@pytest.mark.parametrize("persona", ["alice", "dora", "carl", "erin", "sam"])
def test_users_made_by_code_and_self_registration_are_not_sent_to_change(client, persona, request):
    user = request.getfixturevalue(persona)

    landed = _login(client, user.username)

    assert landed.redirect_chain[-1][0] == reverse("dashboard")


# Expiry ----------------------------------------------------------------------------------------


def _age_password(user, days: int) -> None:
    then = timezone.now() - dt.timedelta(days=days)
    PasswordHistory.objects.filter(user=user).update(changed_at=then)
    # create_user() hashes without set_password(): such a password's age counts from joining.
    User.objects.filter(pk=user.pk).update(date_joined=then)
    user.refresh_from_db()


@pytest.mark.parametrize("persona", ["dora", "carl"])
def test_a_bureau_reviewers_password_expires_after_90_days(client, persona, request):
    user = request.getfixturevalue(persona)
    _age_password(user, 91)

    landed = _login(client, user.username)

    assert landed.redirect_chain[-1][0] == reverse("password_change")
    assert "您的密码已使用超过90天" in landed.content.decode()
    assert _change(client, PASSWORD, "Fresh-Choice-2026").status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_bureau_reviewers_password_younger_than_the_policy_stays(client, dora):
    _age_password(dora, 89)

    assert _login(client, "dora").redirect_chain[-1][0] == reverse("dashboard")


def test_the_password_age_limit_comes_from_the_settings(client, dora, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    _age_password(dora, 31)

    assert _login(client, "dora").redirect_chain[-1][0] == reverse("password_change")


def test_an_administrators_password_expires_too(client, root):
    _age_password(root, 91)
    client.force_login(root)

    assert client.get("/django-admin/")["Location"] == reverse("password_change")


@pytest.mark.parametrize("persona", ["alice", "erin"])
def test_enterprise_and_expert_passwords_do_not_expire(client, persona, request):
    user = request.getfixturevalue(persona)
    _age_password(user, 400)

    assert _login(client, user.username).redirect_chain[-1][0] == reverse("dashboard")


def test_a_password_that_expires_during_a_session_is_asked_for_at_the_next_page(client, dora):
    then = timezone.now() - dt.timedelta(days=90) + dt.timedelta(seconds=2)
    PasswordHistory.objects.filter(user=dora).update(changed_at=then)
    assert _login(client, "dora").redirect_chain[-1][0] == reverse("dashboard")

    time.sleep(2.5)

    assert client.get(reverse("dashboard"))["Location"] == reverse("password_change")
