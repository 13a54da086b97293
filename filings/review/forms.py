"""The reviewers' forms: the district's opinion, the city's experts and decision, an expert's
opinion (R-F5 … R-F7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import Recommendation


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("opinion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("opinion or reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in ("return", "reject") and not cleaned.get("note", "").strip():
            self.add_error(
                "note", _("Say why: the enterprise reads this reason on its filing page.")
            )
        return cleaned


class ExpertOpinionForm(forms.Form):
    visited_on = forms.DateField(
        label=_("on-site evaluation date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    score = forms.IntegerField(label=_("score (0–100)"), min_value=0, max_value=100)
    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("written opinion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class ConfirmationForm(forms.Form):
    """Seed 002 §六(三): a second officer confirms the proposed decision or sends it back."""

    action = forms.ChoiceField(
        label=_("confirmation"),
        choices=[("confirm", _("Confirm and publish")), ("send_back", _("Send back to review"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason for sending back"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "send_back" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the proposed decision is sent back."))
        return cleaned
