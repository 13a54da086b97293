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


def enterprise_scope(user, prefix: str = "enterprise__") -> Q | None:
    """The Q keeping rows of the enterprises the user may see (enterprise → its own, district →
    its district's, city → its city's); None for no rows at all (STYLE.md rule 3)."""
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.ENTERPRISE:
        return Q(**{f"{prefix}id": membership.enterprise_id})
    if membership.role == Role.DISTRICT:
        return Q(**{f"{prefix}district_id": membership.bureau_id})
    if membership.role == Role.CITY:
        return Q(**{f"{prefix}district__parent_id": membership.bureau_id})
    if membership.role == Role.PROVINCE:
        return Q(**{f"{prefix}district__parent__parent_id": membership.bureau_id})
    return None
