"""Demo data of the supervision area 'draw' (called by supervision/demo.py in order): a pool of
three quality supervisors and one published draw of three enterprises (R-M1, R-C2)."""

import os

from django.contrib.auth import get_user_model

from portal.core.models import Membership, Role
from supervision.draws.algorithm import (
    conflicts_for,
    draw_create,
    draw_run,
    enterprise_candidates,
    supervisor_pool,
)
from supervision.draws.services import draw_publish
from supervision.models import DrawKind, SupervisorProfile

User = get_user_model()
TARGETS = 3
PER_TARGET = 2
MAX_TRIES = 500


def _member(username: str, *, bureau, full_name: str):
    # The way seed_demo makes its users: same password, e-mail and membership.
    from demo.management.commands.seed_demo import DEFAULT_PASSWORD

    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD))
        user.email = f"{username}@example.cn"
        user.save()
    Membership.objects.update_or_create(
        user=user,
        defaults={"role": Role.SUPERVISOR, "bureau": bureau, "full_name": full_name},
    )
    return user


def _demo_seed(*, city, today, enterprise, supervisor) -> str:
    """The first seed demo-<year>-1, -2, … whose draw sends `supervisor` to `enterprise`, so the
    demo's inspection story has its people; the stored draw is still the honest run of it."""
    profiles = supervisor_pool(city=city)
    candidates = enterprise_candidates(city=city, today=today)
    conflicts, _notes = conflicts_for(targets={pk: pk for pk, _w in candidates}, profiles=profiles)
    for n in range(1, MAX_TRIES + 1):
        seed = f"demo-{today.year}-{n}"
        result = draw_run(
            seed=seed,
            candidates=candidates,
            pool=[p.user_id for p in profiles],
            conflicts=conflicts,
            target_count=TARGETS,
            supervisors_per_target=PER_TARGET,
        )
        if any(t == enterprise.pk and supervisor.pk in s for t, s in result.picks):
            return seed
    raise RuntimeError("no demo seed sends the supervisor to e1")


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    city_staff = users["city"]
    city = city_staff.membership.bureau
    users["supervisor2"] = _member("supervisor2", bureau=city, full_name="林静")
    users["supervisor3"] = _member("supervisor3", bureau=city, full_name="王磊")
    pool = [
        (users["supervisor"], None, "深圳技师学院"),
        (users["supervisor2"], enterprises["e2"], ""),
        (users["supervisor3"], None, "深圳市职业技能鉴定协会"),
    ]
    for user, employer, unit in pool:
        SupervisorProfile.objects.update_or_create(
            user=user, defaults={"city": city, "employer": employer, "employer_name": unit}
        )
    e1 = enterprises["e1"]
    seed_value = _demo_seed(city=city, today=today, enterprise=e1, supervisor=users["supervisor"])
    draw = draw_create(
        city=city,
        actor=city_staff,
        title=f"{today.year}年第1批双随机抽查",
        kind=DrawKind.ENTERPRISES,
        target_count=TARGETS,
        supervisors_per_target=PER_TARGET,
        today=today,
        seed=seed_value,
    )
    draw = draw_publish(draw=draw, actor=city_staff, today=today)
    ctx["draw"] = draw
    ctx["e1_inspection"] = draw.inspections.get(enterprise=e1)
