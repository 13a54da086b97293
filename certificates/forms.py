"""Forms of the certificate pages; every message names its field (by the label shown with it)
and its rule (R-K1 … R-K5, GB 11643)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rosters.reader.format import RosterRow
from assessments.rosters.reader.rows import _ID_TYPE_ALIASES, _NO_WORK_TYPE, _check_id
from certificates.models import Certificate, ReplacementKind
from certificates.numbering import normalise
from filings.models import InstitutionKind
from portal.core.forms import DATE_INPUT

# The usual identity documents of examinees; a certificate may carry another, kept as it is.
ID_TYPES = (
    "居民身份证",
    "港澳台居民居住证",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "外国人永久居留身份证",
    "护照",
)
ID_NUMBER_MAX = Certificate._meta.get_field("id_number").max_length
# GB/T 2260: the first two digits of the provinces, autonomous regions, municipalities and
# special administrative regions.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82"}
)


class CertificateForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        # Labels stand on their own line above the input; a trailing colon adds nothing.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(CertificateForm):
    """`version` is the one of the record the form was rendered from (stale edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def keep_input_at(self, version: int) -> None:
        """After a stale edit: the user's input stays, the next save compares with `version`."""
        self.data = self.data.copy()
        self.data["version"] = version


class IssueForm(CertificateForm):
    issued_on = forms.DateField(
        label=gettext_lazy("issue date"),
        widget=DATE_INPUT,
        help_text=gettext_lazy(
            "Printed on every certificate; its year is the year in the certificate numbers (R-K2)."
        ),
        error_messages={
            "required": gettext_lazy("Enter the date printed on the certificates (R-K3)."),
            "invalid": gettext_lazy("Enter a date like 2026-11-20 (R-K3)."),
        },
    )


class RevokeForm(VersionedForm):
    reason = forms.CharField(
        label=gettext_lazy("reason, shown publicly"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=gettext_lazy(
            "Shown to anyone who verifies the certificate (R-K5): write it for the public."
        ),
        error_messages={
            "required": gettext_lazy(
                "Say why the certificate is revoked; the public verification shows it (R-K5)."
            )
        },
    )


class ReplaceForm(VersionedForm):
    """补办 keeps the printed facts; 更正 changes the name, ID type, ID number or work type."""

    kind = forms.ChoiceField(
        label=gettext_lazy("reissue or correction"),
        choices=[
            (ReplacementKind.REISSUE, gettext_lazy("Reissue (补办): the same facts, a new number")),
            (
                ReplacementKind.CORRECTION,
                gettext_lazy("Correction (更正): the corrected facts, a new number"),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Choose reissue (same facts) or correction (corrected facts) (R-K1)."
            )
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": gettext_lazy(
                "Say why the certificate is reissued or corrected; it is kept in its history."
            )
        },
    )
    holder_name = forms.CharField(
        label=gettext_lazy("full name"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("Correction only: the fields as they must be printed."),
    )
    id_type = forms.CharField(
        label=gettext_lazy("ID type"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"list": "id-types"}),
    )
    # Never pre-filled: the page would show the full number (PIPL). Empty keeps the printed one.
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Correction only: leave empty to keep the printed ID number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    work_type_name = forms.CharField(
        label=gettext_lazy("work type"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Leave empty when the occupation has no work type (printed --)."),
    )

    CORRECTED = ("holder_name", "id_type", "id_number", "work_type_name")

    @classmethod
    def initial_for(cls, certificate: Certificate) -> dict:
        values = {name: getattr(certificate, name) for name in cls.CORRECTED if name != "id_number"}
        return values | {"kind": ReplacementKind.REISSUE, "version": certificate.version}

    def clean_holder_name(self) -> str:
        return " ".join(self.cleaned_data["holder_name"].split())

    def clean_id_type(self) -> str:
        value = self.cleaned_data["id_type"].strip()
        return _ID_TYPE_ALIASES.get(value, value)

    def clean_work_type_name(self) -> str:
        value = self.cleaned_data["work_type_name"].strip()
        return "" if value in _NO_WORK_TYPE else value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") != ReplacementKind.CORRECTION:
            return data
        for name, message in (
            ("holder_name", _("A corrected certificate needs the holder's name (R-K3).")),
            ("id_type", _("A corrected certificate needs the ID type (R-K3).")),
        ):
            if name not in self.errors and not data.get(name):
                self.add_error(name, message)
        if (
            data.get("id_number")
            and "id_number" not in self.errors
            and "id_type" not in self.errors
        ):
            # The roster's own check (GB 11643 via python-stdnum cn.ric), so that a corrected
            # certificate meets the rule its roster entry had to meet (R-P5).
            row = RosterRow(row=0, cells=[], values={"id_type": data.get("id_type", "")})
            _check_id(row, data.get("id_number", ""))
            for problem in row.problems:
                self.add_error("id_number", problem.reason)
            number = row.values["id_number"]
            if not row.problems and len(number) > ID_NUMBER_MAX:
                self.add_error(
                    "id_number",
                    _("%(length)s characters; at most %(limit)s are allowed.")
                    % {"length": len(number), "limit": ID_NUMBER_MAX},
                )
            data["id_number"] = number
        return data

    def corrections(self) -> dict:
        corrections = {name: self.cleaned_data[name] for name in self.CORRECTED}
        if not corrections["id_number"]:
            del corrections["id_number"]  # kept as printed
        return corrections


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
                "Choose Y (employer) or S (social training organisation) (R-K2)."
            ),
            "invalid_choice": gettext_lazy(
                "Y (employer) or S (social training organisation), nothing else (R-K2)."
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DIGITS:
            self.fields[name].error_messages["required"] = self._digits_message(name)

    def _digits_message(self, name: str, value: str | None = None) -> str:
        count = self.DIGITS[name]
        if value is None:
            return _("Enter %(count)s digits (R-K2).") % {"count": count}
        return _("“%(value)s” is not %(count)s digits (R-K2).") % {"value": value, "count": count}

    def _digits(self, name: str) -> str:
        value = normalise(self.cleaned_data[name])
        if len(value) != self.DIGITS[name] or not value.isascii() or not value.isdigit():
            raise forms.ValidationError(self._digits_message(name, value))
        return value

    def clean_institution_code(self) -> str:
        return self._digits("institution_code")

    def clean_province_code(self) -> str:
        value = self._digits("province_code")
        if value not in PROVINCE_CODES:
            raise forms.ValidationError(
                _(
                    "“%(value)s” is not a province code of GB/T 2260, such as 44 for Guangdong "
                    "(R-K2)."
                )
                % {"value": value}
            )
        return value

    def clean_site_serial(self) -> str:
        return self._digits("site_serial")

    def prefix_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("category", *self.DIGITS)}
