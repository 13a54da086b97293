"""Forms of the annual duties (R-M3, R-M4) and of cancelling a filing (R-M2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.models import EvaluationOutcome


class AnnualReportForm(forms.Form):
    summary = forms.CharField(
        label=_("summary of last year's work"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Assessments organised, people assessed, problems found and how they were fixed."
        ),
    )
    plan = forms.CharField(
        label=_("this year's assessment plan"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Occupations, levels and months of this year's assessments."),
    )
    planned_examinees = forms.IntegerField(
        label=_("examinees planned"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": _("enter a whole number."),
            "min_value": _("it cannot be negative."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=EvaluationOutcome.choices)
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the outcome differs from the suggested one."),
    )
