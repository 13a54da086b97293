"""Every message names its field (by the label shown with it) and its rule (R-K2)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.forms import VersionedForm
from certificates.numbering.numbers import normalise
from filings.models import InstitutionKind

# GB/T 2260: the first two digits of the provinces, autonomous regions, municipalities and
# special administrative regions.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82"}
)


class PrefixForm(VersionedForm):
    """R-K2: the first 13 characters of the enterprise's certificate numbers."""

    category = forms.ChoiceField(
        label=gettext_lazy("category letter"),
        choices=[
            (InstitutionKind.ENTERPRISE, gettext_lazy("Y — employer")),
            (InstitutionKind.SOCIAL_TRAINING_ORG, gettext_lazy("S — social training organisation")),
        ],
        error_messages={
            "required": gettext_lazy(
                # R-K2
                "Choose Y (employer) or S (social training organisation)."
            ),
            "invalid_choice": gettext_lazy(
                # R-K2
                "Y (employer) or S (social training organisation), nothing else."
            ),
        },
    )
    institution_code = forms.CharField(
        label=gettext_lazy("institution code"),
        max_length=10,
        help_text=gettext_lazy(
            "4 digits; 0000 when the institution was first filed with a province."
        ),
    )
    province_code = forms.CharField(
        label=gettext_lazy("province code"),
        max_length=10,
        help_text=gettext_lazy("2 digits, e.g. 44 for Guangdong."),
    )
    site_serial = forms.CharField(
        label=gettext_lazy("site serial"),
        max_length=20,
        help_text=gettext_lazy("6 digits, given by the provincial department."),
    )

    DIGITS = {"institution_code": 4, "province_code": 2, "site_serial": 6}

    def __init__(self, *args, kind: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # R-M7: the letter follows the institution's kind, chosen at registration.
        self.kind = kind
        if kind is not None:
            self.initial["category"] = kind
            self.fields["category"].help_text = _(
                "Follows the kind of institution chosen at registration."
            )
        for name in self.DIGITS:
            self.fields[name].error_messages["required"] = self._digits_message(name)

    def _digits_message(self, name: str, value: str | None = None) -> str:
        count = self.DIGITS[name]
        if value is None:
            # R-K2
            return _("Enter %(count)s digits.") % {"count": count}
        # R-K2
        return _("“%(value)s” is not %(count)s digits.") % {"value": value, "count": count}

    def _digits(self, name: str) -> str:
        value = normalise(self.cleaned_data[name])
        if len(value) != self.DIGITS[name] or not value.isascii() or not value.isdigit():
            raise forms.ValidationError(self._digits_message(name, value))
        return value

    def clean_category(self) -> str:
        value = self.cleaned_data["category"]
        if self.kind is not None and value != self.kind:
            raise forms.ValidationError(
                _(
                    "The institution is registered as %(kind)s: its letter is %(letter)s, not "
                    "%(value)s."
                )
                % {
                    "kind": InstitutionKind(self.kind).label,
                    "letter": self.kind,
                    "value": value,
                }
            )
        return value

    def clean_institution_code(self) -> str:
        return self._digits("institution_code")

    def clean_province_code(self) -> str:
        value = self._digits("province_code")
        if value not in PROVINCE_CODES:
            raise forms.ValidationError(
                _(
                    # R-K2
                    "“%(value)s” is not a province code of GB/T 2260, such as 44 for Guangdong."
                )
                % {"value": value}
            )
        return value

    def clean_site_serial(self) -> str:
        return self._digits("site_serial")

    def prefix_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("category", *self.DIGITS)}
