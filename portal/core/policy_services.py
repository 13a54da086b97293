"""Writes of a bureau's policy at any level: its own values, what it hands to the level below,
a preset applied, a city set up under a province. Each write locks the row, checks that the
level may set what it sets, saves and leaves one audit row listing every change before → after
("inherited" for an empty value)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit_record, register_labels
from portal.core.errors import FieldProblem, ServiceError, StaleEdit
from portal.core.models import Bureau, BureauLevel, Policy
from portal.core.policy import DELEGABLE, VALUE_NAMES, default_delegation, effective_policy
from portal.core.policy_fields import (
    FIELDS,
    POWER_LABELS,
    presets_for_bureau,
    shown,
    shown_names,
)
from portal.core.presets import PRESETS, apply_preset

register_labels(
    actions={
        "policy_edit": gettext_lazy("policy edited"),
        "preset_apply": gettext_lazy("preset applied"),
        "city_add": gettext_lazy("city set up"),
    },
    statuses={},
)


def _delegated_labels(names) -> str:
    labels = {**{name: field.label for name, field in FIELDS.items()}, **POWER_LABELS}
    return "、".join(str(labels[name]) for name in DELEGABLE if name in names) or "—"


def _delegation_note(before: set[str], after: set[str]) -> str:
    parts = []
    if after - before:
        parts.append(_("now delegated: %(names)s") % {"names": _delegated_labels(after - before)})
    if before - after:
        parts.append(_("withdrawn: %(names)s") % {"names": _delegated_labels(before - after)})
    return _("What the level below may set") + ": " + "；".join(parts)


def _value_note(name: str, before, after) -> str:
    return f"{FIELDS[name].label}: {shown(name, before)} → {shown(name, after)}"


def check_settable(bureau: Bureau, names) -> None:
    """Refuses, naming the value, anything the level may not set (even when posted by hand)."""
    from portal.core.policy_forms import refusal

    settable = effective_policy(bureau).settable
    allowed = set(shown_names(bureau)) & settable
    for name in names:
        if name not in allowed:
            raise FieldProblem(name, refusal(bureau, name))


@transaction.atomic
def policy_update(
    *,
    policy: Policy,
    actor,
    data: dict,
    expected_version: int,
    delegated: list[str] | None = None,
) -> Policy:
    """Sets the bureau's own values in `data` (None: inherit) and, unless None, what the level
    below may set."""
    policy = Policy.objects.select_for_update().select_related("bureau").get(pk=policy.pk)
    bureau = policy.bureau
    if policy.version != expected_version:
        raise StaleEdit()
    unknown = set(data) - set(VALUE_NAMES)
    if unknown:
        raise ServiceError(_("Unknown policy values: %(names)s") % {"names": sorted(unknown)})
    check_settable(bureau, data)
    changed = [name for name in VALUE_NAMES if name in data and getattr(policy, name) != data[name]]
    notes = [_value_note(name, getattr(policy, name), data[name]) for name in changed]
    fields = list(changed)
    if delegated is not None:
        if bureau.level == BureauLevel.DISTRICT:
            raise ServiceError(_("A district has no level below to delegate to."))
        before = set(
            policy.delegated if policy.delegated is not None else default_delegation(bureau.level)
        )
        after = set(delegated)
        if after - set(DELEGABLE):
            raise ServiceError(
                _("Unknown policy values: %(names)s") % {"names": sorted(after - set(DELEGABLE))}
            )
        if policy.delegated is None or before != after:
            policy.delegated = [name for name in DELEGABLE if name in after]
            fields.append("delegated")
            if before != after:
                notes.append(_delegation_note(before, after))
    if not fields:
        return policy
    for name in changed:
        setattr(policy, name, data[name])
    policy.version += 1
    policy.save(update_fields=[*fields, "version"])
    if notes:
        audit_record(obj=policy, actor=actor, action="policy_edit", note="; ".join(notes))
    return policy


@dataclass(frozen=True)
class PresetChange:
    name: str
    label: str
    before: str
    after: str


def preset_changes(bureau: Bureau, key: str) -> list[PresetChange]:
    """The bureau's own values the preset would change, before → after."""
    preset = PRESETS[key]
    row = getattr(bureau, "policy", None)
    changes = []
    for name in VALUE_NAMES:
        before = getattr(row, name) if row is not None else None
        after = preset.values.get(name)
        if before != after:
            changes.append(
                PresetChange(name, str(FIELDS[name].label), shown(name, before), shown(name, after))
            )
    before_handed = row.delegated if row is not None else None
    after_handed = list(preset.delegated) if preset.delegated is not None else None
    if before_handed != after_handed and bureau.level != BureauLevel.DISTRICT:
        default = default_delegation(bureau.level)
        changes.append(
            PresetChange(
                "delegated",
                _("What the level below may set"),
                _delegated_labels(before_handed if before_handed is not None else default),
                _delegated_labels(after_handed if after_handed is not None else default),
            )
        )
    return changes


def _check_preset(bureau: Bureau, key: str) -> None:
    if key not in {preset.key for preset in presets_for_bureau(bureau)}:
        raise FieldProblem("preset", _("Choose one of the presets offered for this level."))


@transaction.atomic
def preset_apply(*, bureau: Bureau, actor, key: str):
    """Sets the bureau's own values to the preset's (returns the policy now in force)."""
    _check_preset(bureau, key)
    Bureau.objects.select_for_update().get(pk=bureau.pk)
    changes = preset_changes(bureau, key)
    in_force = apply_preset(bureau, key)
    note = f"{PRESETS[key].label}: " + (
        "; ".join(f"{c.label}: {c.before} → {c.after}" for c in changes) or _("no change")
    )
    audit_record(
        obj=Policy.objects.get(bureau=bureau), actor=actor, action="preset_apply", note=note
    )
    return in_force


@transaction.atomic
def city_create(*, province: Bureau, actor, data: dict) -> Bureau:
    """A city under `province`, its policy from the preset chosen or else all inherited."""
    if province.level != BureauLevel.PROVINCE:
        raise ServiceError(_("Only a province sets up cities under it."))
    province = Bureau.objects.select_for_update().get(pk=province.pk)
    code = data["code"]
    if not code.startswith(province.code[:2]):
        raise FieldProblem(
            "code",
            _("“Area code” %(code)s is not in %(province)s (its codes begin with %(prefix)s).")
            % {"code": code, "province": province.name, "prefix": province.code[:2]},
        )
    if Bureau.objects.filter(code=code).exists():
        raise FieldProblem(
            "code",
            _("“Area code” %(code)s is already used by %(bureau)s.")
            % {"code": code, "bureau": Bureau.objects.get(code=code).name},
        )
    city = Bureau.objects.create(
        name=data["name"],
        area=data["area"],
        code=code,
        level=BureauLevel.CITY,
        parent=province,
    )
    key = data.get("preset") or ""
    if key:
        _check_preset(city, key)
        apply_preset(city, key)
    else:
        Policy.objects.create(bureau=city)
    preset = str(PRESETS[key].label) if key else _("no preset")
    audit_record(
        obj=province,
        actor=actor,
        action="city_add",
        note=f"{city.name}（{city.area}，{city.code}）: {preset}",
    )
    return city
