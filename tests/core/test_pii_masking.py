"""ID numbers are masked by default (PIPL): on every page and export that shows a
person, in e-mails, in the history's notes and in every log line."""

import io
import logging

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from assessments.rosters import services as roster_services
from certificates.models import Certificate
from certificates.reports import services as certificate_services
from portal.core.audit import audit_record
from portal.core.masking import MaskIDNumbersFilter, mask_id, mask_id_numbers
from portal.core.models import AuditEvent
from supervision.complaints.services import (
    complaint_answer,
    complaint_email_confirm,
    complaint_take,
)
from supervision.models import ReminderDelivery
from supervision.reminders import delivery as reminders
from tests.assessments.factories import (
    PlanFactory,
    RosterEntryFactory,
    id_number,
    roster_xlsx,
    row_values,
)
from tests.assessments.schemes.factories import ExaminerFactory
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.certificates.factories import issued_batch
from tests.supervision.complaints.matrix_complaint import complaint_about

pytestmark = pytest.mark.django_db

NUMBER = id_number(7)


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def cells_of(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def only_masked(text: str, *numbers: str) -> None:
    for number in numbers:
        assert number not in text, number
        assert mask_id(number) in text, mask_id(number)


def test_mask_id_keeps_the_first_three_and_the_last_four():
    assert mask_id("44030519900101123X") == "440***********123X"
    assert mask_id("") == ""
    text = "证件号 44030519900101123x，证书 Y000044012345224000001，电话 13800138000"
    assert mask_id_numbers(text) == (
        "证件号 440***********123x，证书 Y000044012345224000001，电话 13800138000"
    )


def test_the_roster_pages_show_id_numbers_masked(client, alice, ent_a):
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    entry = RosterEntryFactory(plan=plan, id_number=NUMBER)
    client.force_login(alice)
    only_masked(text_of(client.get(reverse("roster_detail", args=[plan.pk]))), NUMBER)
    # The preview of a file lists the rows with problems, their ID numbers masked.
    bad = id_number(8)
    rows = [row_values(1, 证件号=bad, 联系电话="12345")]
    job = roster_services.roster_upload(
        plan=plan, actor=alice, data=roster_xlsx(rows), filename="a.xlsx"
    )
    only_masked(text_of(client.get(reverse("roster_job", args=[plan.pk, job.pk]))), bad)
    assert bad not in str(job.preview)  # nor kept in the import's stored preview
    only_masked(
        cells_of(client.get(reverse("roster_job_report", args=[plan.pk, job.pk])).content), bad
    )
    only_masked(cells_of(client.get(reverse("roster_export", args=[plan.pk])).content), NUMBER)
    assert entry.id_number == NUMBER


def test_the_score_pages_and_sheets_show_id_numbers_masked(client, alice, ent_a):
    plan = acknowledged_plan_with_roster(ent_a, size=2)
    numbers = [entry.id_number for entry in plan.roster.all()]
    client.force_login(alice)
    only_masked(text_of(client.get(reverse("score_grid", args=[plan.pk]))), *numbers)
    for name in ("score_template", "score_export"):
        only_masked(cells_of(client.get(reverse(name, args=[plan.pk])).content), *numbers)


def test_the_examiner_pages_show_id_numbers_masked(client, alice, carl, ent_a):
    examiner = ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    for user in (alice, carl):
        client.force_login(user)
        only_masked(text_of(client.get(reverse("examiner_list"))), NUMBER)
        only_masked(text_of(client.get(reverse("examiner_detail", args=[examiner.pk]))), NUMBER)
    client.force_login(alice)
    # The edit form never carries the stored number; left empty it keeps it.
    only_masked(text_of(client.get(reverse("examiner_edit", args=[examiner.pk]))), NUMBER)
    response = client.post(
        reverse("examiner_edit", args=[examiner.pk]),
        {
            "role": "examiner",
            "name": "新名字",
            "id_number": "",
            "phone": "13900139000",
            "qualification": "高级考评员",
            "certificate_number": examiner.certificate_number,
            "version": examiner.version,
        },
    )
    assert response.status_code == 302
    examiner.refresh_from_db()
    assert (examiner.name, examiner.id_number) == ("新名字", NUMBER)


def test_the_certificate_pages_and_reports_show_id_numbers_masked(client, alice, dora, ent_a):
    batch = issued_batch(ent_a, alice, "passed")
    certificate = Certificate.objects.get()
    number = certificate.id_number
    report = certificate_services.report_create(enterprise=ent_a, actor=alice)
    for user in (alice, dora):
        client.force_login(user)
        for url in (
            reverse("certificate_list"),
            reverse("certificate_detail", args=[certificate.pk]),
            reverse("issue_batch_detail", args=[batch.pk]),
        ):
            only_masked(text_of(client.get(url)), number)
        download = client.get(reverse("certificate_report_download", args=[report.pk]))
        only_masked(cells_of(download.content), number)
    client.force_login(alice)
    for name in ("certificate_revoke", "certificate_replace"):
        only_masked(text_of(client.get(reverse(name, args=[certificate.pk]))), number)
    # The holder's own certificate prints the full number (R-K3): the one exception.
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 200


def test_a_correction_left_without_a_number_keeps_the_printed_one(client, alice, ent_a):
    issued_batch(ent_a, alice, "passed")
    old = Certificate.objects.get()
    client.force_login(alice)
    page = text_of(client.get(reverse("certificate_replace", args=[old.pk])))
    assert old.id_number not in page
    client.post(
        reverse("certificate_replace", args=[old.pk]),
        {
            "kind": "correction",
            "reason": "姓名有误",
            "holder_name": "王更正",
            "id_type": old.id_type,
            "id_number": "",
            "work_type_name": "",
            "version": old.version,
        },
    )
    new = Certificate.objects.get(replaces=old)
    assert (new.holder_name, new.id_number) == ("王更正", old.id_number)


def test_e_mails_carry_only_masked_id_numbers(world, ent_a, dora, alice):
    complaint = complaint_about(ent_a, email="wang@example.com")
    complaint = complaint_email_confirm(complaint=complaint)
    complaint_take(complaint=complaint, actor=dora)
    with TestCase.captureOnCommitCallbacks(execute=True):
        complaint_answer(
            complaint=complaint,
            actor=dora,
            answer=f"经核查，证件号 {NUMBER} 的考生成绩已取消。",
            substantiated=True,
        )
    body = mail.outbox[-1].body
    only_masked(body, NUMBER)
    delivery = ReminderDelivery.objects.create(
        kind="test",
        subject_key="pii",
        recipient=alice,
        channel="email",
        title=f"请核对 {NUMBER}",
        body=f"考生 {NUMBER} 的照片缺失。",
    )
    message = reminders._email(delivery, "alice@example.com")
    only_masked(message.body + message.subject, NUMBER)
    assert NUMBER not in message.alternatives[0][0]


def test_history_notes_keep_an_id_number_typed_there_masked(ent_a, alice):
    audit_record(obj=ent_a, actor=alice, action="test", note=f"撤销：{NUMBER} 冒名顶替")
    only_masked(AuditEvent.objects.get(action="test").note, NUMBER)


def test_every_log_line_is_masked_by_the_root_handler():
    root = logging.getLogger()
    handlers = [
        h for h in root.handlers if any(isinstance(f, MaskIDNumbersFilter) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING puts MaskIDNumbersFilter on the root handler"
    handler = handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logger = logging.getLogger("portal.test_pii")
        logger.warning("import of %s failed", NUMBER)
        logger.warning("plain message with %s inside", f"证件号{NUMBER}")
        try:
            raise ValueError(f"bad number {NUMBER}")
        except ValueError:
            logger.exception("failed for %s", "someone")
        logging.getLogger("django.request").error("Bad request: /x/?id=%s", NUMBER)
    finally:
        handler.setStream(previous)
    output = stream.getvalue()
    assert output.count(mask_id(NUMBER)) == 4
    assert NUMBER not in output
    assert "ValueError: bad number" in output  # the traceback is still there, masked


def test_a_celery_worker_s_log_handlers_get_the_mask_too():
    from portal.celery import _mask_id_numbers_in_worker_logs

    stream = io.StringIO()
    logger = logging.getLogger("celery.test_pii")
    logger.propagate = False
    logger.addHandler(logging.StreamHandler(stream))
    try:
        _mask_id_numbers_in_worker_logs(logger=logger)  # as Celery's after_setup_logger does
        logger.warning("task for %s", NUMBER)
    finally:
        logger.handlers.clear()
    assert mask_id(NUMBER) in stream.getvalue() and NUMBER not in stream.getvalue()
