"""Forms of the city settings pages; the rules themselves live in settings_services."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.models import DayKind, EnterpriseSize, MaterialKind, Role

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KEYWORD_SEPARATORS = re.compile(r"[、,，;；\s]+")


def _number_messages(form: forms.Form) -> None:
    """Error messages that name the field, its rule and its limit, not just "enter a number"."""
    for field in form.fields.values():
        if not isinstance(field, forms.IntegerField):
            continue
        label = field.label
        field.error_messages["required"] = _("Enter “%(field)s”.") % {"field": label}
        field.error_messages["invalid"] = _("“%(field)s” must be a whole number.") % {
            "field": label
        }
        if field.min_value is not None:
            field.error_messages["min_value"] = _("“%(field)s” must be at least %(min)s.") % {
                "field": label,
                "min": field.min_value,
            }
        if field.max_value is not None:
            field.error_messages["max_value"] = _("“%(field)s” must be at most %(max)s.") % {
                "field": label,
                "max": field.max_value,
            }


class SettingsForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        # Labels stand on their own line above the input; a trailing colon adds nothing.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def material_choices() -> list[tuple[str, str]]:
    return [(value, label) for value, label in MaterialKind.choices if value != MaterialKind.OTHER]


class CityPolicyForm(SettingsForm):
    """All policy values of a city; `version` is the one the form was rendered from."""

    min_insured_employees = forms.IntegerField(
        # R-F1
        label=gettext_lazy("Minimum insured employees"),
        min_value=0,
        max_value=1_000_000,
    )
    min_enterprise_size = forms.ChoiceField(
        # R-F1
        label=gettext_lazy("Minimum enterprise size"),
        choices=[("", gettext_lazy("No minimum")), *EnterpriseSize.choices],
        required=False,
    )
    excluded_scope_keywords = forms.CharField(
        # R-F1
        label=gettext_lazy("Business scope keywords that exclude an enterprise"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Separate the keywords with 、 or commas, e.g. 培训、评价、鉴定、咨询."
        ),
    )
    min_workstations = forms.IntegerField(
        # R-F2
        label=gettext_lazy("Minimum workstations per occupation"),
        min_value=0,
        max_value=10_000,
    )
    min_examiners = forms.IntegerField(
        # R-F2
        label=gettext_lazy("Minimum examiners per occupation"),
        min_value=0,
        max_value=10_000,
    )
    min_applicants = forms.IntegerField(
        # R-F2
        label=gettext_lazy("Minimum applying employees per occupation"),
        min_value=0,
        max_value=1_000_000,
    )
    district_prereview = forms.BooleanField(
        # R-F5
        label=gettext_lazy("District bureaus pre-review filings of their enterprises"),
        required=False,
    )
    review_working_days = forms.IntegerField(
        # R-F6
        label=gettext_lazy("Review period in working days"),
        min_value=1,
        max_value=250,
    )
    correction_working_days = forms.IntegerField(
        # R-F7
        label=gettext_lazy("Correction period in working days"),
        min_value=1,
        max_value=250,
    )
    filing_validity_years = forms.IntegerField(
        # R-F7
        label=gettext_lazy("Filing validity in years"),
        min_value=1,
        max_value=10,
    )
    required_materials = forms.MultipleChoiceField(
        # R-F8
        label=gettext_lazy("Required materials"),
        choices=material_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _number_messages(self)

    @classmethod
    def initial_for(cls, policy, row) -> dict:
        """The form's values: those in force (`policy`), at the version of the own `row`."""
        return {
            "min_insured_employees": policy.min_insured_employees,
            "min_enterprise_size": policy.size_rule,
            "excluded_scope_keywords": "、".join(policy.excluded_scope_keywords or []),
            "min_workstations": policy.min_workstations,
            "min_examiners": policy.min_examiners,
            "min_applicants": policy.min_applicants,
            "district_prereview": policy.district_prereview,
            "review_working_days": policy.review_working_days,
            "correction_working_days": policy.correction_working_days,
            "filing_validity_years": policy.filing_validity_years,
            "required_materials": list(policy.required_materials or []),
            "version": row.version,
        }

    def clean_excluded_scope_keywords(self) -> list[str]:
        words = KEYWORD_SEPARATORS.split(self.cleaned_data["excluded_scope_keywords"])
        # Order kept, duplicates and blanks dropped.
        return list(dict.fromkeys(word for word in words if word))

    def clean_required_materials(self) -> list[str]:
        chosen = set(self.cleaned_data["required_materials"])
        return [value for value, _label in material_choices() if value in chosen]

    def policy_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        data["min_enterprise_size"] = data["min_enterprise_size"] or "none"
        return data


class CalendarDayForm(SettingsForm):
    """An exception to "Monday to Friday are working days"."""

    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DayKind.choices)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("e.g. 国庆节"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Enter “%(field)s”.") % {
            "field": self.fields["date"].label
        }
        self.fields["date"].error_messages["invalid"] = _(
            "“%(field)s” must be a date like 2026-05-31."
        ) % {"field": self.fields["date"].label}


class CalendarYearForm(SettingsForm):
    IMPORT = "import"
    EMPTY = "empty"

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    how = forms.ChoiceField(
        label=gettext_lazy("How"),
        choices=[
            (IMPORT, gettext_lazy("Import the holidays from the chinese-calendar package")),
            (EMPTY, gettext_lazy("Start empty and enter the holidays by hand")),
        ],
        initial=IMPORT,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "For a year entered by hand, e.g. the State Council notice 国办发明电〔2026〕X号."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _number_messages(self)


class HolidayNoticeForm(SettingsForm):
    """The text of the State Council's yearly holiday notice, as a clerk copies it."""

    text = forms.CharField(
        label=gettext_lazy("Text of the notice"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "Copy the whole notice (国务院办公厅关于……年部分节假日安排的通知) from the State "
            "Council's website, from its title to its last paragraph, and paste it here."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        field.error_messages["required"] = _("Paste the text of the notice.")
        field.error_messages["max_length"] = _(
            "The text is longer than a holiday notice (at most %(limit_value)d characters); "
            "paste the notice alone."
        )


class AssignExpertsForm(forms.Form):
    """The experts of the city to send on an evaluation (a filing on site, R-F6; a scheme,
    R-S5). `refusals` are the field's error messages."""

    refusals = {"required": gettext_lazy("Choose at least one expert.")}

    experts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("experts"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, city=None, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        field = self.fields["experts"]
        field.error_messages.update(self.refusals)
        field.queryset = (
            get_user_model()
            .objects.filter(membership__role=Role.EXPERT, membership__bureau=city, is_active=True)
            .select_related("membership")
            .order_by("username")
        )
        field.label_from_instance = lambda u: u.membership.full_name or u.username
