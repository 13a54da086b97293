"""Revoking (R-K5), reissuing and correcting a certificate: the city or the enterprise revokes;
only the enterprise reissues and corrects."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateStatus
from certificates.records.labels import STATUS_LABELS, decorate
from certificates.records.permissions import REVOKING_ROLES, access_certificate
from certificates.revocation import services
from certificates.revocation.forms import ID_TYPES, ReplaceForm, RevokeForm
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import keep_input_after_stale_edit, report_refusal
from portal.core.models import Role


def _change_page(
    request: HttpRequest,
    certificate: Certificate,
    *,
    form_class,
    initial: dict,
    change: Callable[[dict], HttpResponse],
    template: str,
    context: dict,
) -> HttpResponse:
    """The form of a change to a valid certificate: `change` gets the cleaned data, applies the
    change and answers with the page to go to; a refusal keeps the form on the page."""
    if request.method != "POST":
        if certificate.status != CertificateStatus.VALID:
            messages.error(
                request,
                _("Certificate %(number)s is “%(status)s”; only a valid certificate can change.")
                % {"number": certificate.number, "status": STATUS_LABELS[certificate.status]},
            )
            return redirect("certificate_detail", pk=certificate.pk)
        form = form_class(initial=initial)
    else:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                return change(form)
            except ServiceError as error:
                report_refusal(request, error)
                if isinstance(error, StaleEdit):
                    certificate.refresh_from_db()
                    keep_input_after_stale_edit(form, certificate)
    return render(
        request, template, {"certificate": decorate([certificate])[0], "form": form, **context}
    )


@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk, roles=REVOKING_ROLES)

    def revoke(form) -> HttpResponse:
        services.certificate_revoke(
            certificate=certificate,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"] or 0,
        )
        messages.success(
            request,
            _("Certificate %(number)s is revoked; its verification now says so.")
            % {"number": certificate.number},
        )
        return redirect("certificate_detail", pk=certificate.pk)

    return _change_page(
        request,
        certificate,
        form_class=RevokeForm,
        initial={"version": certificate.version},
        change=revoke,
        template="certificates/revoke.html",
        context={},
    )


@login_required
def certificate_replace(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk, roles={Role.ENTERPRISE})

    def replace(form) -> HttpResponse:
        new = services.certificate_replace(
            certificate=certificate,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            corrections=form.corrections(),
            expected_version=form.cleaned_data["version"] or 0,
        )
        messages.success(
            request,
            _("Certificate %(old)s is replaced by the new certificate %(new)s.")
            % {"old": certificate.number, "new": new.number},
        )
        return redirect("certificate_detail", pk=new.pk)

    return _change_page(
        request,
        certificate,
        form_class=ReplaceForm,
        initial=ReplaceForm.initial_for(certificate),
        change=replace,
        template="certificates/replace.html",
        context={"id_types": ID_TYPES},
    )
