"""Forms of the examiner register; every message names its rule (R-P5 ID numbers, R-C3)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from assessments.examiners.services import EXAMINER_FIELDS
from assessments.models import Examiner, ExaminerScope
from filings.models import LEVEL_NAMES
from portal.core.masking import mask_id


def validate_id_number(value: str) -> str:
    """GB 11643: 18 characters, 17 digits and a check character (digit or X), a real birth date
    and a region code (R-P5)."""
    number = ric.compact(value)
    if len(number) != 18:
        raise forms.ValidationError(
            # R-P5
            _("A resident ID number has 18 characters; %(n)s were entered."),
            params={"n": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise forms.ValidationError(
            # R-P5
            _("A resident ID number is 17 digits followed by a digit or X.")
        )
    if number[-1] != ric.calc_check_digit(number):
        raise forms.ValidationError(
            _(
                # GB 11643 check character, R-P5
                "The ID number does not check out: the last character does not match the "
                "first 17; please check for a typing error."
            )
        )
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        born = None
    if born is None or born > timezone.localdate() or born < dt.date(1900, 1, 1):
        raise forms.ValidationError(
            # R-P5
            _("Characters 7 to 14 of the ID number are not a valid date of birth.")
        )
    try:
        ric.get_birth_place(number)
    except stdnum_errors.ValidationError:
        raise forms.ValidationError(
            # R-P5
            _("The first 6 digits of the ID number are not a region code.")
        ) from None
    return number


class ExaminerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Examiner
        fields = EXAMINER_FIELDS
        # "ID number" alone reads 证件号 in the roster's words; the register takes resident IDs.
        labels = {"name": _("full name"), "id_number": _("resident ID number")}
        help_texts = {
            "id_number": _("Resident ID number, 18 characters (GB 11643)."),
            "qualification": _("E.g. examiner certificate, skill level or technical title."),
        }
        error_messages = {
            "role": {
                # R-C3
                "required": _("Choose examiner or internal quality supervisor."),
                # R-C3
                "invalid_choice": _("Choose examiner or internal quality supervisor."),
            },
            "name": {
                # R-C3
                "required": _("Enter the person's name."),
                # R-C3
                "max_length": _("At most %(limit_value)d characters."),
            },
            "id_number": {
                # R-P5
                "required": _("Enter the resident ID number."),
            },
            # R-C3
            "phone": {"max_length": _("At most %(limit_value)d characters.")},
            # R-C3
            "qualification": {"max_length": _("At most %(limit_value)d characters.")},
            # R-C3
            "certificate_number": {"max_length": _("At most %(limit_value)d characters.")},
        }

    def __init__(self, *args, keep_id_number: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["id_number"]
        # The length is checked by the GB 11643 rule with its own message, after cleaning.
        field.max_length = None
        field.validators = []
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["autocomplete"] = "off"
        # Editing: the stored number is never put in the page (PIPL); empty keeps it.
        self.keep_id_number = keep_id_number
        if keep_id_number:
            self.initial["id_number"] = ""
            field.required = False
            field.help_text = _(
                "Leave empty to keep %(masked)s; type the whole number to change it."
            ) % {"masked": mask_id(keep_id_number)}

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        if self.keep_id_number and not value.strip():
            return self.keep_id_number
        return validate_id_number(value)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip().replace("-", "").replace(" ", "")
        if phone and (not phone.isdigit() or not 7 <= len(phone) <= 12):
            raise forms.ValidationError(
                # R-C3
                _("Enter a mobile number (11 digits) or a landline with area code.")
            )
        return phone

    def examiner_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in EXAMINER_FIELDS}


class ExaminerScopeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    highest_level = forms.TypedChoiceField(
        label=_("highest level assessed"),
        coerce=int,
        choices=[(level, LEVEL_NAMES[level]) for level in (5, 4, 3, 2, 1)],
        initial=3,
        help_text=_(
            "Level 1 is the highest: a person cleared up to level 3 assesses levels 3, 4 and 5."
        ),
        error_messages={
            # R-P1
            "required": _("Choose the highest level the person may assess."),
            # R-P1
            "invalid_choice": _("Choose a level from 5 to 1."),
        },
    )

    class Meta:
        model = ExaminerScope
        fields = ["occupation", "highest_level"]
        error_messages = {
            "occupation": {
                # R-P1
                "required": _("Choose an occupation of the enterprise's filing scope."),
                "invalid_choice": _(
                    # R-P1
                    "Choose an occupation of the enterprise's filing scope."
                ),
            },
        }

    def __init__(self, *args, occupations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = occupations
        self.fields["occupation"].label = _("occupation")
        self.fields["occupation"].empty_label = None
        self.fields["occupation"].label_from_instance = lambda o: f"{o.code} {o.name}"
        self.fields["occupation"].help_text = _(
            "Occupations in the scope of the enterprise's filings."
        )


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("revoked on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            # R-C3
            "required": _("Enter the date of the revocation."),
            # R-C3
            "invalid": _("Enter a date such as 2026-03-01."),
        },
    )
    reason = forms.CharField(
        label=_("reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        # R-C3
        help_text=_("Misconduct, or two or more lapses of duty."),
        error_messages={
            # R-C3
            "required": _("Give the reason for the revocation."),
            # R-C3
            "max_length": _("At most %(limit_value)d characters."),
        },
    )
