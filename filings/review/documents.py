"""The filing receipt (R-F7): data in, PDF bytes out."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from filings.models import Filing
from portal.core.pdf import render_pdf


def filing_receipt_pdf(filing: Filing) -> bytes:
    """R-F7: the filing receipt (备案回执, seed 004 §二(二)) issued on approval."""
    enterprise = filing.enterprise
    district = enterprise.district
    city = district.parent
    lines = filing.scope_lines.select_related("occupation", "work_type").order_by("id")
    context = {
        "filing": filing,
        "enterprise": enterprise,
        "district": district,
        "city": city,
        # R-F5: the bureau that decided the filing issues its receipt (a provincial centre for
        # a province-administered enterprise).
        "issuer": (filing.reviewing_bureau or city).name,
        "lines": list(lines),
        # Seed 002 §六(二): the experts' item scores behind the approval.
        "evaluations": [
            row
            for row in filing.expert_assignments.select_related("expert__membership")
            if row.checklist_items and row.submitted_at
        ],
        "directory_url": settings.PORTAL_BASE_URL + reverse("directory"),
    }
    return render_pdf("pdf/filing_receipt.html", context)


def filing_receipt_filename(filing: Filing) -> str:
    return _("Filing receipt %(number)s.pdf") % {"number": filing.number}
