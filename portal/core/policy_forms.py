"""The policy form of one bureau: a field for every value its level may set, each of which may
be left empty to inherit; what the level below may set; and the forms of the preset pages."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import checklists
from portal.core.forms import KEYWORD_SEPARATORS, SettingsForm, _number_messages
from portal.core.materials import OPTIONAL, REQUIRED, item, material_items
from portal.core.models import Bureau, BureauLevel, Policy
from portal.core.policy import DELEGABLE, PROVINCE_ONLY, VALUE_NAMES, EffectivePolicy
from portal.core.policy import default_delegation as level_default_delegation
from portal.core.policy_fields import (
    BOOL,
    CHECKLIST,
    FIELDS,
    INT,
    KEYWORDS,
    LISTS,
    MATERIALS,
    MONTH_DAY,
    POWER_LABELS,
    SIZE,
    check_month_day,
    choices_of,
    citation,
    in_force,
    presets_for_bureau,
    presets_offered,
    set_by,
    shown,
    shown_names,
)
from portal.core.presets import source_of

INHERIT_SUFFIX = "_inherit"
PASS_MARK_SUFFIX = "_pass_mark"
# Values with an "inherit" box beside their own input (an empty input means "none" there).
WITH_INHERIT_BOX = LISTS | {CHECKLIST}


def delegation_choices(bureau: Bureau, policy: EffectivePolicy) -> list[tuple[str, Any]]:
    """What `bureau` may hand to the level below: the values it may set itself (the province's
    own routing aside) and its powers. None for a district: there is no level below."""
    if bureau.level == BureauLevel.DISTRICT:
        return []
    values = [
        (name, FIELDS[name].label)
        for name in VALUE_NAMES
        if name in policy.settable and name not in PROVINCE_ONLY
    ]
    return values + [(name, POWER_LABELS[name]) for name in POWER_LABELS if name in policy.powers]


def delegated_now(bureau: Bureau, row: Policy) -> list[str]:
    handed = row.delegated if row.delegated is not None else level_default_delegation(bureau.level)
    return [name for name in DELEGABLE if name in handed]


class PolicyForm(SettingsForm):
    """The values `bureau` may set (`policy.settable`); `version` is that of its own row."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, data=None, *, bureau: Bureau, policy: EffectivePolicy, row: Policy, **kw):
        super().__init__(data, **kw)
        self.bureau, self.policy, self.row = bureau, policy, row
        self.names = [name for name in shown_names(bureau) if name in policy.settable]
        inherit = (
            _("Inherit from the level above")
            if bureau.parent_id
            else _("Leave empty: the portal default")
        )
        for name in self.names:
            self._add_value_field(name, inherit)
        self.delegation = delegation_choices(bureau, policy)
        if self.delegation:
            self.fields["delegated"] = forms.MultipleChoiceField(
                label=gettext_lazy("What the level below may set"),
                choices=self.delegation,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy(
                    "A value not ticked is the same for the whole area; a ticked one each "
                    "bureau below may set for itself."
                ),
            )
        _number_messages(self)
        if data is None:
            self.initial = self._initial()

    def _help(self, name: str) -> str:
        text = _("In force: %(value)s (%(set_by)s).") % {
            "value": shown(name, in_force(self.policy, name)),
            "set_by": set_by(self.policy, name),
        }
        source = source_of(self.bureau, name)
        if source:
            text += " " + _("Source: %(source)s.") % {"source": citation(source)}
        return text

    def _material_kinds(self, name: str) -> list[tuple[str, Any]]:
        """Every kind, those of the list in force first in its order (R-F8)."""
        own = getattr(self.row, name)
        listed = [entry.kind for entry in material_items(own)]
        in_force = material_items(self.policy.values[name])
        listed += [entry.kind for entry in in_force if entry.kind not in listed]
        labels = dict(choices_of(MATERIALS))
        kinds = [kind for kind in listed if kind in labels]
        return [(kind, labels[kind]) for kind in kinds] + [
            (kind, label) for kind, label in labels.items() if kind not in kinds
        ]

    def _add_material_fields(self, name: str, help_text: str) -> None:
        """R-F8: per kind of material, whether the jurisdiction asks for it (required or
        optional) and the name its notice gives it (seed 004 附件2, seed 002 §六(一))."""
        self.material_kinds = self._material_kinds(name)
        for index, (kind, label) in enumerate(self.material_kinds):
            self.fields[f"{name}__{kind}"] = forms.ChoiceField(
                label=_("Material: %(kind)s") % {"kind": label},
                choices=[
                    ("", _("Not asked for")),
                    (REQUIRED, _("required")),
                    (OPTIONAL, _("optional")),
                ],
                required=False,
                help_text=help_text if index == 0 else "",
            )
            self.fields[f"{name}__{kind}__name"] = forms.CharField(
                label=_("Name of “%(kind)s” in the notice") % {"kind": label},
                max_length=100,
                required=False,
                help_text=_("Leave empty to use “%(kind)s”.") % {"kind": label},
            )

    def _add_value_field(self, name: str, inherit: str) -> None:
        spec = FIELDS[name]
        help_text = self._help(name)
        if spec.kind == MATERIALS:
            self._add_material_fields(name, help_text)
            self.fields[name + INHERIT_SUFFIX] = forms.BooleanField(
                label=f"{spec.label}：{inherit}", required=False
            )
            return
        if spec.kind == INT:
            field = forms.IntegerField(
                label=spec.label,
                min_value=spec.min_value,
                max_value=spec.max_value,
                required=False,
                help_text=help_text + " " + _("Leave empty to inherit."),
            )
        elif spec.kind == BOOL:
            field = forms.ChoiceField(
                label=spec.label,
                choices=[("", inherit), ("yes", _("Yes")), ("no", _("No"))],
                required=False,
                help_text=help_text,
            )
        elif spec.kind == SIZE:
            field = forms.ChoiceField(
                label=spec.label,
                choices=[("", inherit), *choices_of(SIZE)],
                required=False,
                help_text=help_text,
            )
        elif spec.kind == MONTH_DAY:
            field = forms.CharField(
                label=spec.label,
                max_length=5,
                required=False,
                help_text=help_text + " " + _("As MM-DD, e.g. 03-31; leave empty to inherit."),
            )
        elif spec.kind == KEYWORDS:
            field = forms.CharField(
                label=spec.label,
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=help_text
                + " "
                + str(
                    spec.example
                    or _("Separate the keywords with 、 or commas, e.g. 培训、评价、鉴定、咨询.")
                ),
            )
        elif spec.kind == CHECKLIST:
            field = forms.CharField(
                label=spec.label,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 7}),
                help_text=help_text
                + " "
                + _(
                    "One item a line, as “name | points” or “name | points | description”; the "
                    "points add up to 100. Leave empty for no checklist: the expert then gives "
                    "a single score."
                ),
            )
        else:
            field = forms.MultipleChoiceField(
                label=spec.label,
                choices=choices_of(spec.kind),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=help_text,
            )
        self.fields[name] = field
        if spec.kind == CHECKLIST:
            self.fields[name + PASS_MARK_SUFFIX] = forms.IntegerField(
                label=_("Pass mark of the experts' total (0–100)"),
                min_value=0,
                max_value=100,
                required=False,
            )
        if spec.kind in WITH_INHERIT_BOX:
            self.fields[name + INHERIT_SUFFIX] = forms.BooleanField(
                label=f"{spec.label}：{inherit}", required=False
            )

    def _initial(self) -> dict:
        initial: dict[str, Any] = {"version": self.row.version}
        for name in self.names:
            kind = FIELDS[name].kind
            own = getattr(self.row, name)
            if kind == CHECKLIST:
                initial[name + INHERIT_SUFFIX] = own is None
                value = own if own is not None else self.policy.values[name]
                initial[name] = checklists.as_text(value)
                if checklists.has_items(value):
                    initial[name + PASS_MARK_SUFFIX] = value.get("pass_mark")
            elif kind == MATERIALS:
                initial[name + INHERIT_SUFFIX] = own is None
                value = own if own is not None else self.policy.values[name]
                for entry in material_items(value):
                    initial[f"{name}__{entry.kind}"] = REQUIRED if entry.required else OPTIONAL
                    initial[f"{name}__{entry.kind}__name"] = entry.name
            elif kind in LISTS:
                initial[name + INHERIT_SUFFIX] = own is None
                value = own if own is not None else self.policy.values[name]
                initial[name] = "、".join(value or []) if kind == KEYWORDS else list(value or [])
            elif kind == BOOL:
                initial[name] = "" if own is None else ("yes" if own else "no")
            else:
                initial[name] = "" if own is None else own
        if self.delegation:
            offered = {name for name, _label in self.delegation}
            initial["delegated"] = [
                name for name in delegated_now(self.bureau, self.row) if name in offered
            ]
        return initial

    def _clean_value(self, name: str, raw: Any) -> Any:
        spec = FIELDS[name]
        if spec.kind in WITH_INHERIT_BOX and self.cleaned_data.get(name + INHERIT_SUFFIX):
            return None
        if spec.kind == CHECKLIST:
            return self._clean_checklist(name, raw)
        if spec.kind == MATERIALS:
            items = []
            for kind, _label in self.material_kinds:
                asked = self.cleaned_data.get(f"{name}__{kind}")
                if asked in (REQUIRED, OPTIONAL):
                    named = (self.cleaned_data.get(f"{name}__{kind}__name") or "").strip()
                    items.append(item(kind, named, required=asked == REQUIRED))
            return items
        if spec.kind == KEYWORDS:
            words = list(
                dict.fromkeys(word for word in KEYWORD_SEPARATORS.split(raw or "") if word)
            )
            wrong = [
                word for word in words if spec.pattern and not re.fullmatch(spec.pattern, word)
            ]
            if wrong:
                self.add_error(
                    name,
                    _("“%(field)s”: %(values)s is not an occupation code like 6-18-01-01.")
                    % {"field": spec.label, "values": "、".join(wrong)},
                )
            return words
        if spec.kind in LISTS:
            chosen = set(raw or [])
            return [value for value, _label in choices_of(spec.kind) if value in chosen]
        if spec.kind == BOOL:
            return {"yes": True, "no": False}.get(raw)
        if raw in (None, ""):
            return None
        if spec.kind == MONTH_DAY:
            value = check_month_day(raw)
            if value is None:
                self.add_error(
                    name,
                    _("“%(field)s” must be a month and day that every year has, like 03-31.")
                    % {"field": spec.label},
                )
            return value
        return raw

    def _clean_checklist(self, name: str, raw: str) -> dict | None:
        pass_field = name + PASS_MARK_SUFFIX
        if pass_field in self.errors:
            return None
        value, problems = checklists.parse(
            raw or "", self.cleaned_data.get(pass_field), field=str(FIELDS[name].label)
        )
        for problem in problems:
            self.add_error(name, problem)
        return value

    def clean(self) -> dict:
        data = super().clean()
        self.values = {}
        for name in self.names:
            if name in self.errors or (
                FIELDS[name].kind == MATERIALS
                and any(key.startswith(name + "__") for key in self.errors)
            ):
                continue
            value = self._clean_value(name, data.get(name))
            if name not in self.errors:
                self.values[name] = value
        for name in VALUE_NAMES:
            if name in self.names or not self._posted(name):
                continue
            self.add_error(None, refusal(self.bureau, name))
        return data

    def _posted(self, name: str) -> bool:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
        return any(str(value).strip() for value in values if value is not None)

    def policy_data(self) -> dict:
        """The own values to save (None: inherit), once the form is valid."""
        return dict(self.values)

    def delegated(self) -> list[str] | None:
        if not self.delegation:
            return None
        chosen = set(self.cleaned_data.get("delegated") or [])
        # What the form does not offer (the province's own routing) stays as it was.
        offered = {name for name, _label in self.delegation}
        kept = set(delegated_now(self.bureau, self.row)) - offered
        return [name for name in DELEGABLE if name in chosen | kept]


