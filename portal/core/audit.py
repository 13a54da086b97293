from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.core.models import AuditEvent

# Labels apps register for their actions and statuses, so the history reads as words.
ACTION_LABELS: dict[str, str] = {}
STATUS_LABELS: dict[str, str] = {}


def register_labels(*, actions: dict, statuses: dict) -> None:
    ACTION_LABELS.update(actions)
    STATUS_LABELS.update(statuses)


def audit_record(
    *,
    obj: models.Model,
    actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def audit_events_for(obj: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor", "actor__membership")
