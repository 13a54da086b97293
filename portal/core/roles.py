from django.db.models import Q

from portal.core.models import Bureau, BureauLevel, Membership, Role


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def area_q(bureau: Bureau, district_path: str = "enterprise__district") -> Q:
    """The Q keeping rows whose district (reached by `district_path`) lies in `bureau`'s area."""
    if bureau.level == BureauLevel.DISTRICT:
        return Q(**{f"{district_path}_id": bureau.pk})
    if bureau.level == BureauLevel.CITY:
        return Q(**{f"{district_path}__parent_id": bureau.pk})
    return Q(**{f"{district_path}__parent__parent_id": bureau.pk})


def is_city_admin(user) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.role == Role.CITY and membership.is_admin)


# How far above an enterprise's district each bureau role sits.
_HOPS_ABOVE_DISTRICT = {Role.DISTRICT: "", Role.CITY: "__parent", Role.PROVINCE: "__parent__parent"}


def member_area_q(membership: Membership | None, district_path: str) -> Q | None:
    """The Q keeping rows whose district (reached by `district_path`) lies in the area of a
    district, city or provincial reviewer's bureau (as area_q, without reading the bureau);
    None for any other membership."""
    if membership is None or membership.role not in _HOPS_ABOVE_DISTRICT:
        return None
    hops = _HOPS_ABOVE_DISTRICT[membership.role]
    return Q(**{f"{district_path}{hops}_id": membership.bureau_id})


def enterprise_scope(user, prefix: str = "enterprise__") -> Q | None:
    """The Q keeping rows of the enterprises the user may see (enterprise → its own, district →
    its district's, city → its city's, province → its cities'); None for no rows at all
    (STYLE.md rule 3)."""
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.ENTERPRISE:
        return Q(**{f"{prefix}id": membership.enterprise_id})
    return member_area_q(membership, f"{prefix}district")
