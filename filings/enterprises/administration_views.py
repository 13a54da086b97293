"""The page where a city or province sets an enterprise's administration level and its place on
the provincial pilot list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from filings.enterprises.administration import (
    AdministrationForm,
    access_enterprise_administration,
    enterprise_administration_update,
)
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal


@login_required
def enterprise_administration(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise, bureau = access_enterprise_administration(user=request.user, enterprise_id=pk)
    form = AdministrationForm(request.POST or None, enterprise=enterprise, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        try:
            changes = enterprise_administration_update(
                enterprise=enterprise,
                bureau=bureau,
                actor=request.user,
                values=form.values(),
                seen=form.seen(),
            )
        except ServiceError as error:
            # The form keeps the input, now against the values stored: saving again is a choice.
            enterprise.refresh_from_db()
            data = request.POST.copy()
            data["was_level"] = enterprise.administration_level
            data["was_pilot"] = "1" if enterprise.on_pilot_list else ""
            form = AdministrationForm(data, enterprise=enterprise, bureau=bureau)
            form.is_valid()
            report_refusal(request, error, form=form)
        else:
            if changes:
                for label, before, after in changes:
                    messages.success(request, f"{label}：{before} → {after}")
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("enterprise_detail", pk=enterprise.pk)
    context = {"form": form, "enterprise": enterprise, "bureau": bureau}
    return render(request, "filings/enterprise_administration.html", context)
