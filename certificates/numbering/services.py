"""R-K2: the enterprise's number prefix and the new numbers it gives."""

import datetime as dt
from itertools import groupby

from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import (
    NumberingPrefix,
)
from certificates.numbering import numbers as numbering
from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.errors import ServiceError, StaleEdit

# Numbering prefixes -------------------------------------------------------------------------


def prefix_set(
    *,
    enterprise: Enterprise,
    actor,
    institution_code: str,
    province_code: str,
    site_serial: str,
    expected_version: int | None = None,
    category: str | None = None,
) -> NumberingPrefix:
    """R-K2: the city sets (or changes) an enterprise's prefix; issued numbers never change. The
    category letter is the institution's kind (Y enterprise, S social training organisation,
    R-M7): a `category` given must be that one."""
    if category is not None and category != enterprise.kind:
        raise ServiceError(
            _(
                "The category letter of %(name)s is %(letter)s (%(kind)s): it follows the kind of "
                "institution chosen at registration."
            )
            % {
                "name": enterprise.name,
                "letter": enterprise.kind,
                "kind": enterprise.get_kind_display(),
            }
        )
    with transaction.atomic():
        prefix = NumberingPrefix.objects.select_for_update().filter(enterprise=enterprise).first()
        if prefix is None:
            prefix = NumberingPrefix(enterprise=enterprise)
        elif expected_version is not None and prefix.version != expected_version:
            raise StaleEdit()
        else:
            prefix.version += 1
        before = prefix.prefix if prefix.pk else ""
        prefix.category = enterprise.kind
        prefix.institution_code = institution_code
        prefix.province_code = province_code
        prefix.site_serial = site_serial
        prefix.updated_by = actor
        prefix.save()
        audit_record(
            obj=enterprise,
            actor=actor,
            action="certificate_prefix_set",
            note=f"{before} → {prefix.prefix}" if before else prefix.prefix,
        )
        return prefix


def new_numbers(prefix: NumberingPrefix, enterprise_id: int, issued_on: dt.date, levels: list[int]):
    """One new number per level given (in that order), consecutive within each level."""
    numbers: list[str | None] = [None] * len(levels)
    order = sorted(range(len(levels)), key=lambda i: levels[i])
    for level, positions in groupby(order, key=lambda i: levels[i]):
        positions = list(positions)
        first = numbering.allocate_serials(
            enterprise_id=enterprise_id, year=issued_on.year, level=level, count=len(positions)
        )
        for offset, position in enumerate(positions):
            numbers[position] = numbering.format_number(
                prefix.prefix, issued_on.year, level, first + offset
            )
    return numbers