def refusal(bureau: Bureau, name: str) -> str:
    """Why `bureau` may not set `name`, naming the value."""
    label = FIELDS[name].label
    if name not in shown_names(bureau):
        return _("“%(field)s” is decided by the province; it cannot be set here.") % {
            "field": label
        }
    return _(
        "“%(field)s” is not delegated to %(bureau)s by the level above; it cannot be set here."
    ) % {"field": label, "bureau": bureau.name}


class PresetChoiceForm(SettingsForm):
    preset = forms.ChoiceField(label=gettext_lazy("Preset"), widget=forms.RadioSelect)

    def __init__(self, *args, bureau: Bureau, **kw):
        super().__init__(*args, **kw)
        self.fields["preset"].choices = [(p.key, p.label) for p in presets_for_bureau(bureau)]
        self.fields["preset"].error_messages["required"] = _("Choose a preset.")


class CityCreateForm(SettingsForm):
    """A city under the province, with the preset it starts from (or none)."""

    name = forms.CharField(
        label=gettext_lazy("Name of the bureau"),
        max_length=100,
        help_text=gettext_lazy("e.g. 佛山市人力资源和社会保障局"),
    )
    area = forms.CharField(
        label=gettext_lazy("Administrative area"),
        max_length=50,
        help_text=gettext_lazy("e.g. 佛山市"),
    )
    code = forms.RegexField(
        label=gettext_lazy("Area code"),
        regex=r"^\d{4}$",
        help_text=gettext_lazy("The four-digit administrative division code, e.g. 4406."),
    )
    preset = forms.ChoiceField(label=gettext_lazy("Preset"), required=False)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["preset"].choices = [
            ("", _("None: every value inherited from the province")),
            *[(p.key, p.label) for p in presets_offered(BureauLevel.CITY)],
        ]
        for name in ("name", "area", "code"):
            label = self.fields[name].label
            self.fields[name].error_messages["required"] = _("Enter “%(field)s”.") % {
                "field": label
            }
        self.fields["code"].error_messages["invalid"] = _(
            "“%(field)s” must be four digits, e.g. 4406."
        ) % {"field": self.fields["code"].label}
