"""The complainant's e-mail address (R-M5): the public form takes any address, so nothing about
the complaint is mailed until the address is confirmed by a link sent to it. The link's e-mail
carries no text the form's user typed, and each address gets few of them a day."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from portal.core.models import AuditEvent
from supervision.complaints.services import complaint_answer, complaint_take
from supervision.models import Complaint
from tests.supervision.complaints.matrix_complaint import TODAY, public_form
from tests.support.factories import make_member

TYPED_NAME = "恭喜中奖请点击 http://phish.example 领取"
VICTIM = "victim@example.com"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def mails():
    return mail.outbox


@pytest.fixture(autouse=True)
def _mail_after_commit(monkeypatch):
    """Each test runs in one transaction: mails are sent when they would be, after the commit."""
    monkeypatch.setattr(
        "supervision.complaints.services.transaction.on_commit", lambda send, **kwargs: send()
    )


def file_complaint(client: Client, world, email: str = VICTIM, **overrides):
    """A complaint about an institution outside the directory, named by whoever types it."""
    data = public_form(
        "other",
        enterprise_name=TYPED_NAME,
        city=str(world["city"].pk),
        contact_name="客服专员",
        subject="您的账户存在异常",
        contact_email=email,
        **overrides,
    )
    return client.post(reverse("complaint_create"), data)


def confirm_link(message) -> str:
    match = re.search(r"https?://\S+/complaints/confirm-email/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def test_r_m5_an_unconfirmed_address_gets_only_a_link_with_no_typed_text(client, world, mails):
    assert file_complaint(client, world).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.bureau == world["city"]  # stored and routed at once
    assert complaint.contact_email_confirmed_at is None
    (message,) = mails
    assert message.to == [VICTIM]
    sent = message.subject + message.body
    for typed in (TYPED_NAME, "phish.example", "客服专员", "您的账户存在异常", "替考"):
        assert typed not in sent
    assert "确认" in message.subject
    assert "/complaints/confirm-email/" in message.body


def test_r_m5_the_confirmation_page_says_a_link_was_sent(client, world):
    response = file_complaint(client, world)
    page = client.get(response["Location"]).text
    assert "v***@example.com" in page
    assert "确认链接" in page


def test_r_m5_confirming_the_address_sends_the_receipt(client, world, mails):
    file_complaint(client, world)
    complaint = Complaint.objects.get()
    link = confirm_link(mails[0])
    # Opening the link (a mail scanner does) confirms nothing: the holder of the address presses
    # the button.
    page = client.get(link)
    assert page.status_code == 200 and "确认" in page.text
    assert len(mails) == 1
    complaint.refresh_from_db()
    assert complaint.contact_email_confirmed_at is None
    response = client.post(link)
    assert response.status_code == 200
    assert "已确认" in response.text
    complaint.refresh_from_db()
    assert complaint.contact_email_confirmed_at is not None
    receipt = mails[1]
    assert receipt.to == [VICTIM]
    assert complaint.reference in receipt.subject and complaint.reference in receipt.body
    assert AuditEvent.objects.filter(
        object_id=complaint.pk, action="complaint_email_confirmed"
    ).exists()
    # Pressing again sends nothing more.
    client.post(link)
    assert len(mails) == 2


def test_r_m5_the_answer_is_mailed_only_to_a_confirmed_address(client, world, mails):
    carl = make_member("carl", "city", bureau=world["city"])
    file_complaint(client, world)
    complaint = Complaint.objects.get()
    complaint = complaint_take(complaint=complaint, actor=carl)
    complaint_answer(
        complaint=complaint, actor=carl, answer="经核查，未发现问题。", substantiated=False
    )
    assert [message.subject for message in mails if "答复" in message.subject] == []


def test_r_m5_confirmation_mails_are_limited_per_address(client, world, mails, settings):
    settings.COMPLAINT_EMAIL_CONFIRMATIONS = "2/86400"
    for index, email in enumerate([VICTIM, "Victim@Example.com", VICTIM]):
        response = file_complaint(Client(REMOTE_ADDR=f"10.2.0.{index + 1}"), world, email=email)
        assert response.status_code == 302
    assert Complaint.objects.count() == 3  # every complaint is stored all the same
    assert len(mails) == 2
    other = file_complaint(Client(REMOTE_ADDR="10.2.0.9"), world, email="other@example.com")
    assert other.status_code == 302 and len(mails) == 3


def test_r_m5_the_received_page_says_when_no_link_was_sent(client, world, settings):
    settings.COMPLAINT_EMAIL_CONFIRMATIONS = "1/86400"
    file_complaint(Client(REMOTE_ADDR="10.2.1.1"), world)
    response = file_complaint(client, world)
    page = client.get(response["Location"]).text
    assert "未发送确认邮件" in page


@pytest.mark.parametrize("damage", ["forged", "expired"])
def test_r_m5_a_forged_or_expired_link_confirms_nothing(client, world, mails, damage, settings):
    file_complaint(client, world)
    link = confirm_link(mails[0])
    if damage == "forged":
        link = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    else:
        settings.COMPLAINT_EMAIL_CONFIRM_DAYS = 0
    response = client.post(link)
    assert response.status_code == 404
    assert "链接无效或已过期" in response.text
    assert Complaint.objects.get().contact_email_confirmed_at is None
    assert len(mails) == 1


def test_r_m5_the_link_is_bound_to_the_address_it_was_sent_to(client, world, mails):
    file_complaint(client, world)
    link = confirm_link(mails[0])
    Complaint.objects.update(contact_email="someone.else@example.com")
    assert client.post(link).status_code == 404


def test_r_m5_the_link_names_no_personal_data(client, world, mails):
    file_complaint(client, world)
    token = confirm_link(mails[0]).rstrip("/").rsplit("/", 1)[1]
    payload = signing.b64_decode(token.split(":")[0].encode()).decode(errors="replace")
    assert "victim" not in payload and "example" not in payload


def test_r_m5_the_bureau_sees_whether_the_address_is_confirmed(client, world, mails):
    carl = make_member("carl", "city", bureau=world["city"])
    file_complaint(Client(), world)
    complaint = Complaint.objects.get()
    client.force_login(carl)
    detail = reverse("complaint_detail", args=[complaint.pk])
    assert "投诉人未确认该邮箱" in client.get(detail).text
    (to_complainant,) = [message for message in mails if message.to == [VICTIM]]
    Client().post(confirm_link(to_complainant))
    assert "投诉人未确认该邮箱" not in client.get(detail).text
