"""What a bureau's decision writes on the record it decides (a filing, a scheme, an
implementation plan, a result filing): the note the enterprise reads, the new status and the
audit row."""

from collections.abc import Iterable

from portal.core.errors import ServiceError
from portal.core.workflow import Versioned, transition


def record_decision(
    record: Versioned,
    *,
    actor,
    to: str,
    action: str,
    note: str,
    fields: Iterable[str] = (),
    reason_required: str | None = None,
) -> Versioned:
    """Moves the locked `record` to `to` with the decision `note`, saving `fields` as well. A
    return or a rejection must say why: `reason_required` is the refusal of an empty note."""
    if reason_required and not note.strip():
        raise ServiceError(reason_required)
    record.decision_note = note
    transition(
        record,
        actor=actor,
        to=to,
        action=action,
        note=note,
        fields=[*fields, "decision_note"],
    )
    return record
