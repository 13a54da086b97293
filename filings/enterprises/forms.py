from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from filings.models import (
    Enterprise,
    InstitutionKind,
)
from portal.core.models import Bureau, BureauLevel

User = get_user_model()


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


class EnterpriseRegistrationForm(forms.ModelForm):
    username = forms.CharField(label=_("user name"), max_length=30)
    email = forms.EmailField(label=_("e-mail for the account"))
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = Enterprise
        fields = [
            "kind",
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
        # R-M7: an enterprise assesses its own staff; a social training evaluation organisation
        # (seed 003 §二) the public. Left out, the institution is an enterprise.
        kind = self.fields["kind"]
        kind.widget = forms.RadioSelect(choices=InstitutionKind.choices)
        kind.required = False
        kind.initial = InstitutionKind.ENTERPRISE
        kind.help_text = _(
            "A social training evaluation organisation (a training institution, industry "
            "association or technical college) assesses members of the public and its students; "
            "an enterprise assesses its own staff."
        )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or InstitutionKind.ENTERPRISE

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
