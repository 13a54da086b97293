"""Printable documents of filings: data in, PDF bytes out; and the wording they share."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import Filing
from portal.core.pdf import render_pdf

SHORT_LEVEL_NAMES = {
    5: gettext_lazy("Level 5"),
    4: gettext_lazy("Level 4"),
    3: gettext_lazy("Level 3"),
    2: gettext_lazy("Level 2"),
    1: gettext_lazy("Level 1"),
}


def level_range_display(levels: list[int]) -> str:
    """R-M5 level range, from the entry level up: [3, 5, 4] → 五级至三级, [5, 3] → 五级、三级."""
    ordered = sorted({int(level) for level in levels}, reverse=True)
    if not ordered:
        return ""
    names = [str(SHORT_LEVEL_NAMES.get(level, level)) for level in ordered]
    contiguous = ordered[0] - ordered[-1] == len(ordered) - 1
    if len(ordered) > 2 and contiguous:
        return _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
    return "、".join(names)


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
        "issuer": city.name,
        "lines": list(lines),
        "directory_url": settings.PORTAL_BASE_URL + reverse("directory"),
    }
    return render_pdf("pdf/filing_receipt.html", context)


def filing_receipt_filename(filing: Filing) -> str:
    return _("Filing receipt %(number)s.pdf") % {"number": filing.number}
