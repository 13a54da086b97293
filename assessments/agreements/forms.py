"""Forms of the agreement pages: the terms the evaluating enterprise drafts, the document it
uploads, the reason a return gives."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.schemes.selectors import approved_schemes_for
from filings.levels import LEVEL_CHOICES
from filings.models import Enterprise
from filings.uploads import check_upload

DATE_ERRORS = {
    "required": _("Required: write the date like 2027-01-15."),
    "invalid": _("Not a date: write it like 2027-01-15."),
}


class SchemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        line = obj.scope_line
        work_type = f"（{line.work_type.name}）" if line.work_type_id else ""
        return f"{line.occupation.code} {line.occupation.name}{work_type}"


class AgreementForm(forms.Form):
    """The terms of an agreement. The client is named by its unified social credit code and
    must be registered on the portal."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client = forms.CharField(
        label=_("client enterprise's unified social credit code"),
        max_length=18,
        error_messages={"required": _("Required: the client's unified social credit code.")},
        help_text=_("The client enterprise must be registered on the portal."),
    )
    schemes = SchemeChoiceField(
        label=_("evaluation schemes (occupations)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one of your approved evaluation schemes."),
            "invalid_choice": _("Choose the evaluation schemes from the list."),
        },
    )
    levels = forms.TypedMultipleChoiceField(
        label=_("levels"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one level the agreement covers."),
            "invalid_choice": _("Choose levels among 5 to 1."),
        },
    )
    valid_from = forms.DateField(label=_("valid from"), error_messages=DATE_ERRORS)
    valid_until = forms.DateField(label=_("valid until"), error_messages=DATE_ERRORS)
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, evaluator: Enterprise, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                "client": instance.client.credit_code,
                "schemes": list(instance.schemes.values_list("pk", flat=True)),
                "levels": instance.levels,
                "valid_from": instance.valid_from,
                "valid_until": instance.valid_until,
                "note": instance.note,
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        self.fields["schemes"].queryset = approved_schemes_for(enterprise=evaluator)

    def clean_client(self) -> Enterprise:
        code = self.cleaned_data["client"].strip().upper()
        client = Enterprise.objects.filter(credit_code=code).first()
        if client is None:
            raise forms.ValidationError(
                _(
                    "No enterprise with the unified social credit code “%(code)s” is registered "
                    "on the portal; the client enterprise must register first."
                )
                % {"code": code}
            )
        return client


class AgreementDocumentForm(forms.Form):
    file = forms.FileField(label=_("signed agreement (PDF, JPEG or PNG)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload, field=_("the agreement document"))
        return upload


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for returning the agreement.")},
    )
