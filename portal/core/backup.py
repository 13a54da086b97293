"""Backup and restore: the database as JSON lines, the uploaded and generated files, a manifest.

A backup directory holds ``database.jsonl.gz`` (every row of the portal, the Django admin log,
the object permissions and second-factor devices; not sessions, content types or permissions,
which a database makes for itself), ``media.tar.gz`` (MEDIA_ROOT) and ``manifest.json`` (the
SHA-256 and size of both, the rows per model, the cipher and key the ID numbers are encrypted
with, the head of the audit chain). Never the keys: ID_ENCRYPTION_KEYS, ID_HASH_KEY and
AUDIT_CHAIN_KEY are kept apart from backups, and a backup restores only where they are set.

ID numbers stay ciphertext in the dump (EncryptedIDField.value_to_string) and files holding them
stay sealed. Restoring checks every checksum before it writes anything, refuses a database that
already holds the portal's rows, loads in one transaction, unpacks the files, and compares the
rows and the audit chain with the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import audit_chain
from portal.core.crypto import _decode_key, current_form, key_id
from portal.core.errors import ServiceError
from portal.core.models import AuditChainHead

FORMAT = 1
DATABASE = "database.jsonl.gz"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
# Made by every database for itself (migrate), or short-lived state not worth restoring.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "axes")
_CHUNK = 1 << 20


def _models() -> list:
    chosen = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        chosen.append(model)
    return chosen


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in _models()}


def _dump_database(path: Path) -> None:
    models = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    wanted = set(_models())
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for model in models:
            if model not in wanted:
                continue
            rows = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
            serializers.serialize("jsonl", rows, stream=out, use_natural_foreign_keys=True)


def _dump_media(path: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        if root.is_dir():
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    archive.add(file, arcname=str(file.relative_to(root)), recursive=False)
                    count += 1
    return count


def backup(out: Path) -> dict:
    """Write a backup into `out` (created; must be empty) and return its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ServiceError(_("The backup directory %(dir)s is not empty.") % {"dir": out})
    # Everything written so far joins the chain first, so the manifest names the whole trail.
    audit_chain.seal_all()
    head = AuditChainHead.objects.filter(pk=1).first()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One snapshot for the dump and the counts, while the portal goes on writing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = _row_counts()
        _dump_database(out / DATABASE)
    files = _dump_media(out / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "encryption": current_form(),
        "audit_head": f"{head.last_seq}:{head.last_hash}" if head else "0:",
        "rows": rows,
        "media_files": files,
        "files": {
            name: {"sha256": _sha256(out / name), "bytes": (out / name).stat().st_size}
            for name in (DATABASE, MEDIA)
        },
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


# Restore -------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    audit: audit_chain.ChainReport | None = None
    differences: list[str] = field(default_factory=list)


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        message = _("%(dir)s holds no manifest.json: not a backup.") % {"dir": source}
        raise ServiceError(message) from None
    except ValueError:
        message = _("The manifest.json of %(dir)s is damaged.") % {"dir": source}
        raise ServiceError(message) from None
    if manifest.get("format") != FORMAT:
        raise ServiceError(
            _("The backup is of format %(found)s; this portal restores format %(format)s.")
            % {"found": manifest.get("format"), "format": FORMAT}
        )
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file():
            raise ServiceError(_("The backup lacks its file %(name)s.") % {"name": name})
        if _sha256(path) != expected["sha256"]:
            raise ServiceError(
                _("The file %(name)s of the backup does not match its checksum: it is damaged.")
                % {"name": name}
            )
    return manifest


def _check_keys(manifest: dict) -> None:
    kid = manifest["encryption"].split(":", 1)[-1]
    configured = {
        key_id(_decode_key(raw, "ID_ENCRYPTION_KEYS")) for raw in settings.ID_ENCRYPTION_KEYS
    }
    if kid not in configured:
        raise ServiceError(
            _(
                "The backup's ID numbers are encrypted with key %(key)s, which is not in "
                "ID_ENCRYPTION_KEYS: set the keys kept with this deployment first."
            )
            % {"key": kid}
        )


def _check_empty() -> None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in (user_model, apps.get_model("core", "Bureau")):
        if model._base_manager.exists():
            raise ServiceError(
                _(
                    "The database already holds rows of %(model)s: restore into an empty "
                    "database only."
                )
                % {"model": model._meta.label}
            )


def _clear_seeded(manifest: dict) -> None:
    """Rows the migrations seed (the working-day calendar, reference data) give way to the
    backup's own."""
    for label in manifest["rows"]:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._base_manager.all()._raw_delete(connection.alias)


def _unpack_media(path: Path) -> int:
    root = Path(settings.MEDIA_ROOT).resolve()
    count = 0
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            target = (root / member.name).resolve()
            if not member.isfile() or not target.is_relative_to(root):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, target.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    out.write(chunk)
            count += 1
    return count


def restore(source: Path) -> RestoreReport:
    manifest = read_manifest(source)
    _check_keys(manifest)
    call_command("migrate", interactive=False, verbosity=0)
    _check_empty()
    with gzip.open(source / DATABASE, "rb") as compressed:
        data = io.TextIOWrapper(compressed, encoding="utf-8")
        with transaction.atomic():
            _clear_seeded(manifest)
            objects = serializers.deserialize("jsonl", data, handle_forward_references=True)
            deferred = []
            with connection.constraint_checks_disabled():
                for obj in objects:
                    obj.save()
                    if obj.deferred_fields:
                        deferred.append(obj)
                for obj in deferred:
                    obj.save_deferred_fields()
            connection.check_constraints()
            _reset_sequences()
    report = RestoreReport(rows=_row_counts())
    report.media_files = _unpack_media(source / MEDIA)
    for label, count in manifest["rows"].items():
        if report.rows.get(label, 0) != count:
            report.differences.append(
                _("%(model)s: %(found)s rows restored, %(expected)s in the backup")
                % {"model": label, "found": report.rows.get(label, 0), "expected": count}
            )
    seq, _sep, digest = manifest["audit_head"].partition(":")
    report.audit = audit_chain.verify_chain(expected_head=(int(seq), digest) if digest else None)
    return report


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
