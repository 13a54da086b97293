from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import RosterEntry


class ObjectionForm(forms.Form):
    """R-R1: an objection raised during the publicity, as the enterprise received it."""

    raised_by = forms.CharField(
        label=_("raised by"),
        max_length=50,
        help_text=_("The person or department that raised the objection."),
    )
    entry = forms.ModelChoiceField(
        label=_("examinee concerned"),
        queryset=RosterEntry.objects.none(),
        required=False,
        empty_label=_("— not about one examinee —"),
    )
    content = forms.CharField(
        label=_("objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = RosterEntry.objects.filter(plan=plan).order_by("seq")
        self.fields["entry"].label_from_instance = lambda e: f"{e.seq}. {e.name}"


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("resolution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What was checked, what was decided, and whether a result changed."),
    )


class ResultDecisionForm(forms.Form):
    """R-R2: the city approves the result filing or returns it for correction."""

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("approve", _("Approve the result filing")),
            ("return", _("Return for correction")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("opinion or reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("note", "").strip():
            self.add_error(
                "note",
                _("Say what must be corrected: the enterprise reads it on its results page."),
            )
        return cleaned
