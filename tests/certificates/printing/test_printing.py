"""R-K3 printing and the batch PDF's resumable parts (in-process; the real worker is in
test_batch_worker.py)."""

import datetime as dt
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.utils import timezone

from certificates.issuance import services, tasks
from certificates.models import BatchPart, Certificate, IssueStatus
from certificates.printing import documents as printing
from certificates.printing import stamping
from certificates.printing.services import holder_pdf
from certificates.revocation.services import certificate_replace, certificate_revoke
from portal.core.models import BackgroundJob
from tests.certificates.factories import approved_batch, issued_batch, prefix_for
from tests.support.pdfs import pdf_pages, pdf_text, stored_pdf_pages

pytestmark = pytest.mark.django_db


def test_r_k3_long_values_wrap_inside_the_values_column():
    lines = printing.wrap("化工总控工（含石油化工生产、煤化工生产、精细化工生产）及其他")
    assert len(lines) == 2
    assert all(
        sum(printing._width(c) for c in line) <= printing.VALUE_COLUMN_EMS + 1 for line in lines
    )
    # A closing bracket or comma never starts a line.
    assert not any(line[0] in "）、，" for line in lines[1:])


def test_r_k3_a_certificate_without_work_type_prints_two_dashes(ent_a, alice):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    assert certificate.work_type_name == ""
    fields = printing.printed(certificate).fields
    assert "工种\t--" in fields


def test_r_k3_the_printed_issuer_is_the_name_at_issue_even_after_a_rename(ent_a, alice):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    filed_name = ent_a.name
    ent_a.name = "南山精密机械集团有限公司"
    ent_a.save()
    certificate.refresh_from_db()
    text = pdf_text(holder_pdf(certificate))
    assert filed_name in text and "集团" not in text


def _issue_without_printing(enterprise, actor, count: int):
    """Issue a batch but keep the worker's part out of it, as if the broker lost the message."""
    prefix_for(enterprise)
    batch = approved_batch(enterprise, *(["passed"] * count))
    issued = services.issue_certificates(
        result_batch=batch, actor=actor, issued_on=dt.date(2026, 11, 20)
    )  # on_commit never runs inside the test transaction: nothing printed yet
    return issued


def test_a_batch_prints_in_parts_of_part_size(ent_a, alice, monkeypatch):
    monkeypatch.setattr(services, "PART_SIZE", 2)
    batch = _issue_without_printing(ent_a, alice, 5)
    assert list(batch.parts.values_list("index", "size")) == [(0, 2), (1, 2), (2, 1)]
    with TestCase.captureOnCommitCallbacks(execute=True):  # the parts go out at commit
        tasks.print_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == IssueStatus.READY and batch.pages == 5
    holders = list(batch.certificates.order_by("position").values_list("holder_name", flat=True))
    pages = stored_pdf_pages(batch.pdf.name)
    assert [next(h for h in holders if h in page) for page in pages] == holders
    job = BackgroundJob.objects.get(pk=batch.job_id)
    assert (job.status, job.done, job.total) == ("done", 5, 5)


def test_printing_twice_renders_nothing_twice_and_keeps_one_pdf(ent_a, alice, monkeypatch):
    monkeypatch.setattr(services, "PART_SIZE", 2)
    batch = _issue_without_printing(ent_a, alice, 3)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.print_batch(batch.pk)
    batch.refresh_from_db()
    first_pdf = batch.pdf.name
    rendered = list(batch.parts.values_list("rendered_at", flat=True))
    assert tasks.print_batch(batch.pk) == 0
    assert services.part_render(part_id=batch.parts.first().pk).batch_id is None
    batch.refresh_from_db()
    assert batch.pdf.name == first_pdf
    assert list(batch.parts.values_list("rendered_at", flat=True)) == rendered


def test_a_part_claimed_by_a_live_task_is_left_alone_and_retried_later(ent_a, alice, monkeypatch):
    monkeypatch.setattr(services, "PART_SIZE", 2)
    batch = _issue_without_printing(ent_a, alice, 3)
    first, second = batch.parts.order_by("index")
    BatchPart.objects.filter(pk=first.pk).update(claimed_at=timezone.now())
    assert services.parts_to_render(batch_id=batch.pk) == [second.pk]
    outcome = services.part_render(part_id=first.pk)
    assert outcome.busy_for is not None and 1 <= outcome.busy_for <= 61
    first.refresh_from_db()
    assert not first.pdf


