from django import forms
from django.utils.translation import gettext_lazy

from certificates.forms import CertificateForm
from portal.core.forms import DATE_INPUT


class IssueForm(CertificateForm):
    issued_on = forms.DateField(
        label=gettext_lazy("issue date"),
        widget=DATE_INPUT,
        help_text=gettext_lazy(
            # R-K2
            "Printed on every certificate; its year is the year in the certificate numbers."
        ),
        error_messages={
            # R-K3
            "required": gettext_lazy("Enter the date printed on the certificates."),
            # R-K3
            "invalid": gettext_lazy("Enter a date like 2026-11-20."),
        },
    )
