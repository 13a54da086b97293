"""The public verification forms (R-K5)."""

import unicodedata

from django import forms
from django.conf import settings
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
            # R-K5
            "required": gettext_lazy("Enter the number printed on the certificate."),
            # R-K5
            "max_length": gettext_lazy("At most %(limit_value)d characters."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Holder's name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("The full name exactly as printed on the certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy(
                # R-K5
                "Enter the holder's full name as printed on the certificate."
            ),
            # R-K5
            "max_length": gettext_lazy("At most %(limit_value)d characters."),
        },
    )


# Shorter than any ID document number: someone typing the last characters only, as the form
# once asked. Refused before any certificate is looked at, so it is not counted as a failure.
ID_NUMBER_MIN_LENGTH = 8
ID_NUMBER_MAX_LENGTH = 18


class HolderDownloadForm(VerifyForm):
    """The holder proves who they are by the full ID number: the public verification answer
    shows only its first and last character, so it cannot be completed by guessing."""

    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=40,  # room for spaces between groups of digits
        help_text=gettext_lazy(
            "The full number of the ID document printed on the certificate, all 18 characters "
            "for a resident ID card."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            # R-K5
            "required": gettext_lazy("Enter the full ID number printed on the certificate."),
            # R-K5
            "max_length": gettext_lazy("At most %(limit_value)d characters."),
        },
    )

    def clean_id_number(self) -> str:
        typed = unicodedata.normalize("NFKC", self.cleaned_data["id_number"])
        id_number = "".join(typed.split()).upper()
        if len(id_number) < ID_NUMBER_MIN_LENGTH:
            raise forms.ValidationError(
                _(
                    # R-K5
                    "Enter the full ID number printed on the certificate, not only its last "
                    "characters."
                )
            )
        if len(id_number) > ID_NUMBER_MAX_LENGTH:
            raise forms.ValidationError(
                # R-K5
                _("An ID number has at most %(limit)d characters.")
                % {"limit": ID_NUMBER_MAX_LENGTH}
            )
        return id_number


class VerifyFileForm(forms.Form):
    """Verify a file: a certificate PDF, refused unread when larger than the limit."""

    file = forms.FileField(
        label=gettext_lazy("Certificate PDF"),
        help_text=gettext_lazy("The PDF of the certificate as the holder received it."),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": gettext_lazy("Choose the certificate's PDF file.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VERIFY_FILE_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload


def too_large_message() -> str:
    return _(
        "The file is larger than %(limit)s MB and was not read. A certificate PDF of this "
        "portal is far smaller: check that you chose the right file."
    ) % {"limit": settings.VERIFY_FILE_MAX_BYTES // (1024 * 1024) or 1}
