from django import forms
from django.utils.translation import gettext_lazy

from certificates.forms import CertificateForm
from portal.core.forms import DATE_INPUT


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
