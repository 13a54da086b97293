"""Access gates of the annual area: an annual report (the enterprise's own, drafts included; a
bureau's submitted ones of its scope) and an enterprise a city evaluates (R-M3, one of its own).
A missing row, one out of scope and a role not in `roles` are the same 404."""

from collections.abc import Collection

from filings.models import Enterprise
from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.annual.selectors import annual_report_list_for_user, evaluated_enterprises_for_user
from supervision.models import AnnualReport


def access_annual_report(
    *, user, annual_report_id: int, roles: Collection[Role] | None = None
) -> AnnualReport:
    reports = annual_report_list_for_user(user=user)
    return get_in_scope(reports, annual_report_id, user=user, roles=roles)


def access_evaluated_enterprise(
    *, user, enterprise_id: int, roles: Collection[Role] | None = None
) -> Enterprise:
    enterprises = evaluated_enterprises_for_user(user=user)
    return get_in_scope(enterprises, enterprise_id, user=user, roles=roles)
