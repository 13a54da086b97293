from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from filings.models import (
    Enterprise,
    Filing,
    FilingScopeLine,
    MaterialKind,
    Occupation,
    Recommendation,
    WorkType,
)
from filings.services import FILING_FACT_FIELDS
from filings.uploads import check_upload
from portal.core.models import Bureau, BureauLevel

User = get_user_model()
LEVEL_CHOICES = [
    (5, _("Level 5")),
    (4, _("Level 4")),
    (3, _("Level 3")),
    (2, _("Level 2")),
    (1, _("Level 1")),
]


def validate_credit_code(value: str) -> str:
    """GB 32100: 18 characters, the last a check character."""
    code = value.strip().upper()
    if len(code) != 18:
        raise forms.ValidationError(
            _("The unified social credit code has 18 characters; %(n)s were entered."),
            params={"n": len(code)},
        )
    if not uscc.is_valid(code):
        raise forms.ValidationError(
            _(
                "The unified social credit code fails the GB 32100 check: the last character "
                "does not match the first 17; please check for a typing error."
            )
        )
    return code


class VersionedForm(forms.Form):
    """Carries the version the form was rendered from (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class EnterpriseRegistrationForm(forms.ModelForm):
    username = forms.CharField(label=_("user name"), max_length=30)
    email = forms.EmailField(label=_("e-mail for the account"))
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "nature",
            "district",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Bureau.objects.filter(
            level=BureauLevel.DISTRICT
        ).select_related("parent")
        self.fields["district"].label_from_instance = lambda b: (
            f"{b.parent.area_name} {b.area_name}"
        )
        self.fields["nature"].required = True

    def clean_credit_code(self) -> str:
        code = validate_credit_code(self.cleaned_data["credit_code"])
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("An enterprise with this unified social credit code is already registered.")
            )
        return code

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip().replace("-", "").replace(" ", "")
        if not phone.isdigit() or not 7 <= len(phone) <= 12:
            raise forms.ValidationError(
                _("Enter a mobile number (11 digits) or a landline with area code.")
            )
        return phone

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def enterprise_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class FilingForm(forms.ModelForm):
    """The application facts of R-F1 and the form sections of seed 004 附件1."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Filing
        fields = FILING_FACT_FIELDS
        widgets = {
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "situation": forms.Textarea(attrs={"rows": 4}),
            "site_and_equipment": forms.Textarea(attrs={"rows": 3}),
            "staff_and_examiners": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "insured_employees": _("Employees for whom the enterprise pays social insurance."),
            "business_scope": _("As on the business licence."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insured_employees"].required = True
        self.fields["enterprise_size"].required = True
        self.fields["business_scope"].required = True


class ScopeLineForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    occupation = forms.ModelChoiceField(
        label=_("occupation"), queryset=Occupation.objects.all(), empty_label=None
    )
    levels = forms.TypedMultipleChoiceField(
        label=_("levels"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one level (R-F3).")},
    )

    class Meta:
        model = FilingScopeLine
        fields = [
            "occupation",
            "work_type",
            "levels",
            "standard_type",
            "workstations",
            "examiners",
            "applicants",
            "related_to_main_business",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].queryset = WorkType.objects.select_related("occupation")
        self.fields["work_type"].label_from_instance = lambda w: (
            f"{w.occupation.code} {w.occupation.name} — {w.name}"
        )
        self.fields["occupation"].label_from_instance = lambda o: f"{o.code} {o.name}"

    def clean(self):
        cleaned = super().clean()
        occupation, work_type = cleaned.get("occupation"), cleaned.get("work_type")
        if occupation and work_type and work_type.occupation_id != occupation.pk:
            self.add_error(
                "work_type",
                _("“%(work_type)s” is not a work type of %(occupation)s (R-F3).")
                % {"work_type": work_type.name, "occupation": occupation.name},
            )
        if occupation and not work_type and occupation.work_types.exists():
            self.add_error(
                "work_type",
                _("%(occupation)s has work types; choose one (R-F3).")
                % {"occupation": occupation.name},
            )
        return cleaned


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("material"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("file"))

    def clean_file(self):
        """R-F8: type by content and size; the result travels with the form as `checked`."""
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


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


class AssignExpertsForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("experts"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one expert.")},
    )

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = (
            User.objects.filter(membership__role="expert", membership__bureau=city, is_active=True)
            .select_related("membership")
            .order_by("username")
        )
        self.fields["experts"].label_from_instance = lambda u: u.membership.full_name or u.username


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
