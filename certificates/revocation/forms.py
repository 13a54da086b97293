"""Every message names its field (by its label) and its rule (R-K3, R-K5, GB 11643)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rosters.reader.format import RosterRow
from assessments.rosters.reader.rows import _ID_TYPE_ALIASES, _NO_WORK_TYPE, _check_id
from certificates.forms import VersionedForm
from certificates.models import Certificate, ReplacementKind

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


class RevokeForm(VersionedForm):
    reason = forms.CharField(
        label=gettext_lazy("reason, shown publicly"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=gettext_lazy(
            # R-K5
            "Shown to anyone who verifies the certificate: write it for the public."
        ),
        error_messages={
            "required": gettext_lazy(
                # R-K5
                "Say why the certificate is revoked; the public verification shows it."
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
                # R-K1
                "Choose reissue (same facts) or correction (corrected facts)."
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
            # R-K3
            ("holder_name", _("A corrected certificate needs the holder's name.")),
            # R-K3
            ("id_type", _("A corrected certificate needs the ID type.")),
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
                self.add_error("id_number", problem.message)
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
