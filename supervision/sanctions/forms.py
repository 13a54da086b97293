from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.models import SanctionKind


class CancelFilingForm(forms.Form):
    """R-M2: the city cancels a filing for fraud or organised cheating."""

    enterprise = forms.ModelChoiceField(
        label=_("enterprise"),
        queryset=None,
        error_messages={
            "required": _("choose the enterprise."),
            "invalid_choice": _("choose an enterprise of your city."),
        },
    )
    inspection = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        # R-M2
        error_messages={"required": _("state the fraud or cheating found.")},
        # R-M6
        help_text=_("Published on the public list of sanctions."),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class SanctionReportForm(CancelFilingForm):
    """Seed 004 §四(四): where the province decides removals and bans, the city reports the
    enterprise to the provincial centre with the sanction it proposes."""

    kind = forms.ChoiceField(
        label=_("proposed sanction"),
        choices=SanctionKind.choices,
        initial=SanctionKind.CANCELLED,
        error_messages={"required": _("choose the sanction you propose.")},
    )
    field_order = ["enterprise", "kind", "inspection", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "The provincial centre reads it when deciding; once imposed, it is published on "
            "the public list of sanctions."
        )


class ReportDecisionForm(forms.Form):
    """The provincial centre imposes the reported sanction or declines it."""

    decision = forms.ChoiceField(
        label=_("decision"),
        widget=forms.RadioSelect,
        choices=[
            ("impose", _("Impose the sanction: the ban runs from today")),
            ("decline", _("Decline the sanction")),
        ],
        error_messages={"required": _("choose to impose the sanction or to decline it.")},
    )
    note = forms.CharField(
        label=_("opinion or reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("note", "").strip():
            self.add_error("note", _("say why the sanction is declined."))
        return cleaned
