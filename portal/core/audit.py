from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import Signal

from portal.core.masking import mask_id_numbers
from portal.core.models import AuditEvent, AuditOutcome

# The request being served: every row written while serving it carries the client's address.
_request: ContextVar[object | None] = ContextVar("audit_request", default=None)


def _current_address() -> str | None:
    from portal.core.lockout import client_ip

    request = _request.get()
    return client_ip(request) if request is not None else None


# Sent after each audit row, inside the transaction that wrote it, with `event` and `obj`: the
# apps above this one (notifications) learn of every step of every workflow from one place.
recorded = Signal()

# Labels apps register for their actions and statuses, so the history reads as words. Status
# words belong to a model ("approved" is 已备案 for a filing, 已通过 for a scheme).
ACTION_LABELS: dict[str, str] = {}
STATUS_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def register_labels(*, actions: dict, statuses: dict | None = None, model=None) -> None:
    ACTION_LABELS.update(actions)
    if model is not None and statuses:
        STATUS_LABELS.setdefault(model._meta.label_lower, {}).update(statuses)


def register_status_labels(choices_of: dict) -> None:
    """The statuses of each model in `choices_of` ({model: its TextChoices}) read as words."""
    for model, choices in choices_of.items():
        register_labels(actions={}, statuses=dict(choices.choices), model=model)


def status_label(content_type_id: int, status: str) -> str:
    if not status:
        return ""
    model_label = ContentType.objects.get_for_id(content_type_id)
    labels = STATUS_LABELS.get(f"{model_label.app_label}.{model_label.model}", {})
    return str(labels.get(status, status))


def audit_record(
    *,
    obj: models.Model | None,
    actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    outcome: str = AuditOutcome.DONE,
    address: str | None = None,
) -> AuditEvent:
    from portal.core.audit_chain import seal_after_commit

    event = AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        # A note is free text (a reason, a purpose): an ID number typed there is kept masked.
        note=mask_id_numbers(note),
        outcome=outcome,
        address=address or _current_address(),
    )
    seal_after_commit()
    if obj is not None:
        recorded.send(sender=type(obj), event=event, obj=obj)
    return event


def audit_file_sent(filename: str) -> None:
    """A file leaving the portal for a logged-in user (an export, an uploaded document, printed
    certificates): who took which file from which page. Anonymous public downloads are not
    personal, except the holder's own certificate, audited where it is sent."""
    request = _request.get()
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return
    audit_record(
        obj=None,
        actor=user,
        action="file_sent",
        note=f"{request.get_full_path()}: {filename}"[:1000],
    )


class AuditAddressMiddleware:
    """Every audit row written while serving a request carries the client's address."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit_record(
                obj=None,
                actor=request.user,
                action="access_refused",
                note=f"{request.method} {request.path}"[:500],
                outcome=AuditOutcome.REFUSED,
            )


def audit_events_for(obj: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor", "actor__membership")


class _LabelledEvent:
    """An audit event whose statuses read in the words of its own model."""

    def __init__(self, event, labels: dict) -> None:
        self._event = event
        self._labels = labels

    def __getattr__(self, name: str):
        return getattr(self._event, name)

    @property
    def from_display(self) -> str:
        return str(self._labels.get(self._event.from_status, self._event.from_display))

    @property
    def to_display(self) -> str:
        return str(self._labels.get(self._event.to_status, self._event.to_display))


def labelled_events(events, labels: dict) -> list:
    """`events` with their statuses in the words of `labels` (status → label)."""
    return [_LabelledEvent(event, labels) for event in events]
