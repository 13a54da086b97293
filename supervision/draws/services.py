"""Writes of the draw area (R-M1, R-C2): the supervisor pool of a city and publishing a draw.

The draw itself is `supervision.draws.algorithm.draw_create`; these services keep the pool it
draws from and make its result public (一公开).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.errors import InvalidTransition, ServiceError
from portal.core.models import Role
from portal.core.workflow import bump, locked
from supervision.draws.algorithm import draw_matches_record, filed_enterprises
from supervision.models import Draw, SupervisorProfile

User = get_user_model()


# How the audit trail names this area's actions (registered by SupervisionConfig.ready).
AUDIT_ACTIONS = {
    "draw_create": gettext_lazy("random draw made"),
    "draw_publish": gettext_lazy("draw published"),
    "supervisor_profile_add": gettext_lazy("supervisor added to the pool"),
    "supervisor_profile_edit": gettext_lazy("supervisor's pool entry changed"),
}


def pool_candidates(*, city) -> QuerySet:
    """Users who may join the city's pool: supervisors of the city (or one of its districts)
    without a pool entry yet."""
    return (
        User.objects.filter(
            is_active=True,
            membership__role=Role.SUPERVISOR,
            supervisor_profile__isnull=True,
        )
        .filter(Q(membership__bureau=city) | Q(membership__bureau__parent=city))
        .select_related("membership")
        .order_by("membership__full_name", "username")
    )


def employer_choices(*, city, today: dt.date) -> QuerySet[Enterprise]:
    return filed_enterprises(city=city, today=today).order_by("name", "pk")


def _describe(profile: SupervisorProfile) -> str:
    employer = profile.employer.name if profile.employer_id else (profile.employer_name or "—")
    state = _("in the pool") if profile.active else _("not in the pool")
    return f"{employer} · {state}"


def supervisor_profile_save(
    *,
    city,
    actor,
    today: dt.date,
    employer: Enterprise | None,
    employer_name: str,
    active: bool,
    user=None,
    profile: SupervisorProfile | None = None,
    expected_version: int | None = None,
) -> SupervisorProfile:
    """Add `user` to the city's pool, or change `profile` (R-C2: the employer is what keeps a
    supervisor away from their own enterprise in a draw)."""
    if (
        employer is not None
        and not employer_choices(city=city, today=today).filter(pk=employer.pk).exists()
    ):
        # R-C2
        raise ServiceError(_("Works at: choose a filed enterprise of the city, or none."))
    with transaction.atomic():
        if profile is None:
            if user is None or not pool_candidates(city=city).filter(pk=user.pk).exists():
                raise ServiceError(
                    _(
                        # R-C2
                        "Supervisor: choose a quality supervisor of this city who is not in the "
                        "pool yet."
                    )
                )
            profile = SupervisorProfile.objects.create(
                user=user,
                city=city,
                employer=employer,
                employer_name=employer_name,
                active=active,
            )
            audit_record(
                obj=profile, actor=actor, action="supervisor_profile_add", note=_describe(profile)
            )
            return profile
        profile = locked(profile, expected_version=expected_version)
        before = _describe(profile)
        profile.employer = employer
        profile.employer_name = employer_name
        profile.active = active
        bump(profile, ["employer", "employer_name", "active"])
        audit_record(
            obj=profile,
            actor=actor,
            action="supervisor_profile_edit",
            note=f"{before} → {_describe(profile)}",
        )
        return profile


def draw_publish(*, draw: Draw, actor, today: dt.date) -> Draw:
    """R-M1 一公开: the draw, its inputs and (once closed) its results become public."""
    with transaction.atomic():
        draw = locked(draw)
        if draw.published_on is not None:
            raise InvalidTransition(
                # R-M1
                _("This draw was already published on %(day)s.")
                % {"day": date_format(draw.published_on, "Y-m-d")}
            )
        # What is published must be what the seed gives; a tampered record stays internal.
        if not draw_matches_record(draw):
            raise ServiceError(
                _(
                    # R-M1
                    "The stored inspections are not what the recorded seed and inputs give; "
                    "the draw cannot be published."
                )
            )
        draw.published_on = today
        draw.save(update_fields=["published_on"])
        audit_record(
            obj=draw,
            actor=actor,
            action="draw_publish",
            note=date_format(today, "Y-m-d"),
        )
        return draw
