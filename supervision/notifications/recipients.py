"""Who is told of a step: the enterprise's operators, the staff of a bureau in a role, the experts
sent. Only active users; the person who took the step is left out by the caller."""

from django.contrib.auth import get_user_model

from filings.models import AdministrationLevel
from portal.core.models import Bureau, Role

User = get_user_model()
STAFF_ROLES = (Role.DISTRICT, Role.CITY, Role.PROVINCE)


def operators(enterprise) -> list:
    """The enterprise's operators."""
    if enterprise is None:
        return []
    return list(
        User.objects.filter(
            membership__role=Role.ENTERPRISE,
            membership__enterprise_id=enterprise.pk,
            is_active=True,
        ).order_by("pk")
    )


def staff(bureau: Bureau | None, roles=STAFF_ROLES) -> list:
    """The bureau's reviewers in `roles`."""
    if bureau is None:
        return []
    return list(
        User.objects.filter(
            membership__bureau_id=bureau.pk, membership__role__in=list(roles), is_active=True
        ).order_by("pk")
    )


def district_staff(enterprise) -> list:
    return staff(enterprise.district, [Role.DISTRICT])


def handling_district_staff(enterprise) -> list:
    """The district's reviewers where the enterprise works through its district (R-F5); a city-
    or province-administered enterprise's district has no part in its work."""
    if enterprise.administration_level != AdministrationLevel.DISTRICT:
        return []
    return district_staff(enterprise)


def city_staff(enterprise) -> list:
    """The reviewers of the enterprise's city (a municipality's centre in Beijing)."""
    return staff(enterprise.district.city, [Role.CITY])


def province_staff(enterprise) -> list:
    return staff(enterprise.district.province, [Role.PROVINCE])


def users(ids) -> list:
    return list(User.objects.filter(pk__in=list(ids), is_active=True).order_by("pk"))
