from portal.core.models import Membership, Role


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def is_city_admin(user) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.role == Role.CITY and membership.is_admin)
