"""How a refused action reaches the user, one way for every view: with a form, each problem
that names a field stands at that field and the refusal above the form; without one, the refusal
and each rule with its reason become messages. After a stale edit the form keeps what the user
typed and takes the version the record has now, so saving again is a deliberate choice."""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.core.audit import audit_record
from portal.core.errors import ServiceError, StaleEdit
from portal.core.models import AuditOutcome


def _field_errors(error: ServiceError) -> dict[str, str]:
    field_errors = dict(getattr(error, "field_errors", None) or {})
    field = getattr(error, "field", "")
    if field:
        field_errors.setdefault(field, error.message)
    return field_errors


def report_refusal(
    request: HttpRequest, error: ServiceError, *, form=None, limit: int | None = None
) -> None:
    audit_record(
        obj=None,
        actor=request.user,
        action="action_refused",
        note=f"{request.method} {request.path}: {error.message}"[:1000],
        outcome=AuditOutcome.REFUSED,
    )
    if form is not None:
        field_errors = _field_errors(error)
        if not field_errors:
            form.add_error(None, error.message)
        for field, message in field_errors.items():
            form.add_error(field if field in form.fields else None, message)
        return
    messages.error(request, error.message)
    shown = error.problems if limit is None else error.problems[:limit]
    for problem in shown:
        messages.error(request, str(problem))
    if len(error.problems) > len(shown):
        messages.error(
            request,
            _("… and %(count)s more problems.") % {"count": len(error.problems) - len(shown)},
        )


def keep_input_after_stale_edit(form, current) -> None:
    """The form shows what the user typed, carrying the version `current` has now."""
    form.data = form.data.copy()
    form.data["version"] = current.version


def stale_differences(
    form, current, data: dict, fields: Iterable[str], display: Callable
) -> list[tuple[str, str]]:
    """(label, value now) of each field whose stored value differs from what the user typed."""
    return [
        (form[field].label, display(current, field))
        for field in fields
        if getattr(current, field) != data[field]
    ]


def service_went_through(
    request: HttpRequest, form, service: Callable, /, *, current=None, **arguments
) -> bool:
    """Calls `service(**arguments)`; True when it went through. A refusal is reported (on `form`
    when given); after a stale edit the form keeps the input, carrying `current`'s version."""
    try:
        service(**arguments)
    except ServiceError as error:
        report_refusal(request, error, form=form)
        if isinstance(error, StaleEdit) and form is not None and current is not None:
            keep_input_after_stale_edit(form, current)
        return False
    return True
