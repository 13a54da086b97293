from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.edits import CityDecisionForm
from assessments.models import AssessmentSession, EvaluationScheme, Examiner, ExaminerRole
from filings.levels import LEVEL_CHOICES


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("title"), max_length=100)
    levels = forms.TypedMultipleChoiceField(
        label=_("levels"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one level.")},
    )
    application_conditions = forms.CharField(
        label=_("application conditions, including exceptional ones"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class PlanCreateForm(PlanForm):
    scheme = forms.ModelChoiceField(
        label=_("approved evaluation scheme"), queryset=EvaluationScheme.objects.none()
    )
    field_order = ["scheme", "title", "levels", "application_conditions"]

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["scheme"].label_from_instance = lambda s: (
            f"{s.scope_line.occupation.code} {s.scope_line.occupation.name}"
            + (f"（{s.scope_line.work_type.name}）" if s.scope_line.work_type else "")
            + f" · {_('revision')} {s.revision}"
        )


class SessionForm(forms.ModelForm):
    class Meta:
        model = AssessmentSession
        fields = ["date", "starts_at", "ends_at", "site", "room", "component"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class PlanStaffForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    examiners = forms.ModelMultipleChoiceField(
        label=_("Examiners"),
        queryset=Examiner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    supervisors = forms.ModelMultipleChoiceField(
        label=_("internal quality supervisors"),
        queryset=Examiner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Examiner.objects.filter(enterprise=enterprise, status="active")
        self.fields["examiners"].queryset = people.filter(role=ExaminerRole.EXAMINER)
        self.fields["supervisors"].queryset = people.filter(role=ExaminerRole.SUPERVISOR)
        label = lambda e: f"{e.name}（{e.qualification or e.get_role_display()}）"  # noqa: E731
        self.fields["examiners"].label_from_instance = label
        self.fields["supervisors"].label_from_instance = label


class PlanDecisionForm(CityDecisionForm):
    ACCEPT = ("acknowledge", _("Acknowledge"))
    RETURN_REASON = _("Say why: the enterprise reads this reason on its plan page.")
