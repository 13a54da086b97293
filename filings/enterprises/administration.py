"""Who administers an enterprise (R-F5: its district, the city centre for 市属企业, the provincial
centre for 省属企业) and whether it is on the provincial pilot list (R-F6: no on-site evaluation).

The policy administrator of the enterprise's city sets district or city; the one of its province
sets any level. Both set the pilot-list flag. Enterprise rows carry no version: the form carries
the values it was rendered with, the write locks the row and refuses when they changed meanwhile,
and the audit row names each value before and after.
"""

from django import forms
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import AdministrationLevel, Enterprise
from portal.core.audit import audit_record, register_labels
from portal.core.errors import ServiceError
from portal.core.models import BureauLevel, Membership
from portal.core.roles import membership_of

register_labels(actions={"administration_edit": gettext_lazy("administration changed")})


def administering_bureau(membership: Membership | None, enterprise: Enterprise):
    """The city or province whose policy administrator `membership` is, when the enterprise lies
    in its area; else None."""
    if membership is None or not membership.is_policy_admin or membership.bureau is None:
        return None
    bureau = membership.bureau
    district = enterprise.district
    if bureau.level == BureauLevel.CITY and membership.is_city:
        return bureau if district.parent_id == bureau.pk else None
    if bureau.level == BureauLevel.PROVINCE and membership.is_province:
        city = district.parent
        return bureau if city is not None and city.parent_id == bureau.pk else None
    return None


def access_enterprise_administration(*, user, enterprise_id: int):
    """(enterprise, the bureau that administers it for `user`); 404 for anyone else."""
    membership = membership_of(user)
    try:
        enterprise = Enterprise.objects.select_related("district__parent").get(pk=enterprise_id)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    bureau = administering_bureau(membership, enterprise)
    if bureau is None:
        raise Http404
    return enterprise, bureau


def levels_settable_by(bureau) -> list[str]:
    """A city sets district or city; a province any level."""
    if bureau.level == BureauLevel.PROVINCE:
        return list(AdministrationLevel.values)
    return [AdministrationLevel.DISTRICT, AdministrationLevel.CITY]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _level_name(value: str) -> str:
    return str(AdministrationLevel(value).label)


class AdministrationForm(forms.Form):
    administration_level = forms.ChoiceField(
        label=gettext_lazy("Administered as"), widget=forms.RadioSelect
    )
    on_pilot_list = forms.BooleanField(
        label=gettext_lazy("On the provincial pilot list (no expert on-site evaluation)"),
        required=False,
    )
    # The values the page showed: a change made meanwhile by someone else is not overwritten.
    was_level = forms.CharField(widget=forms.HiddenInput)
    was_pilot = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, enterprise: Enterprise, bureau, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault(
            "initial",
            {
                "administration_level": enterprise.administration_level,
                "on_pilot_list": enterprise.on_pilot_list,
                "was_level": enterprise.administration_level,
                "was_pilot": "1" if enterprise.on_pilot_list else "",
            },
        )
        super().__init__(*args, **kwargs)
        settable = levels_settable_by(bureau)
        field = self.fields["administration_level"]
        field.choices = [(v, label) for v, label in AdministrationLevel.choices if v in settable]
        field.error_messages["required"] = _("Choose “%(field)s”.") % {"field": field.label}
        field.error_messages["invalid_choice"] = _(
            "“%(field)s”: %(bureau)s may choose only %(choices)s."
        ) % {
            "field": field.label,
            "bureau": bureau.name,
            "choices": "、".join(_level_name(v) for v in settable),
        }
        if enterprise.administration_level not in settable:
            # A province-administered enterprise stays so until the province says otherwise.
            field.choices = [(v, _level_name(v)) for v in AdministrationLevel.values]
            field.disabled = True
            field.help_text = _("Only the province may change a province-administered enterprise.")

    def values(self) -> dict:
        return {
            "administration_level": self.cleaned_data["administration_level"],
            "on_pilot_list": self.cleaned_data["on_pilot_list"],
        }

    def seen(self) -> dict:
        return {
            "administration_level": self.cleaned_data["was_level"],
            "on_pilot_list": bool(self.cleaned_data.get("was_pilot")),
        }


def _shown(field: str, value) -> str:
    return _level_name(value) if field == "administration_level" else _yes_no(value)


def _label(field: str) -> str:
    return str(Enterprise._meta.get_field(field).verbose_name)


@transaction.atomic
def enterprise_administration_update(
    *, enterprise: Enterprise, bureau, actor, values: dict, seen: dict
) -> list[tuple[str, str, str]]:
    """Sets the level and the pilot-list flag; returns (label, before, after) of each change."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    moved = [field for field, value in seen.items() if getattr(enterprise, field) != value]
    if moved:
        raise ServiceError(
            _(
                "Someone else changed the administration of %(name)s meanwhile: %(now)s. Check "
                "the values now shown and save again."
            )
            % {
                "name": enterprise.name,
                "now": "；".join(
                    f"{_label(field)}：{_shown(field, getattr(enterprise, field))}"
                    for field in moved
                ),
            }
        )
    level = values["administration_level"]
    if level != enterprise.administration_level and (
        level not in levels_settable_by(bureau)
        or enterprise.administration_level not in levels_settable_by(bureau)
    ):
        raise ServiceError(
            _("%(bureau)s may not set an enterprise as %(level)s.")
            % {"bureau": bureau.name, "level": _level_name(level)}
        )
    changes = [
        (field, getattr(enterprise, field), value)
        for field, value in values.items()
        if getattr(enterprise, field) != value
    ]
    if not changes:
        return []
    for field, _before, after in changes:
        setattr(enterprise, field, after)
    enterprise.save(update_fields=[field for field, _b, _a in changes])
    shown = [(_label(f), _shown(f, before), _shown(f, after)) for f, before, after in changes]
    audit_record(
        obj=enterprise,
        actor=actor,
        action="administration_edit",
        note="; ".join(f"{label}: {before} → {after}" for label, before, after in shown),
    )
    return shown
