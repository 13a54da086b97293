"""The public verification forms (R-K5)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Generous for what people paste (spaces between groups of digits, full-width characters).
NUMBER_MAX_LENGTH = 64
NAME_MAX_LENGTH = 50


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Certificate number"),
        max_length=NUMBER_MAX_LENGTH,
        help_text=gettext_lazy("22 characters, e.g. Y000044012345264000001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy("Enter the number printed on the certificate (R-K5)."),
            "max_length": gettext_lazy("At most %(limit_value)d characters (R-K5)."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Holder's name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("The full name exactly as printed on the certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy(
                "Enter the holder's full name as printed on the certificate (R-K5)."
            ),
            "max_length": gettext_lazy("At most %(limit_value)d characters (R-K5)."),
        },
    )


class HolderDownloadForm(VerifyForm):
    id_tail = forms.CharField(
        label=gettext_lazy("Last 6 characters of the ID number"),
        max_length=12,
        help_text=gettext_lazy("For a resident ID card, the last 6 characters, e.g. 01123X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": gettext_lazy(
                "Enter the last 6 characters of the ID number printed on the certificate (R-K5)."
            ),
            "max_length": gettext_lazy("Enter exactly 6 characters (R-K5)."),
        },
    )

    def clean_id_tail(self) -> str:
        id_tail = "".join(self.cleaned_data["id_tail"].split())
        if len(id_tail) != 6:
            raise forms.ValidationError(_("Enter exactly 6 characters (R-K5)."))
        return id_tail
