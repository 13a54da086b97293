from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from filings.eligibility import APPLICATION_FORM_FIELDS, MOBILE_PATTERN, mobile_error
from filings.filings.services import FILING_FACT_FIELDS, ORG_FACT_FIELDS
from filings.levels import LEVEL_CHOICES
from filings.models import (
    Filing,
    FilingScopeLine,
    MaterialKind,
    Occupation,
    WorkType,
)
from filings.uploads import check_upload

User = get_user_model()


class VersionedForm(forms.Form):
    """Carries the version the form was rendered from (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def require_application_form_fields(form: forms.ModelForm) -> None:
    """Seed 004 附件1, 一: the form's basic information, asked of every kind of institution."""
    for name in APPLICATION_FORM_FIELDS:
        field = form.fields[name]
        field.required = True
        field.error_messages["required"] = _("Enter “%(field)s”.") % {"field": field.label}
        field.error_messages["max_length"] = _("“%(field)s” has at most %(max)s characters.") % {
            "field": field.label,
            "max": field.max_length,
        }


def clean_mobile(form: forms.ModelForm, name: str) -> str:
    mobile = form.cleaned_data[name].strip().replace(" ", "").replace("-", "")
    if not MOBILE_PATTERN.match(mobile):
        raise forms.ValidationError(mobile_error(form.fields[name].label, form.data.get(name)))
    return mobile


class FilingForm(forms.ModelForm):
    """The application facts of R-F1 and the form sections of seed 004 附件1."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Filing
        fields = FILING_FACT_FIELDS
        widgets = {
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "situation": forms.Textarea(attrs={"rows": 4}),
            "site_and_equipment": forms.Textarea(attrs={"rows": 3}),
            "staff_and_examiners": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "registration_authority": _(
                "The authority the enterprise is registered with, e.g. 泰安市市场监督管理局."
            ),
            "contact_mobile": _("11 digits, e.g. 13800000000."),
            "insured_employees": _("Employees for whom the enterprise pays social insurance."),
            "business_scope": _("As on the business licence."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insured_employees"].required = True
        self.fields["enterprise_size"].required = True
        self.fields["business_scope"].required = True
        require_application_form_fields(self)

    def clean_contact_mobile(self) -> str:
        return clean_mobile(self, "contact_mobile")


class OrganisationFilingForm(forms.ModelForm):
    """R-M7, seed 003 §二(一): the facts a social training evaluation organisation declares."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Filing
        fields = ORG_FACT_FIELDS
        widgets = {
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "evaluating_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "situation": forms.Textarea(attrs={"rows": 4}),
            "site_and_equipment": forms.Textarea(attrs={"rows": 3}),
            "staff_and_examiners": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"situation": _("organisation and training situation")}
        help_texts = {
            "business_scope": _("As on the registration certificate or business licence."),
            "evaluating_since": _(
                "The day the organisation began the related training and evaluation work it has "
                "done without a break since."
            ),
            "training_total": _("All related training and evaluation, counted in person-times."),
            "evaluation_total": _("The part of the total that was evaluation (assessment)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("business_scope", "evaluating_since", "training_total", "evaluation_total"):
            field = self.fields[name]
            field.required = True
            field.error_messages["required"] = _("Enter “%(field)s”.") % {"field": field.label}
        self.fields["evaluating_since"].error_messages["invalid"] = _(
            "“%(field)s” must be a date like 2018-05-31."
        ) % {"field": self.fields["evaluating_since"].label}
        require_application_form_fields(self)

    def clean_contact_mobile(self) -> str:
        return clean_mobile(self, "contact_mobile")

    def clean(self):
        cleaned = super().clean()
        total, evaluated = cleaned.get("training_total"), cleaned.get("evaluation_total")
        if total is not None and evaluated is not None and evaluated > total:
            self.add_error(
                "evaluation_total",
                _(
                    "The evaluation person-times (%(evaluated)s) cannot exceed the training and "
                    "evaluation person-times in total (%(total)s)."
                )
                % {"evaluated": evaluated, "total": total},
            )
        return cleaned


def filing_form_class(enterprise):
    """The filing form that asks for the facts of the enterprise's kind (R-M7)."""
    return OrganisationFilingForm if enterprise.is_social_org else FilingForm


class ScopeLineForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    occupation = forms.ModelChoiceField(
        label=_("occupation"), queryset=Occupation.objects.all(), empty_label=None
    )
    levels = forms.TypedMultipleChoiceField(
        label=_("levels"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        # R-F3
        error_messages={"required": _("Choose at least one level.")},
    )

    class Meta:
        model = FilingScopeLine
        fields = [
            "occupation",
            "work_type",
            "levels",
            "standard_type",
            "workstations",
            "examiners",
            "applicants",
            "related_to_main_business",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].queryset = WorkType.objects.select_related("occupation")
        self.fields["work_type"].label_from_instance = lambda w: (
            f"{w.occupation.code} {w.occupation.name} — {w.name}"
        )
        self.fields["occupation"].label_from_instance = lambda o: f"{o.code} {o.name}"

    def clean(self):
        cleaned = super().clean()
        occupation, work_type = cleaned.get("occupation"), cleaned.get("work_type")
        if occupation and work_type and work_type.occupation_id != occupation.pk:
            self.add_error(
                "work_type",
                # R-F3
                _("“%(work_type)s” is not a work type of %(occupation)s.")
                % {"work_type": work_type.name, "occupation": occupation.name},
            )
        if occupation and not work_type and occupation.work_types.exists():
            self.add_error(
                "work_type",
                # R-F3
                _("%(occupation)s has work types; choose one.") % {"occupation": occupation.name},
            )
        return cleaned


class OrganisationScopeLineForm(ScopeLineForm):
    """R-M7, seed 003 §二(一)2: an organisation's line declares its training and evaluation."""

    class Meta(ScopeLineForm.Meta):
        fields = [
            "occupation",
            "work_type",
            "levels",
            "standard_type",
            "examiners",
            "training_count",
        ]


def scope_line_form_class(enterprise):
    return OrganisationScopeLineForm if enterprise.is_social_org else ScopeLineForm


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("material"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("file"))

    def __init__(self, *args, items=None, **kwargs):
        """`items`: the jurisdiction's materials (R-F8) offered by their names, required ones
        marked, then any other kind."""
        super().__init__(*args, **kwargs)
        if items is not None:
            listed = [
                (item.kind, f"{item.name}（{_('required') if item.required else _('optional')}）")
                for item in items
            ]
            named = {item.kind for item in items}
            others = [(v, label) for v, label in MaterialKind.choices if v not in named]
            self.fields["kind"].choices = listed + others

    def clean_file(self):
        """R-F8: type by content and size; the result travels with the form as `checked`."""
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload
