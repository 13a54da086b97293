from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.edits import CityDecisionForm
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


class ResultDecisionForm(CityDecisionForm):
    """R-R2: the city approves the result filing or returns it for correction."""

    ACCEPT = ("approve", _("Approve the result filing"))
    RETURN_REASON = _("Say what must be corrected: the enterprise reads it on its results page.")


class ProvinceResultDecisionForm(CityDecisionForm):
    """Seed 004 §三(三): after the city, the provincial centre approves the results or returns
    them to the enterprise for correction."""

    ACCEPT = ("approve", _("Approve the results: certificates may be issued"))
    RETURN_REASON = _("Say what must be corrected: the enterprise reads it on its results page.")
