from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.edits import CityDecisionForm
from assessments.models import (
    AssessmentSession,
    EvaluationScheme,
    Examiner,
    ExaminerRole,
    SessionInvigilator,
)
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


class InvigilatorForm(forms.ModelForm):
    """Seed 004 §三(一): an invigilator of one session, from the register or by name."""

    class Meta:
        model = SessionInvigilator
        fields = ["session", "examiner", "name", "organisation", "phone"]
        help_texts = {
            "examiner": _("Choose from the register, or leave empty and type the name below."),
            "organisation": _("e.g. 人力资源部 培训主管"),
        }

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = plan.sessions.all()
        self.fields["session"].empty_label = None
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.date:%Y-%m-%d} {s.starts_at:%H:%M}–{s.ends_at:%H:%M} {s.site} {s.room}".strip()
        )
        self.fields["examiner"].queryset = Examiner.objects.filter(
            enterprise=plan.enterprise, status="active"
        )
        self.fields["examiner"].label_from_instance = lambda e: (
            f"{e.name}（{e.qualification or e.get_role_display()}）"
        )
        self.fields["name"].required = False
        self.fields["session"].error_messages["required"] = _(
            "Choose the session the invigilator watches."
        )

    # The service refuses the same person twice with the session named (the constraint's
    # generic message would not).
    def validate_unique(self) -> None:
        return

    def validate_constraints(self) -> None:
        return

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip().replace("-", "").replace(" ", "")
        if phone and (not phone.isdigit() or not 7 <= len(phone) <= 12):
            raise forms.ValidationError(
                _("“%(field)s” must be a mobile number (11 digits) or a landline with area code.")
                % {"field": self.fields["phone"].label}
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("examiner") and not (cleaned.get("name") or "").strip():
            self.add_error(
                "name",
                _("Choose the invigilator from the register or enter “%(field)s”.")
                % {"field": self.fields["name"].label},
            )
        return cleaned


class PlanDecisionForm(CityDecisionForm):
    ACCEPT = ("acknowledge", _("Acknowledge"))
    RETURN_REASON = _("Say why: the enterprise reads this reason on its plan page.")
