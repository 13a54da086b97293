"""Builders the annual-report and evaluation tests share."""

import datetime as dt

from tests.support.factories import approved_filing


def long_valid_filing(enterprise, *, approved_on: dt.date):
    """An approved filing of `enterprise`, valid long after the tests' dates."""
    return approved_filing(
        enterprise,
        f"4403{enterprise.pk:08d}",
        approved_on=approved_on,
        valid_until=dt.date(2099, 1, 9),
    )
