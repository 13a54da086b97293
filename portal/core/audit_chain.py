"""The audit trail as a chain an inspector can check (GB/T 22239-2019 8.1.4.3).

Rows are written by ``audit_record`` with no link, so writing one never waits for another
transaction. Right after the commit (and every minute from beat, for anything a crash left)
``seal_pending`` gives the new rows, in the order they were written, the next places of the
chain: ``seq`` 1, 2, 3 … and ``chain_hash`` = HMAC-SHA256(key, previous hash ‖ this row). The
head row keeps the last place sealed.

``verify_chain`` recomputes every link: a row changed after sealing breaks its own link, a row
put between two others breaks the places after it, a deleted row leaves a gap, and deleting the
newest rows leaves the head pointing past the rows. Without the key nobody can compute a link,
so a changed row cannot be hidden by recomputing the chain. The head itself lives in the same
database: ``seal_pending`` also logs each new head, so a copy of the log kept elsewhere lets
an operator check the head was not wound back (``verify_audit --head SEQ:HASH``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

SEAL_BATCH = 5000
_FIELDS = (
    "id",
    "content_type_id",
    "object_id",
    "actor_id",
    "at",
    "action",
    "from_status",
    "to_status",
    "note",
    "address",
    "outcome",
)


@lru_cache(maxsize=4)
def _key(configured: str, id_hash_key: str) -> bytes:
    if configured:
        from portal.core.crypto import _decode_key

        return _decode_key(configured, "AUDIT_CHAIN_KEY")
    # Derived, so a deployment keeps one secret fewer apart from the database.
    return hmac.new(id_hash_key.encode(), b"portal.audit-chain", hashlib.sha256).digest()


def chain_key() -> bytes:
    return _key(settings.AUDIT_CHAIN_KEY, settings.ID_HASH_KEY)


def _content_type_label(content_type_id: int | None) -> str:
    if content_type_id is None:
        return ""
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def _canonical(row: dict, seq: int) -> bytes:
    values = {name: row[name] for name in _FIELDS}
    # By name, not id: a restored database numbers its content types afresh.
    values["content_type_id"] = _content_type_label(row["content_type_id"])
    # To the millisecond: what a JSON dump keeps (portal.core.backup).
    values["at"] = row["at"].astimezone(dt.UTC).isoformat(timespec="milliseconds")
    values["seq"] = seq
    return json.dumps(values, ensure_ascii=False, sort_keys=True).encode()


def link(key: bytes, previous_hash: str, row: dict, seq: int) -> str:
    message = previous_hash.encode() + b"\n" + _canonical(row, seq)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _head_for_update() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    return head or AuditChainHead.objects.create(pk=1)


def seal_pending(*, batch: int = SEAL_BATCH) -> int:
    """Chain the rows written since the last seal, at most `batch`; returns how many."""
    key = chain_key()
    with transaction.atomic():
        head = _head_for_update()
        rows = list(
            AuditEvent.objects.filter(seq__isnull=True).order_by("id").values(*_FIELDS)[:batch]
        )
        if not rows:
            return 0
        seq, previous = head.last_seq, head.last_hash
        sealed = []
        for row in rows:
            seq += 1
            previous = link(key, previous, row, seq)
            sealed.append(AuditEvent(id=row["id"], seq=seq, chain_hash=previous))
        AuditEvent.objects.bulk_update(sealed, ["seq", "chain_hash"], batch_size=1000)
        head.last_seq, head.last_hash, head.sealed_at = seq, previous, timezone.now()
        head.save(update_fields=["last_seq", "last_hash", "sealed_at"])
    logger.info("audit chain head %s:%s", seq, previous)
    return len(rows)


def seal_all() -> int:
    total = 0
    while sealed := seal_pending():
        total += sealed
    return total


def _seal_after_commit() -> None:
    try:
        seal_pending()
    except Exception:
        # Beat seals what is left within a minute; the change itself is committed.
        logger.exception("sealing the audit chain failed")


def seal_after_commit() -> None:
    """Seal once after the current transaction commits, however many rows it wrote."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _seal_after_commit()
        return
    # A transaction writing a thousand rows schedules one seal, not a thousand.
    if not any(func is _seal_after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_seal_after_commit)


# Verification ------------------------------------------------------------------------------


@dataclass
class ChainReport:
    checked: int = 0
    pending: int = 0
    head_seq: int = 0
    breaks: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def _sealed_rows() -> Iterator[dict]:
    return (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values(*_FIELDS, "seq", "chain_hash")
        .iterator(chunk_size=2000)
    )


def verify_chain(*, expected_head: tuple[int, str] | None = None) -> ChainReport:
    """Recompute every link; the first break is named by its place and row id."""
    key = chain_key()
    report = ChainReport(pending=AuditEvent.objects.filter(seq__isnull=True).count())
    head = AuditChainHead.objects.filter(pk=1).first()
    report.head_seq = head.last_seq if head else 0
    seq, previous = 0, ""
    noted_hash = None
    for row in _sealed_rows():
        if row["seq"] != seq + 1:
            missing = str(seq + 1) if row["seq"] == seq + 2 else f"{seq + 1}–{row['seq'] - 1}"
            report.breaks.append(
                _(
                    "Place %(places)s of the trail is missing (deleted), "
                    "before the row with id %(id)s."
                )
                % {"places": missing, "id": row["id"]}
            )
            return report
        seq += 1
        expected = link(key, previous, row, seq)
        if not hmac.compare_digest(expected, row["chain_hash"]):
            report.breaks.append(
                _(
                    "The row with id %(id)s at place %(seq)s differs from what was sealed "
                    "(changed, or put into the trail afterwards)."
                )
                % {"id": row["id"], "seq": seq}
            )
            return report
        previous = row["chain_hash"]
        report.checked += 1
        if expected_head and seq == expected_head[0]:
            noted_hash = previous
    if head and head.last_seq != seq:
        report.breaks.append(
            _(
                "The trail ends at place %(seq)s but was sealed up to place %(head)s "
                "(the newest rows were deleted)."
            )
            % {"seq": seq, "head": head.last_seq}
        )
    elif head and head.last_hash != previous:
        report.breaks.append(
            _("The row at place %(seq)s is not the one the head sealed.") % {"seq": seq}
        )
    if expected_head and not report.breaks:
        want_seq, want_hash = expected_head
        if want_seq > seq:
            report.breaks.append(
                _("The trail ends at place %(seq)s, before the head %(noted)s noted elsewhere.")
                % {"seq": seq, "noted": want_seq}
            )
        elif want_hash and noted_hash != want_hash:
            report.breaks.append(
                _("Place %(noted)s does not carry the hash noted elsewhere.") % {"noted": want_seq}
            )
    return report
