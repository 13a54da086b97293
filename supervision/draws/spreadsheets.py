"""The coverage list as Excel (R-M1): rows in, bytes out."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.xlsx import workbook_bytes


def coverage_workbook(*, rows, year: int, with_city: bool = False) -> bytes:
    """One line per filed enterprise, the not yet inspected first (the order of the page); a
    province's workbook names each enterprise's city before its district."""
    headers = [
        _("Enterprise"),
        _("unified social credit code"),
        _("District"),
        _("Inspected in %(year)s") % {"year": year},
        _("Draw batch"),
        _("Drawn on"),
        _("Inspection status"),
    ]
    lines = []
    for row in rows:
        enterprise = row.enterprise
        district = enterprise.district
        place = f"{district.parent.area_name} · {district.area_name}" if with_city else None
        base = [enterprise.name, enterprise.credit_code, place or district.area_name]
        if not row.inspected:
            lines.append([*base, _("not inspected yet"), "", None, ""])
            continue
        for inspection in row.inspections:
            lines.append(
                [
                    *base,
                    _("yes"),
                    inspection.draw.title,
                    timezone.localdate(inspection.draw.drawn_at),
                    inspection.get_status_display(),
                ]
            )
    return workbook_bytes(
        title=_("Coverage %(year)s") % {"year": year},
        headers=headers,
        rows=lines,
        widths=[40, 22, 12, 12, 30, 12, 14],
    )