def test_a_claim_gone_stale_with_its_worker_is_taken_over(ent_a, alice, monkeypatch, settings):
    monkeypatch.setattr(services, "PART_SIZE", 2)
    batch = _issue_without_printing(ent_a, alice, 3)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CERTIFICATE_PART_CLAIM_SECONDS + 5)
    batch.parts.update(claimed_at=long_ago)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.resume_batches() == 1
    batch.refresh_from_db()
    assert batch.status == IssueStatus.READY and batch.pages == 3


def test_a_certificate_replaced_before_printing_is_printed_in_its_new_form(ent_a, alice):
    batch = _issue_without_printing(ent_a, alice, 2)
    old = batch.certificates.order_by("position").first()
    new = certificate_replace(
        certificate=old,
        actor=alice,
        kind="correction",
        reason="姓名录入错误。",
        corrections={"holder_name": "王更正"},
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.print_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.pages == 2
    assert Certificate.objects.filter(batch=batch).count() == 3
    first_page = stored_pdf_pages(batch.pdf.name)[0]
    assert new.number in first_page and "王更正" in first_page
    assert old.number not in first_page


def test_a_certificate_revoked_before_printing_is_not_printed(ent_a, alice, monkeypatch):
    monkeypatch.setattr(services, "PART_SIZE", 2)
    batch = _issue_without_printing(ent_a, alice, 3)
    first, second, third = batch.certificates.order_by("position")
    for certificate in (first, second):
        certificate_revoke(certificate=certificate, actor=alice, reason="替考")
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.print_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == IssueStatus.READY and batch.pages == 1
    (page,) = stored_pdf_pages(batch.pdf.name)
    assert third.holder_name in page and first.holder_name not in page


def _chars(pdf: bytes) -> list[str]:
    return sorted("".join(pdf_text(pdf).split()))


def test_r_k3_the_stamped_page_carries_the_same_text_as_the_reference_layout(ent_a, alice):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    certificate.holder_name = "欧阳娜娜木克拉尔·阿不都热依木"
    certificate.occupation_name = "化工总控工（含石油化工生产、煤化工生产）"
    certificate.work_type_name = "精细化工生产"
    assert _chars(printing.certificates_pdf([certificate])) == _chars(
        printing.certificates_pdf_reference([certificate])
    )


def test_r_k3_a_name_with_a_character_the_font_lacks_is_laid_out_in_full(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed", "passed", "passed")
    first, rare, last = batch.certificates.order_by("position")
    rare.holder_name = "王\U0002a6a5"  # CJK extension B, not in WenQuanYi Micro Hei
    fm = stamping.metrics()
    assert not fm.covers(rare.holder_name)
    pdf = printing.certificates_pdf([first, rare, last])
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    assert first.number in pages[0] and rare.number in pages[1] and last.number in pages[2]


def test_r_k3_the_holders_photo_is_printed(ent_a, alice, tmp_path):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    batch = issued_batch(ent_a, alice, "passed", "passed")
    jpeg, png = BytesIO(), BytesIO()
    Image.new("RGB", (300, 400), (180, 200, 220)).save(jpeg, "JPEG")
    Image.new("RGB", (300, 400), (220, 200, 180)).save(png, "PNG")
    with_jpeg, with_png = batch.certificates.order_by("position")
    with_jpeg.photo = default_storage.save("photos/a.jpg", ContentFile(jpeg.getvalue()))
    with_png.photo = default_storage.save("photos/b.png", ContentFile(png.getvalue()))
    (tmp_path / "c.pdf").write_bytes(printing.certificates_pdf([with_jpeg, with_png]))
    listing = (
        subprocess.run(
            ["pdfimages", "-list", str(tmp_path / "c.pdf")], capture_output=True, check=True
        )
        .stdout.decode()
        .splitlines()[2:]
    )
    kinds = sorted((line.split()[0], line.split()[8]) for line in listing)  # page, encoding
    assert kinds == [("1", "jpeg"), ("2", "image")]


def test_r_k3_a_cff_font_is_printed_by_the_reference_layout(ent_a, alice, monkeypatch):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    monkeypatch.setattr(stamping.metrics(), "truetype", False)
    calls = []
    original = printing.certificates_pdf_reference
    monkeypatch.setattr(
        printing,
        "certificates_pdf_reference",
        lambda certificates: calls.append(list(certificates)) or original(certificates),
    )
    pdf = printing.certificates_pdf([certificate])
    assert calls == [[certificate]]
    assert certificate.number in pdf_text(pdf)
