"""R-M4: when the year-start annual report is due. Each jurisdiction may set its own day (policy
value annual_report_due, "MM-DD"); where none does, the setting ANNUAL_REPORT_DUE applies
(checked by portal.env.check_month_day when the settings are read)."""

import datetime as dt
from collections.abc import Iterable

from filings.eligibility import policy_for
from filings.models import Enterprise
from portal.core.models import Bureau
from portal.core.policy import effective_policy, policies_by_bureau
from portal.env import check_month_day


def owes_report_since(year: int) -> dt.date:
    """R-M4: the report of `year` summarises the year before, so it is owed by enterprises whose
    filing was approved before `year` began (one filed in November reports the next year)."""
    return dt.date(year, 1, 1)


def annual_due_on(year: int) -> dt.date:
    """The portal's default day the annual report of `year` is due (no jurisdiction sets one)."""
    from django.conf import settings

    month, day = check_month_day("ANNUAL_REPORT_DUE", settings.ANNUAL_REPORT_DUE)
    return dt.date(year, month, day)


def due_on_for(enterprise: Enterprise, year: int) -> dt.date:
    """The day `enterprise`'s report of `year` is due, by the policy where it is registered."""
    return policy_for(enterprise).annual_report_due_on(year)


def due_at(bureau: Bureau | None, year: int) -> dt.date:
    """The day reports of `year` are due in `bureau`'s area (its own level's policy)."""
    if bureau is None:
        return annual_due_on(year)
    return effective_policy(bureau).annual_report_due_on(year)


def dues_by_district(district_ids: Iterable[int], year: int) -> dict[int, dt.date]:
    """The due day of `year` in each district, reading every policy row once."""
    districts = Bureau.objects.filter(pk__in=set(district_ids)).select_related("parent__parent")
    policies = policies_by_bureau(districts)
    return {pk: policy.annual_report_due_on(year) for pk, policy in policies.items()}
