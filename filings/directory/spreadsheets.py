"""Excel files of filings: rows in, bytes out."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from filings.levels import level_range_display
from filings.models import Enterprise, Filing
from portal.core.xlsx import workbook_bytes


def directory_headers() -> list[str]:
    return [
        _("Filing number"),
        _("Enterprise name"),
        _("District"),
        _("Address"),
        _("Contact person"),
        _("Contact phone"),
        _("Occupation code"),
        _("Occupation name"),
        _("Work type"),
        _("Levels"),
        _("Valid until"),
        str(Enterprise._meta.get_field("kind").verbose_name),
    ]


def directory_rows(filings: Iterable[Filing]) -> Iterator[list]:
    """One row per filed occupation and work type, so the sheet filters by occupation."""
    for filing in filings:
        enterprise = filing.enterprise
        district = enterprise.district
        head = [
            filing.number,
            enterprise.name,
            f"{district.parent.area_name} {district.area_name}",
            enterprise.address,
            enterprise.contact_name,
            enterprise.contact_phone,
        ]
        for line in filing.scope_lines.all():
            yield [
                *head,
                line.occupation.code,
                line.occupation.name,
                line.work_type.name if line.work_type else "--",
                level_range_display(line.levels),
                filing.valid_until,
                enterprise.get_kind_display(),
            ]


def directory_xlsx(filings: Iterable[Filing]) -> bytes:
    """R-M5: the public directory as an Excel file, the filters of the page applied."""
    return workbook_bytes(
        title=_("Directory of filed enterprises"),
        headers=directory_headers(),
        rows=directory_rows(filings),
        widths=[16, 36, 16, 40, 10, 16, 14, 24, 18, 16, 12, 20],
    )
