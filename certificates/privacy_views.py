"""Full ID numbers of certificate holders, a deliberate and audited action (PIPL, issue 6).

Who may: portal.core.privacy says it once. The holder's own certificate prints the full number
(R-K3); every other page shows it masked.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates import services
from certificates.permissions import access_certificate, access_report
from certificates.views import report_filename
from portal.core.privacy import full_export_page, may_see_full_ids, reveal_page
from portal.core.xlsx import xlsx_response


@login_required
def certificate_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk)
    if not may_see_full_ids(request.user):
        raise Http404
    return reveal_page(
        request,
        person=certificate,
        name=certificate.holder_name,
        context=certificate.number,
        back_url=reverse("certificate_detail", args=[certificate.pk]),
    )


@login_required
def report_download_full(request: HttpRequest, pk: int) -> HttpResponse:
    """R-K4: the file for the provincial system, with full ID numbers; the enterprise uploads
    it, so only the enterprise downloads it in full."""
    report = access_report(user=request.user, report_id=pk, roles=("enterprise",))
    return full_export_page(
        request,
        obj=report,
        title=_("Certificate data with full ID numbers, for the provincial system"),
        what=_("certificate report"),
        back_url=reverse("certificate_report_list"),
        make_file=lambda: xlsx_response(
            services.report_file_full(report=report), filename=report_filename(report)
        ),
    )
