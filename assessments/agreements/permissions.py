"""Access gate of entrusted evaluation agreements: "missing", "not yours" and "not your role"
are one 404."""

from collections.abc import Collection

from assessments.agreements.selectors import agreement_list_for_user
from assessments.models import EntrustedAgreement
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_agreement(
    *, user, agreement_id: int, roles: Collection[Role] | None = None
) -> EntrustedAgreement:
    return get_in_scope(agreement_list_for_user(user=user), agreement_id, user=user, roles=roles)
