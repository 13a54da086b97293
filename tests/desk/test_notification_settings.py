"""Issue 16: users choose e-mail per kind of notification on their account; the inbox gets
every notification whatever they choose."""

import pytest
from django.core import mail
from django.urls import reverse

from supervision.models import EmailPreference, Notification
from supervision.notifications.services import notify
from supervision.notifications.topics import Topic, topic_of
from supervision.reminders.delivery import reminders_send

pytestmark = pytest.mark.django_db
SETTINGS = reverse("notification_settings")
PASSWORD = "pass-Word-123"  # tests.support.factories.UserFactory


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_every_topic_is_mailed_until_the_user_turns_it_off(alice_client, alice):
    page = alice_client.get(SETTINGS).text
    assert "备案" in page and "到期提醒" in page
    assert page.count('type="checkbox"') == len(Topic.values)
    assert page.count("checked") == len(Topic.values)
    assert "alice@example.com" in page


def test_a_topic_turned_off_gets_the_inbox_entry_but_no_email(alice_client, alice):
    topics = [t for t in Topic.values if t != Topic.FILING]
    response = alice_client.post(SETTINGS, {"email": alice.email, "topics": topics})
    assert response.status_code == 302
    assert "已保存" in alice_client.get(SETTINGS).text
    notify(user=alice, kind="filing.return", title="备案申请已退回", url="/filings/1/")
    notify(user=alice, kind="scheme.scheme_return", title="评价方案已退回", url="/schemes/1/")
    reminders_send(limit=10)
    assert Notification.objects.filter(user=alice).count() == 2
    assert [message.subject for message in mail.outbox] == ["【企业技能等级认定】评价方案已退回"]
    page = alice_client.get(SETTINGS).text
    assert page.count("checked") == len(Topic.values) - 1


def test_a_changed_address_receives_the_next_email(alice_client, alice):
    alice_client.post(
        SETTINGS, {"email": "a.li@example.cn", "topics": Topic.values, "password": PASSWORD}
    )
    notify(user=alice, kind="plan.plan_return", title="实施计划已退回", url="/plans/1/")
    reminders_send(limit=10)
    assert mail.outbox[0].to == ["a.li@example.cn"]


def test_an_empty_address_means_the_portal_only(alice_client, alice):
    alice_client.post(SETTINGS, {"email": "", "topics": Topic.values, "password": PASSWORD})
    notify(user=alice, kind="plan.plan_return", title="实施计划已退回", url="/plans/1/")
    reminders_send(limit=10)
    assert Notification.objects.filter(user=alice).count() == 1
    assert mail.outbox == []


def test_a_malformed_address_is_refused_naming_the_field_and_keeps_the_choices(alice_client, alice):
    response = alice_client.post(SETTINGS, {"email": "alice@", "topics": [Topic.PLAN]})
    assert response.status_code == 200
    assert "电子邮箱：这不是电子邮箱地址" in response.text
    assert 'value="alice@"' in response.text
    assert response.text.count("checked") == 1
    assert not EmailPreference.objects.exists()


def test_settings_are_each_users_own(client, alice, bob):
    client.force_login(bob)
    client.post(SETTINGS, {"email": bob.email, "topics": []})
    assert EmailPreference.objects.filter(user=bob, email=False).count() == len(Topic.values)
    assert not EmailPreference.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    ("kind", "topic"),
    [
        ("filing.approve", Topic.FILING),
        ("result.result_return", Topic.RESULT),
        ("inspection_findings", Topic.SUPERVISION),
        ("complaint", Topic.SUPERVISION),
        ("sanction_report", Topic.SUPERVISION),
        ("correction_deadline", Topic.REMINDER),
        ("review_clock", Topic.REMINDER),
    ],
)
def test_each_kind_of_notification_belongs_to_the_topic_a_user_chooses(kind, topic):
    assert topic_of(kind) == topic


def test_the_account_page_leads_to_the_email_choice(alice_client):
    page = alice_client.get(reverse("account_security")).text
    assert SETTINGS in page


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "要修改电子邮箱，请输入您的密码"), ("wrong-Pass-1", "密码不正确")],
)
def test_the_address_changes_only_with_the_accounts_password(
    alice_client, alice, password, message
):
    response = alice_client.post(
        SETTINGS, {"email": "thief@example.net", "topics": Topic.values, "password": password}
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'value="thief@example.net"' in response.text
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_a_changed_address_is_recorded_in_the_history(alice_client, alice):
    from portal.core.models import AuditEvent

    alice_client.post(
        SETTINGS, {"email": "a.li@example.cn", "topics": Topic.values, "password": PASSWORD}
    )
    (event,) = AuditEvent.objects.filter(action="notification_settings")
    assert "address changed" in event.note
