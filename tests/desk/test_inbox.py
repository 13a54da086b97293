"""The notification inbox: my notifications only, unread first; opening one marks it read and
goes to its page on this site, never elsewhere; the desk shows the latest unread ones."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from desk.context_processors import navigation
from desk.inbox import safe_local_url
from supervision.models import Notification
from supervision.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_the_inbox_lists_my_notifications_unread_first(alice_client, alice, bob):
    read = notify(user=alice, kind="test", title="已读的提醒", url="/filings/")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-11-01T08:00:00+08:00")
    notify(user=alice, kind="test", title="请于2026-11-05前更正备案申请", body="备案申请已退回更正")
    notify(user=bob, kind="test", title="别人的提醒")

    response = alice_client.get(reverse("notification_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "通知" in html and "1条未读" in html
    assert html.index("请于2026-11-05前更正备案申请") < html.index("已读的提醒")
    assert "别人的提醒" not in html
    assert "全部标为已读" in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(alice_client, alice):
    note = notify(user=alice, kind="test", title="提醒", url="/filings/12/")

    response = alice_client.get(reverse("notification_open", args=[note.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/filings/12/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_by_post_works_too(alice_client, alice):
    note = notify(user=alice, kind="test", title="提醒", url="/plans/3/")

    response = alice_client.post(reverse("notification_open", args=[note.pk]))

    assert response["Location"] == "/plans/3/"
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_another_users_notification_is_not_found(alice_client, bob):
    theirs = notify(user=bob, kind="test", title="别人的提醒", url="/filings/1/")

    assert alice_client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert alice_client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/",
        "//evil.example.com/path",
        "/\\evil.example.com",
        "javascript:alert(1)",
        "filings/1/",
    ],
)
def test_a_notification_never_redirects_off_the_site(alice_client, alice, url):
    note = notify(user=alice, kind="test", title="提醒", url=url)

    response = alice_client.get(reverse("notification_open", args=[note.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notification_list")
    assert safe_local_url(url) is None


def test_mark_all_read_touches_only_my_notifications(alice_client, alice, bob):
    notify(user=alice, kind="test", title="一")
    notify(user=alice, kind="test", title="二")
    theirs = notify(user=bob, kind="test", title="三")

    response = alice_client.post(reverse("notification_read_all"), follow=True)

    assert "已将2条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_needs_a_post(alice_client):
    assert alice_client.get(reverse("notification_read_all")).status_code == 405


def test_the_inbox_pages(alice_client, alice):
    for n in range(35):
        notify(user=alice, kind="test", title=f"提醒{n:02d}")

    first = alice_client.get(reverse("notification_list")).content.decode()
    second = alice_client.get(reverse("notification_list") + "?page=2").content.decode()

    assert "提醒34" in first and "提醒04" not in first
    assert "提醒04" in second and "提醒34" not in second


def test_the_desk_shows_the_latest_five_unread_with_a_link_to_the_inbox(alice_client, alice):
    for n in range(7):
        notify(user=alice, kind="test", title=f"桌面提醒{n}")

    html = alice_client.get(reverse("dashboard")).content.decode()

    assert "新通知" in html
    assert [f"桌面提醒{n}" in html for n in range(7)] == [False, False] + [True] * 5
    assert reverse("notification_list") in html


def test_the_context_processor_counts_my_unread_notifications(alice, bob):
    notify(user=alice, kind="test", title="一")
    notify(user=bob, kind="test", title="二")
    request = RequestFactory().get("/")
    request.user = alice

    context = navigation(request)

    assert context["unread_notifications"] == 1
    inbox = next(link for link in context["navigation"]["desk"] if link.url == "/notifications/")
    assert inbox.badge == 1


def test_the_context_processor_gives_visitors_no_count_and_no_desk():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    context = navigation(request)

    assert context["unread_notifications"] == 0
    assert context["navigation"]["desk"] == [] and context["navigation"]["groups"] == []
