"""Backup and restore (issue 18): `manage.py backup --out DIR` writes the rows, the files and a
manifest with checksums, never the keys; `manage.py restore DIR` into an empty database gives
back every certificate verifying, every ID number decrypting, every file and the audit chain
intact — and refuses a damaged backup, a database in use, or keys that cannot read it."""

import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from assessments.models import Examiner
from certificates.models import Certificate, CertificateReport
from certificates.reports import services as report_services
from certificates.verification.lookup import VALID, verify
from portal.core import audit_chain
from portal.core.crypto import id_digest, new_key
from portal.core.models import AuditEvent
from tests.assessments.factories import id_number
from tests.assessments.schemes.factories import ExaminerFactory
from tests.certificates.factories import issued_batch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal_in_use(ent_a, alice):
    """Certificates issued, an examiner, a sealed certificate report, an audit trail."""
    ExaminerFactory(enterprise=ent_a, id_number=id_number(7))
    issued_batch(ent_a, alice, "passed", "passed")
    report = report_services.report_create(enterprise=ent_a, actor=alice)
    audit_chain.seal_all()
    return {
        "certificates": {c.number: (c.holder_name, c.id_number) for c in Certificate.objects.all()},
        "report": report_services.report_file_full(report=report),
        "audit_rows": AuditEvent.objects.count(),
    }


def _backup(tmp_path: Path) -> Path:
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out), stdout=io.StringIO())
    return out


def _wipe() -> None:
    """A new, empty database and an empty MEDIA_ROOT, as on a replacement server."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def test_a_restored_portal_verifies_every_certificate_and_reads_every_id(portal_in_use, tmp_path):
    out = _backup(tmp_path)
    _wipe()
    assert not Certificate.objects.exists()

    said = io.StringIO()
    call_command("restore", str(out), stdout=said)

    assert "审计日志完整" in said.getvalue()
    restored = {c.number: (c.holder_name, c.id_number) for c in Certificate.objects.all()}
    assert restored == portal_in_use["certificates"]
    for number, (name, _id) in restored.items():
        assert verify(number, name).result == VALID
    assert Examiner.objects.get(id_hash=id_digest(id_number(7))).id_number == id_number(7)
    report = CertificateReport.objects.get()
    assert report_services.report_file_full(report=report) == portal_in_use["report"]
    chain = audit_chain.verify_chain()
    assert chain.intact and chain.checked == portal_in_use["audit_rows"]


def test_the_backup_holds_no_id_number_and_no_key(portal_in_use, tmp_path):
    out = _backup(tmp_path)

    dump = gzip.decompress((out / "database.jsonl.gz").read_bytes()).decode()
    everything = dump + (out / "manifest.json").read_text()
    for _name, number in portal_in_use["certificates"].values():
        assert number not in everything
    for key in [*settings.ID_ENCRYPTION_KEYS, settings.ID_HASH_KEY]:
        assert key not in everything


def test_a_damaged_backup_is_refused_before_anything_is_written(portal_in_use, tmp_path):
    out = _backup(tmp_path)
    dump = out / "database.jsonl.gz"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    _wipe()

    with pytest.raises(CommandError, match="备份文件 database.jsonl.gz 与校验值不符"):
        call_command("restore", str(out), stdout=io.StringIO())
    assert not Certificate.objects.exists()


def test_a_database_in_use_is_never_restored_over(portal_in_use, tmp_path):
    out = _backup(tmp_path)

    with pytest.raises(CommandError, match="只能恢复到空数据库"):
        call_command("restore", str(out), stdout=io.StringIO())
    assert Certificate.objects.count() == len(portal_in_use["certificates"])


def test_a_backup_is_refused_where_its_key_is_not_configured(portal_in_use, tmp_path, settings):
    out = _backup(tmp_path)
    _wipe()
    settings.ID_ENCRYPTION_KEYS = [new_key()]

    with pytest.raises(CommandError, match="ID_ENCRYPTION_KEYS"):
        call_command("restore", str(out), stdout=io.StringIO())
