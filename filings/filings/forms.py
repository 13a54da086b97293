from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

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
            "insured_employees": _("Employees for whom the enterprise pays social insurance."),
            "business_scope": _("As on the business licence."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insured_employees"].required = True
        self.fields["enterprise_size"].required = True
        self.fields["business_scope"].required = True


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
        error_messages={"required": _("Choose at least one level (R-F3).")},
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
                _("“%(work_type)s” is not a work type of %(occupation)s (R-F3).")
                % {"work_type": work_type.name, "occupation": occupation.name},
            )
        if occupation and not work_type and occupation.work_types.exists():
            self.add_error(
                "work_type",
                _("%(occupation)s has work types; choose one (R-F3).")
                % {"occupation": occupation.name},
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

    def clean_file(self):
        """R-F8: type by content and size; the result travels with the form as `checked`."""
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload
