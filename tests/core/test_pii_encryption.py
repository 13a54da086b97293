"""ID numbers encrypted at rest (PIPL): what someone reading the database or the disk
finds, and that every check that compares people still works through the keyed digest. Every
test runs under both ciphers: AES-256-GCM with HMAC-SHA256, and 国密 SM4-GCM with HMAC-SM3
(ID_CIPHER=sm4, GB/T 39786)."""

import base64
import importlib
import io

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from assessments.models import Examiner, RosterEntry
from assessments.rosters import services as roster_services
from certificates.models import Certificate, CertificateReport
from certificates.reports import services as certificate_services
from certificates.verification.lookup import VALID, holder_certificate, verify
from portal.core.crypto import (
    PREFIX,
    SM4_PREFIX,
    current_form,
    current_key_id,
    id_digest,
    is_sealed,
    key_id,
    new_key,
    reencrypt_rows,
)
from portal.core.masking import mask_id, mask_id_public
from portal.core.models import BackgroundJob
from tests.assessments.factories import PlanFactory, RosterEntryFactory, id_number, roster_xlsx
from tests.assessments.results.factories import acknowledged_plan
from tests.assessments.schemes.factories import ExaminerFactory
from tests.certificates.factories import issued_batch

pytestmark = pytest.mark.django_db

NUMBER = id_number(7)


@pytest.fixture(autouse=True, params=["aes", "sm4"])
def cipher(request, settings) -> str:
    settings.ID_CIPHER = request.param
    return request.param


def marked(cipher: str) -> str:
    return SM4_PREFIX if cipher == "sm4" else PREFIX


def raw_column(table: str, column: str = "id_number") -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608 (fixed names)
        return [value for (value,) in cursor.fetchall()]


def test_id_numbers_are_encrypted_at_rest_in_every_table(ent_a, alice, cipher):
    ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    RosterEntryFactory(plan=PlanFactory(enterprise=ent_a), id_number=NUMBER)
    issued_batch(ent_a, alice, "passed")
    certificate = Certificate.objects.get()
    for table in ("assessments_examiner", "assessments_rosterentry", "certificates_certificate"):
        stored = raw_column(table)
        assert stored, table
        for value in stored:
            assert value.startswith(marked(cipher)), (table, value)
            assert NUMBER not in value and certificate.id_number not in value
    # The same number twice gives two different ciphertexts: equality cannot be read off.
    assert len(set(raw_column("assessments_rosterentry"))) == len(
        raw_column("assessments_rosterentry")
    )
    # Python code reads the number; the digest column holds the keyed hash, not the number.
    assert Examiner.objects.get().id_number == NUMBER
    assert raw_column("assessments_examiner", "id_hash") == [id_digest(NUMBER)]


def test_filtering_on_the_number_is_refused_naming_the_digest(ent_a):
    ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    with pytest.raises(FieldError, match="id_digest"):
        list(Examiner.objects.filter(id_number=NUMBER))
    assert Examiner.objects.filter(id_hash=id_digest(NUMBER.lower())).count() == 1


def test_an_imported_roster_is_stored_encrypted_and_its_upload_sealed_on_disk(ent_a, alice, cipher):
    # SQLite takes bulk_create, PostgreSQL the COPY fast path: both must encrypt (CI: both).
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    data = roster_xlsx(3)
    job = roster_services.roster_upload(plan=plan, actor=alice, data=data, filename="名册.xlsx")
    with job.file.open("rb") as stored:
        on_disk = stored.read()
    assert is_sealed(on_disk) and id_number(1).encode() not in on_disk
    assert roster_services.roster_import_data(job) == data
    roster_services.roster_import(plan=plan, actor=alice, data=data, filename="名册.xlsx")
    stored = raw_column("assessments_rosterentry")
    assert len(stored) == 3 and all(value.startswith(marked(cipher)) for value in stored)
    assert {e.id_number for e in plan.roster.all()} == {id_number(n) for n in (1, 2, 3)}
    assert set(raw_column("assessments_rosterentry", "id_hash")) == {
        id_digest(id_number(n)) for n in (1, 2, 3)
    }


def test_the_same_person_twice_in_a_plan_is_refused_by_the_database(ent_a):
    plan = PlanFactory(enterprise=ent_a)
    RosterEntryFactory(plan=plan, id_number=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterEntryFactory(plan=plan, id_number=NUMBER.lower())  # same person, x typed lower


def test_the_same_person_twice_in_a_role_is_refused_by_the_database(ent_a):
    ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExaminerFactory(enterprise=ent_a, id_number=NUMBER)


def test_r_p5a_another_plan_of_the_year_is_still_found_through_the_digest(ent_a, alice):
    first = acknowledged_plan(ent_a)
    RosterEntryFactory(plan=first, id_number=id_number(1), level=4)
    second = PlanFactory(enterprise=ent_a, scheme=first.scheme, levels=[5, 4])
    parsed = roster_services.roster_check(plan=second, data=roster_xlsx(2))
    reasons = [p.message for row in parsed.rows for p in row.problems if p.rule == "R-P5a"]
    assert len(reasons) == 1 and first.title in reasons[0]
    assert parsed.rows[0].problems and not parsed.rows[1].problems


def test_r_k5_verification_and_the_holder_download_still_work(ent_a, alice):
    issued_batch(ent_a, alice, "passed")
    certificate = Certificate.objects.get()
    answer = verify(certificate.number, certificate.holder_name)
    assert answer.result == VALID and answer.id_number == mask_id_public(certificate.id_number)
    found = holder_certificate(certificate.number, certificate.holder_name, certificate.id_number)
    assert found == certificate
    last = certificate.id_number[-1]
    wrong = certificate.id_number[:-1] + ("1" if last == "0" else "0")
    assert holder_certificate(certificate.number, certificate.holder_name, wrong) is None


def test_legacy_plaintext_rows_are_encrypted_by_the_data_migration_step(ent_a, cipher):
    entry = RosterEntryFactory(plan=PlanFactory(enterprise=ent_a), id_number=NUMBER)
    with connection.cursor() as cursor:  # a row as it was before the migration
        cursor.execute(
            "UPDATE assessments_rosterentry SET id_number = %s, id_hash = '' WHERE id = %s",
            [NUMBER, entry.pk],
        )
    assert RosterEntry.objects.get().id_number == NUMBER  # plaintext passes through
    assert reencrypt_rows(RosterEntry) == 1
    assert raw_column("assessments_rosterentry")[0].startswith(marked(cipher))
    assert raw_column("assessments_rosterentry", "id_hash") == [id_digest(NUMBER)]


def test_reencrypt_ids_rotates_rows_and_sealed_files_to_the_first_key(ent_a, alice, settings):
    old, new = settings.ID_ENCRYPTION_KEYS[0], new_key()
    ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    issued_batch(ent_a, alice, "passed")
    report = certificate_services.report_create(enterprise=ent_a, actor=alice)
    full = certificate_services.report_file_full(report=report)
    new_id = key_id(base64.urlsafe_b64decode(new + "=" * (-len(new) % 4)))
    with override_settings(ID_ENCRYPTION_KEYS=[new, old]):
        assert current_key_id() == new_id
        call_command("reencrypt_ids", stdout=io.StringIO())
    with override_settings(ID_ENCRYPTION_KEYS=[new]):  # the old key is gone
        for table in ("assessments_examiner", "certificates_certificate"):
            assert all(v.startswith(f"{current_form()}:") for v in raw_column(table)), table
            assert current_form().endswith(new_id)
        assert Examiner.objects.get().id_number == NUMBER
        assert Certificate.objects.get().id_number
        report = CertificateReport.objects.get()
        assert certificate_services.report_file_full(report=report) == full
    with report.file.open("rb") as stored:
        assert is_sealed(stored.read())


def test_a_job_of_another_kind_keeps_its_file_as_it_is(ent_a, alice):
    job = BackgroundJob.objects.create(kind="other", created_by=alice, params={})
    job.file.save("other.txt", ContentFile(b"plain"), save=True)
    call_command("reencrypt_ids", stdout=io.StringIO())
    job.refresh_from_db()
    with job.file.open("rb") as stored:
        assert stored.read() == b"plain"


def test_previews_stored_before_the_change_are_masked_by_the_migration(alice):
    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0006_id_numbers_encrypt_rows")
    job = BackgroundJob.objects.create(
        kind="roster_import",
        created_by=alice,
        params={},
        result={"phase": "checked", "bad_rows": [[4, "张三", NUMBER, [["联系电话", "x", ""]]]]},
    )
    migration.mask_previews(apps, None)
    job.refresh_from_db()
    assert job.result["bad_rows"] == [[4, "张三", mask_id(NUMBER), [["联系电话", "x", ""]]]]


@pytest.mark.parametrize("cipher", ["aes"], indirect=True)
def test_reencrypt_ids_moves_a_database_to_sm4_and_back(ent_a, alice, settings):
    ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    issued_batch(ent_a, alice, "passed")
    certificate = Certificate.objects.get()
    report = certificate_services.report_create(enterprise=ent_a, actor=alice)
    full = certificate_services.report_file_full(report=report)
    aes_digest = id_digest(NUMBER)

    for target, prefix in (("sm4", SM4_PREFIX), ("aes", PREFIX)):
        settings.ID_CIPHER = target
        call_command("reencrypt_ids", stdout=io.StringIO())

        for table in ("assessments_examiner", "certificates_certificate"):
            assert all(value.startswith(prefix) for value in raw_column(table)), (target, table)
        # The look-up hash is the cipher's own: HMAC-SM3 under sm4, HMAC-SHA256 under aes.
        assert raw_column("assessments_examiner", "id_hash") == [id_digest(NUMBER)]
        assert (id_digest(NUMBER) == aes_digest) == (target == "aes")
        assert Examiner.objects.filter(id_hash=id_digest(NUMBER)).get().id_number == NUMBER
        assert verify(certificate.number, certificate.holder_name).result == VALID
        report = CertificateReport.objects.get()
        with report.file.open("rb") as stored:
            assert stored.read().startswith(
                b"PORTAL-SM4GCM-1\n" if target == "sm4" else b"PORTAL-SEALED-1\n"
            )
        assert certificate_services.report_file_full(report=report) == full


@pytest.mark.parametrize("cipher", ["sm4"], indirect=True)
def test_sm4_values_are_refused_when_altered(ent_a):
    ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    stored = raw_column("assessments_examiner")[0]
    body = stored[len(current_form()) + 1 :]
    altered = stored[: len(stored) - len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assessments_examiner SET id_number = %s", [altered])
    with pytest.raises(InvalidTag):
        Examiner.objects.get()
