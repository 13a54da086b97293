"""Forms of inspections and findings; the rules themselves live in inspection_services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.uploads import check_upload
from supervision.inspections.services import CHECKLIST, CHECKLIST_RESULTS
from supervision.models import FindingSeverity, InspectionConclusion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by its content (filings.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files at a time.") % {"count": MAX_FILES}
            )
        checked = []
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                checked.append((upload, check_upload(upload, field=_("each evidence file"))))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return checked


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RecordForm(VersionedForm):
    visited_on = forms.DateField(label=_("inspected on"), widget=DATE, required=False)
    conclusion = forms.ChoiceField(
        label=_("conclusion"),
        choices=[("", "—"), *InspectionConclusion.choices],
        required=False,
    )
    summary = forms.CharField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, _rule in CHECKLIST:
            self.fields[f"result_{key}"] = forms.ChoiceField(
                label=label,  # the rule: the 依据 link next to it
                choices=CHECKLIST_RESULTS,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("note"), max_length=500, required=False
            )

    @staticmethod
    def initial_from(inspection) -> dict:
        initial = {
            "version": inspection.version,
            "visited_on": inspection.visited_on,
            "conclusion": inspection.conclusion,
            "summary": inspection.summary,
        }
        for key, item in (inspection.checklist or {}).items():
            initial[f"result_{key}"] = item.get("result", "")
            initial[f"note_{key}"] = item.get("note", "")
        return initial

    def checklist_rows(self):
        return [
            (self[f"result_{key}"], self[f"note_{key}"], label, rule)
            for key, label, rule in CHECKLIST
        ]

    def checklist_data(self) -> dict:
        data = {}
        for key, _label, _rule in CHECKLIST:
            result = self.cleaned_data.get(f"result_{key}")
            if result:
                data[key] = {"result": result, "note": self.cleaned_data.get(f"note_{key}", "")}
        return data


class FindingForm(forms.Form):
    description = forms.CharField(
        label=_("finding"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    severity = forms.ChoiceField(label=_("severity"), choices=FindingSeverity.choices)
    rule = forms.CharField(
        label=_("rule"),
        max_length=20,
        required=False,
        help_text=_("The rule broken, in words (optional)."),
    )
    rectification_required = forms.BooleanField(
        label=_("The enterprise must rectify this"), required=False, initial=True
    )
    rectification = forms.CharField(
        label=_("what must be rectified"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rectify_by = forms.DateField(label=_("rectify by"), widget=DATE, required=False)
    evidence = MultipleFileField(
        label=_("evidence files"),
        help_text=_("PDF, JPEG or PNG; several files may be chosen at once."),
    )


class AnswerForm(VersionedForm):
    response = forms.CharField(
        label=_("what was rectified"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    files = MultipleFileField(
        label=_("rectification evidence"),
        help_text=_("PDF, JPEG or PNG; several files may be chosen at once."),
    )


class CloseFindingForm(VersionedForm):
    note = forms.CharField(
        label=_("bureau's note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnFindingForm(VersionedForm):
    note = forms.CharField(
        label=_("why the rectification is not accepted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    rectify_by = forms.DateField(label=_("new deadline"), widget=DATE, required=False)


class CloseInspectionForm(VersionedForm):
    public_result = forms.CharField(
        label=_("published result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        # R-M1
        help_text=_("Shown on the public page of the draw."),
    )
