"""Access gate of a sanction: one of the user's scope; a missing one, one out of scope and a role
not in `roles` are the same 404."""

from collections.abc import Collection

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.models import Sanction, SanctionReport
from supervision.sanctions.selectors import sanction_list_for_user, sanction_report_list_for_user


def access_sanction(*, user, sanction_id: int, roles: Collection[Role] | None = None) -> Sanction:
    return get_in_scope(sanction_list_for_user(user=user), sanction_id, user=user, roles=roles)


def access_sanction_report(
    *, user, report_id: int, roles: Collection[Role] | None = None
) -> SanctionReport:
    return get_in_scope(sanction_report_list_for_user(user=user), report_id, user=user, roles=roles)
