"""The plumbing every workflow entity shares: a version that grows with each save, the row locked
before its status is checked, one save with `update_fields` and one audit row per change.

A service reads:

    @transaction.atomic
    def plan_submit(*, plan, actor, expected_version=None):
        plan = locked(plan, statuses=[PlanStatus.DRAFT], expected_version=expected_version)
        ...
        transition(plan, actor=actor, to=PlanStatus.SUBMITTED, action="submit")
"""

from collections.abc import Collection, Iterable
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit_record
from portal.core.errors import InvalidTransition, StaleEdit
from portal.core.models import Timestamped


class Versioned(models.Model):
    """A row people edit through forms. Each save through `bump` or `transition` adds one to
    `version`; a form carries the version it was rendered with, so an edit made on an older
    version is refused (StaleEdit) instead of silently overwriting someone else's."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ReviewedRecord(Versioned, Timestamped):
    """A record an enterprise submits and a bureau decides on (a filing, a scheme, a plan, a
    result batch), with the note of the bureau's last decision."""

    decision_note = models.TextField(gettext_lazy("decision note"), blank=True)

    class Meta(Timestamped.Meta):
        abstract = True


M = TypeVar("M", bound=models.Model)


def locked(
    instance: M,
    *,
    statuses: Collection[str] | None = None,
    expected_version: int | None = None,
    related: Iterable[str] = (),
    refusal: str | None = None,
) -> M:
    """`instance`'s row read again and locked until the transaction ends, after checking that its
    status is one of `statuses` and its version is `expected_version` (each when given).
    `refusal` replaces the message of a wrong status."""
    manager = type(instance)._default_manager
    fresh = manager.select_for_update().select_related(*related).get(pk=instance.pk)
    if statuses is not None:
        require_status(fresh, statuses, refusal=refusal)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleEdit()
    return fresh


def require_status(instance, statuses: Collection[str], *, refusal: str | None = None) -> None:
    if instance.status in statuses:
        return
    if refusal is None:
        refusal = _("This action is not possible while the %(thing)s is “%(status)s”.") % {
            "thing": instance._meta.verbose_name,
            "status": instance.get_status_display(),
        }
    raise InvalidTransition(refusal)


def apply_changes(instance: models.Model, data: dict, fields: Iterable[str]) -> list[str]:
    """Sets each of `fields` whose value in `data` differs from `instance`'s; returns their names,
    for the save and the audit note."""
    changed = [field for field in fields if getattr(instance, field) != data[field]]
    for field in changed:
        setattr(instance, field, data[field])
    return changed


def bump(instance: Versioned, fields: Iterable[str] = ()) -> None:
    """Saves `fields` and the next version (and `updated_at` where the model has one)."""
    instance.version += 1
    update = [*fields, "version"]
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        update.append("updated_at")
    instance.save(update_fields=list(dict.fromkeys(update)))


def transition(
    instance: Versioned,
    *,
    actor,
    to: str,
    action: str,
    note: str = "",
    fields: Iterable[str] = (),
) -> None:
    """Moves a locked row to status `to`: saves it with `fields` and the next version, and writes
    the audit row (who, from, to, note)."""
    from_status = instance.status
    instance.status = to
    bump(instance, [*fields, "status"])
    audit_record(
        obj=instance, actor=actor, action=action, from_status=from_status, to_status=to, note=note
    )
