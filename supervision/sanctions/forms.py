from django import forms
from django.utils.translation import gettext_lazy as _


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
        error_messages={"required": _("state the fraud or cheating found (R-M2).")},
        help_text=_("Published on the public list of sanctions (R-M6)."),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
