"""The access gate of Certificate: "missing", "not yours" and "not your role" are the same 404."""

from collections.abc import Collection

from certificates.models import Certificate
from certificates.records.selectors import certificate_list_for_user
from portal.core.access import get_in_scope
from portal.core.models import Role

REVOKING_ROLES = frozenset({Role.ENTERPRISE, Role.CITY})


def access_certificate(
    *, user, certificate_id: int, roles: Collection[Role] | None = None
) -> Certificate:
    return get_in_scope(
        certificate_list_for_user(user=user), certificate_id, user=user, roles=roles
    )
