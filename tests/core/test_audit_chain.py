"""The audit trail an inspector can trust (GB/T 22239-2019 8.1.4.3): each row is chained to the
previous one by a keyed hash, `manage.py verify_audit` names the first changed, inserted or
deleted row, logins and refusals are recorded with the client's address and outcome, and
nothing deletes a row younger than AUDIT_RETENTION_DAYS."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from portal.core import audit_chain
from portal.core.audit import audit_record
from portal.core.models import AuditChainHead, AuditEvent
from portal.core.tasks import seal_audit_chain
from tests.support.factories import complete_filing

PASSWORD = "pass-Word-123"
OFFICE = "192.0.2.10"


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(ent_a, alice) -> list[AuditEvent]:
    """Five events on an enterprise, sealed into the chain."""
    events = [
        audit_record(obj=ent_a, actor=alice, action="edit", note=f"第{n}次修改")
        for n in range(1, 6)
    ]
    audit_chain.seal_all()
    return [AuditEvent.objects.get(pk=event.pk) for event in events]


def _raw(sql: str, *params) -> None:
    # As someone with database access would: past the model and its guards.
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%table", AuditEvent._meta.db_table), params)


def test_an_intact_trail_verifies(trail):
    assert "审计日志完整：已核对 5 条，0 条等待封存" in verify()
    assert [event.seq for event in trail] == [1, 2, 3, 4, 5]


def test_a_row_changed_in_the_database_is_named(trail):
    _raw("UPDATE %table SET note = %s WHERE id = %s", "改过的理由", trail[2].pk)

    with pytest.raises(CommandError) as refused:
        verify()
    assert f"第 3 位、编号 {trail[2].pk} 的记录与封存时不一致" in str(refused.value)


@pytest.mark.parametrize("field", ["actor_id", "at", "action", "address", "outcome"])
def test_every_recorded_fact_is_covered_by_the_chain(trail, bob, field):
    value = {
        "actor_id": bob.pk,
        "at": timezone.now() - dt.timedelta(days=3),
        "action": "approve",
        "address": "203.0.113.9",
        "outcome": "refused",
    }[field]
    _raw(f"UPDATE %table SET {field} = %s WHERE id = %s", value, trail[1].pk)

    assert not audit_chain.verify_chain().intact


def test_a_deleted_row_is_named_by_its_place(trail):
    _raw("DELETE FROM %table WHERE id = %s", trail[1].pk)

    with pytest.raises(CommandError) as refused:
        verify()
    assert f"第 2 位的记录缺失（已被删除），位于编号 {trail[2].pk} 的记录之前" in str(refused.value)


def test_deleting_the_newest_rows_is_found(trail):
    _raw("DELETE FROM %table WHERE id IN (%s, %s)", trail[3].pk, trail[4].pk)

    report = audit_chain.verify_chain()
    assert not report.intact
    assert "止于第 3 位，但已封存至第 5 位" in report.breaks[0]


def test_a_row_put_into_the_trail_is_found(trail, ent_a):
    # Make room at place 6 after the last row and forge a row there, hash and all.
    _raw("UPDATE %table SET seq = 7 WHERE id = %s", trail[4].pk)
    forged = AuditEvent.objects.create(
        content_type=trail[0].content_type, object_id=ent_a.pk, action="approve"
    )
    _raw("UPDATE %table SET seq = 5, chain_hash = %s WHERE id = %s", "0" * 64, forged.pk)

    report = audit_chain.verify_chain()
    assert not report.intact
    assert str(forged.pk) in report.breaks[0]


def test_a_head_noted_elsewhere_catches_a_trail_wound_back(trail):
    head = AuditChainHead.objects.get()
    noted = f"{head.last_seq}:{head.last_hash}"
    _raw("DELETE FROM %table WHERE id = %s", trail[4].pk)
    # Wound back to place 4 consistently: the head in the database alone no longer tells.
    AuditChainHead.objects.update(last_seq=4, last_hash=trail[3].chain_hash)
    assert audit_chain.verify_chain().intact

    with pytest.raises(CommandError):
        verify("--head", noted)


@pytest.mark.django_db(transaction=True)
def test_rows_are_sealed_when_their_change_commits(ent_a, alice):
    audit_record(obj=ent_a, actor=alice, action="edit")
    audit_record(obj=ent_a, actor=alice, action="edit")

    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert AuditChainHead.objects.get().last_seq == AuditEvent.objects.count()


def test_beat_seals_rows_a_crashed_process_left(ent_a, alice):
    audit_record(obj=ent_a, actor=alice, action="edit")
    assert AuditEvent.objects.filter(seq__isnull=True).exists()

    assert seal_audit_chain() >= 1

    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert audit_chain.verify_chain().intact


def test_rows_younger_than_the_retention_are_never_deleted(trail):
    with pytest.raises(ProtectedError):
        AuditEvent.objects.filter(pk=trail[0].pk).delete()
    assert AuditEvent.objects.filter(pk=trail[0].pk).exists()


def test_rows_older_than_the_retention_may_be_deleted(ent_a, alice, settings):
    event = audit_record(obj=ent_a, actor=alice, action="edit")
    AuditEvent.objects.filter(pk=event.pk).update(
        at=timezone.now() - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS + 1)
    )

    AuditEvent.objects.filter(pk=event.pk).delete()

    assert not AuditEvent.objects.filter(pk=event.pk).exists()


# What is recorded ----------------------------------------------------------------------------


def _login(client, username: str, password: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=OFFICE
    )


def test_a_login_and_a_logout_are_recorded_with_the_address(client, dora):
    dora.set_password(PASSWORD)
    dora.save()

    _login(client, "dora", PASSWORD)
    client.post(reverse("logout"), REMOTE_ADDR=OFFICE)

    login, logout = AuditEvent.objects.filter(actor=dora).order_by("id")
    assert (login.action, login.address, login.outcome) == ("login", OFFICE, "done")
    assert (logout.action, logout.address) == ("logout", OFFICE)


def test_a_failed_login_is_recorded_with_the_name_tried(client, dora):
    _login(client, "dora", "wrong-Guess-1")
    _login(client, "nobody-here", "wrong-Guess-1")

    known, unknown = AuditEvent.objects.filter(action="login_failed").order_by("id")
    assert (known.target, known.outcome, known.address) == (dora, "failed", OFFICE)
    assert (unknown.target, unknown.note) == (None, "nobody-here")


def test_a_lockout_is_recorded(client, dora, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dora", "wrong-Guess-1")

    locked = AuditEvent.objects.get(action="login_locked")
    assert (locked.target, locked.outcome, locked.address) == (dora, "refused", OFFICE)


def test_a_refused_action_is_recorded_with_the_page_and_the_reason(client, ent_a, alice):
    filing = complete_filing(ent_a, uploaded_by=alice)
    filing.materials.all().delete()
    client.force_login(alice)

    client.post(reverse("filing_submit", args=[filing.pk]), REMOTE_ADDR=OFFICE)

    refused = AuditEvent.objects.get(action="action_refused")
    assert refused.actor == alice
    assert refused.outcome == "refused"
    assert refused.address == OFFICE
    assert f"/filings/{filing.pk}/submit/" in refused.note


# The city's audit trail page ------------------------------------------------------------------


@pytest.fixture
def logins(client, dora, olga, world):
    """dora (this city) failed once and logged in; olga (another city) logged in."""
    for user in (dora, olga):
        user.set_password(PASSWORD)
        user.save()
    _login(client, "dora", "wrong-Guess-1")
    _login(client, "dora", PASSWORD)
    client.logout()
    _login(client, "olga", PASSWORD)
    client.logout()


def _rows(page: str) -> list[str]:
    import re

    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_the_city_admin_sees_the_logins_of_the_citys_people_only(client, carl, logins):
    client.force_login(carl)

    rows = _rows(client.get(reverse("audit_trail")).content.decode())

    assert any("dora" in row and "登录失败" in row and OFFICE in row for row in rows)
    assert any("dora" in row and "登录" in row and "成功" in row for row in rows)
    assert not any("olga" in row for row in rows)


def test_the_audit_trail_filters_by_outcome(client, carl, logins):
    client.force_login(carl)

    rows = _rows(client.get(reverse("audit_trail"), {"outcome": "failed"}).content.decode())

    assert rows and all("登录失败" in row for row in rows)


def test_a_reversed_period_is_refused_with_the_field_named(client, carl, logins):
    client.force_login(carl)

    page = client.get(
        reverse("audit_trail"), {"start": "2026-12-07", "end": "2026-12-01"}
    ).content.decode()

    assert "截止日期早于起始日期" in page
    assert 'value="2026-12-07"' in page


def test_the_export_is_an_excel_file_of_the_same_rows_and_is_audited(client, carl, logins):
    from openpyxl import load_workbook

    client.force_login(carl)

    response = client.get(reverse("audit_trail_export"), {"outcome": "failed"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[:6] == ["时间", "用户", "姓名", "地址", "操作", "结果"]
    assert [(row[3], row[4], row[5], row[6]) for row in rows] == [
        (OFFICE, "登录失败", "失败", "dora")
    ]
    exported = AuditEvent.objects.get(action="file_sent")
    assert exported.actor == carl
    assert "outcome=failed" in exported.note and "审计日志" in exported.note


def test_a_document_downloaded_by_staff_is_recorded(client, ent_a, alice, dora):
    filing = complete_filing(ent_a, uploaded_by=alice)
    material = filing.materials.first()
    client.force_login(alice)

    client.get(reverse("material_download", args=[filing.pk, material.pk]), REMOTE_ADDR=OFFICE)

    sent = AuditEvent.objects.get(action="file_sent")
    assert (sent.actor, sent.address) == (alice, OFFICE)
    assert material.original_name in sent.note
