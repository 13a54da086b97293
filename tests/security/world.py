"""The world of the access matrix and the tampering tests: three sides built by the same
factories, once per test module.

Side A is enterprise A in 南山 (深圳), B is enterprise B in 福田 (same city, other district), P is
enterprise P in 顺德 (佛山, other city). Every side gets the objects every area's access-matrix
factory builds (tests/<area>/matrix_*.py and the factories of filings, schemes, results,
certificates): `world.objects[side][key]` are the URL kwargs of that object.
"""

import contextlib
import dataclasses
import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from guardian.shortcuts import assign_perm

from assessments.models import AssessmentSession, EvaluationScheme, ImplementationPlan
from filings.models import ExpertAssignment, FilingMaterial
from portal.core.models import ApplicationWindow, CalendarDay
from portal.core.presets import apply_preset
from tests.assessments.factories import checked_roster_job
from tests.assessments.results.factories import result_matrix_objects
from tests.assessments.schemes.factories import scheme_matrix_objects
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.certificates.factories import prefix_for
from tests.certificates.matrix import certificate_matrix_objects
from tests.certificates.public_matrix import public_matrix_objects
from tests.supervision.factories import supervisor_profile
from tests.support.factories import (
    EnterpriseFactory,
    FilingFactory,
    MaterialFactory,
    ScopeLineFactory,
    approved_filing,
    make_member,
    make_world,
)
from tests.support.provinces import another_province

# Who plays A's parts on the other sides (the rest play themselves): B's objects are built with
# bob, fred, ezra and seth where A's are built with alice, dora, erin and sam; P's with P's
# operator, its district's reviewer, 佛山's city staff, expert and supervisors. Each map is a
# swap, so it also tells which of A's parts a person plays on that side.
PAIRS = {
    "B": [
        ("alice", "bob"),
        ("dora", "fred"),
        ("erin", "ezra"),  # expert assigned to B's things
        ("sam", "seth"),  # supervisor in 深圳's pool assigned to B's inspections
    ],
    "P": [
        ("alice", "pia"),  # operator of enterprise P (顺德, 佛山)
        ("dora", "hugo"),  # 顺德 district reviewer
        ("carl", "otto"),
        ("cora", "olga"),
        ("erin", "fern"),  # 佛山 expert assigned to P's things
        ("sam", "finn"),  # supervisor in 佛山's pool assigned to P's inspections
        ("sid", "siu"),  # supervisor in 佛山's pool assigned to nothing
    ],
}
SIDES = {
    side: {**{a: b for a, b in pairs}, **{b: a for a, b in pairs}} for side, pairs in PAIRS.items()
}


@dataclasses.dataclass
class World:
    people: dict  # persona → user
    objects: dict  # side ("A", "B", "P") → object key → URL kwargs
    enterprises: dict  # side → its enterprise
    bureaus: dict  # make_world(): "province" (广东), "city" (深圳), "nanshan", "futian",
    # "other_city" (佛山), "shunde"
    sessions: dict = dataclasses.field(default_factory=dict)  # persona → session cookie
    extra: dict = dataclasses.field(default_factory=dict)  # a test's own objects

    def client(self, persona: str | None) -> Client:
        """A client logged in as `persona` (None: anonymous) with the session made at build:
        a login per request would cost more than most of the pages asked."""
        client = Client()
        if persona is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


def area_modules() -> list:
    """Every matrix_*.py below tests/<folder>/: each area keeps its rows beside its tests."""
    tests = Path(__file__).resolve().parents[1]
    return [
        importlib.import_module(".".join(("tests", *path.relative_to(tests).with_suffix("").parts)))
        for path in sorted(tests.glob("*/**/matrix_*.py"))
    ]


@pytest.fixture(scope="module", name="media_root")
def world_media_root(tmp_path_factory):
    """Where a module's world keeps its files, written once with the world."""
    return tmp_path_factory.mktemp("world-media")


@pytest.fixture(name="_private_media_root", autouse=True)
def world_media_root_for_each_test(settings, media_root):
    """Replaces conftest's per-test media root in a module that imports it (with the two above)."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module", name="built_world")
def world_built_once(django_db_setup, django_db_blocker, media_root):
    """The world of a module, built once for all its tests."""
    with built_once(django_db_blocker, media_root) as world:
        yield world


@contextlib.contextmanager
def built_once(django_db_blocker, media_root):
    """The world, built in a transaction rolled back when the block ends (as Django's
    TestCase.setUpTestData): the tests' own transactions nest inside it. For a module-scoped
    fixture; its files go to `media_root`, which the module's tests must keep as MEDIA_ROOT, and
    its sessions are made once, so the module must lift SESSION_IDLE_SECONDS above its run."""
    from portal.celery import app

    outer = transaction.atomic()
    outer._from_testcase = True  # services' durable blocks may run inside it, as in a TestCase
    eager = app.conf.task_always_eager
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            app.conf.task_always_eager = True
            with override_settings(
                MEDIA_ROOT=media_root,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ):
                world = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
        finally:
            app.conf.task_always_eager = eager
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build() -> World:
    world = make_world()
    city, foshan = world["city"], world["other_city"]
    # 佛山 keeps its own policy and window, as 深圳 does (make_world gives 深圳 its own).
    apply_preset(foshan, "foshan")
    ApplicationWindow.objects.get_or_create(
        bureau=foshan, opens_on=dt.date(2000, 1, 1), closes_on=dt.date(2099, 12, 31)
    )
    shandong = another_province()
    enterprises = {
        "A": EnterpriseFactory(name="南山精密机械有限公司", district=world["nanshan"]),
        "B": EnterpriseFactory(name="福田电子科技有限公司", district=world["futian"]),
        "P": EnterpriseFactory(name="顺德家电制造有限公司", district=world["shunde"]),
    }
    people = {
        "alice": make_member("alice", "enterprise", enterprise=enterprises["A"]),
        "bob": make_member("bob", "enterprise", enterprise=enterprises["B"]),
        "pia": make_member("pia", "enterprise", enterprise=enterprises["P"]),
        "dora": make_member("dora", "district", bureau=world["nanshan"]),
        "fred": make_member("fred", "district", bureau=world["futian"]),
        "hugo": make_member("hugo", "district", bureau=world["shunde"]),
        "carl": make_member("carl", "city", bureau=city, is_admin=True),
        "cora": make_member("cora", "city", bureau=city),
        "olga": make_member("olga", "city", bureau=foshan),
        "otto": make_member("otto", "city", bureau=foshan, is_admin=True),
        "erin": make_member("erin", "expert", bureau=city),
        "ezra": make_member("ezra", "expert", bureau=city),
        "fern": make_member("fern", "expert", bureau=foshan),
        "xena": make_member("xena", "expert", bureau=city),
        # The provincial centre above 深圳 and 佛山, and one of another province (山东省 → 泰安市
        # → 泰山区) that must find nothing of 广东's.
        "gina": make_member("gina", "province", bureau=world["province"]),
        "shan": make_member("shan", "province", bureau=shandong["province"]),
        # The operator of a province-administered (省属) enterprise of 山东 (seed 004 §二(一)).
        "sina": make_member(
            "sina",
            "enterprise",
            enterprise=EnterpriseFactory(
                name="山东重型机械装备集团有限公司",
                district=shandong["district"],
                administration_level="province",
            ),
        ),
    }
    for name, pool in [
        ("sam", city),
        ("sid", city),
        ("seth", city),
        ("finn", foshan),
        ("siu", foshan),
    ]:
        people[name] = make_member(name, "supervisor", bureau=pool)
        supervisor_profile(people[name], city=pool)
    # Certificate numbers are unique: each enterprise prints under a site serial of its own.
    prefix_for(enterprises["B"], site_serial="012346")
    prefix_for(enterprises["P"], site_serial="012347")
    views = {
        "A": world,
        "B": {**world, "nanshan": world["futian"]},
        "P": {**world, "city": foshan, "other_city": city, "nanshan": world["shunde"]},
    }
    objects = {}
    for side, enterprise in enterprises.items():
        mirror = SIDES.get(side, {})
        cast = {part: people[mirror.get(part, part)] for part in people}
        objects[side] = _objects(enterprise=enterprise, people=cast, world=views[side])
    sessions = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return World(
        people=people, objects=objects, enterprises=enterprises, bureaus=world, sessions=sessions
    )


def _objects(*, enterprise, people: dict, world: dict) -> dict:
    """The objects of one side, built by the factories every area keeps beside its tests; in
    `people` and `world` the side's own players and districts stand under A's names."""
    objects = _filing_and_plan_objects(enterprise=enterprise, people=people, world=world)
    objects.update(scheme_matrix_objects(enterprise=enterprise, people=people))
    objects.update(result_matrix_objects(enterprise=enterprise, people=people))
    objects["scores_plan"] = {"pk": acknowledged_plan_with_roster(enterprise).pk}
    objects.update(certificate_matrix_objects(enterprise=enterprise, people=people))
    objects.update(public_matrix_objects(enterprise=enterprise, people=people))
    for area in area_modules():
        build = getattr(area, "objects", None)
        if build is not None:
            objects.update(build(enterprise=enterprise, people=people, world=world))
    return objects


def _filing_and_plan_objects(*, enterprise, people: dict, world: dict) -> dict:
    district = world["nanshan"]
    today = dt.date(2026, 11, 2)
    draft = FilingFactory(enterprise=enterprise)
    line = ScopeLineFactory(filing=draft)
    # Out of the serials the portal gives (4403 2026 0001 …), which a test may approve.
    serial = f"{world['city'].code}2026{9000 + enterprise.pk % 1000:04d}"
    approved = approved_filing(enterprise, serial, approved_on=today)
    review = FilingFactory(
        enterprise=EnterpriseFactory(district=district),
        status="expert_review",
        received_on=today,
        due_on=dt.date(2026, 11, 30),
    )
    ExpertAssignment.objects.create(
        filing=review, expert=people["erin"], assigned_by=people["carl"]
    )
    assign_perm("filings.evaluate_filing", people["erin"], review)
    material = _material(draft, people["alice"])
    draft_plan = _plan(enterprise)
    session = AssessmentSession.objects.create(
        plan=draft_plan, date=today, starts_at=dt.time(9), ends_at=dt.time(11), site="实训楼"
    )
    submitted_plan = _plan(EnterpriseFactory(district=district), status="submitted")
    review_material = _material(review, people["alice"])
    return {
        "enterprise": {"pk": enterprise.pk},
        "pending_enterprise": {"pk": EnterpriseFactory(district=district, status="pending").pk},
        "draft": {"pk": draft.pk},
        "draft_line": {"pk": draft.pk, "line_id": line.pk},
        "draft_material": {"pk": draft.pk, "material_id": material.pk},
        "review_filing": {"pk": review.pk},
        "review_material": {"pk": review.pk, "material_id": review_material.pk},
        "district_filing": {
            "pk": FilingFactory(
                enterprise=EnterpriseFactory(district=district), status="district_review"
            ).pk
        },
        "city_filing": {
            "pk": FilingFactory(
                enterprise=EnterpriseFactory(district=district),
                status="city_review",
                received_on=today,
                due_on=dt.date(2026, 11, 30),
            ).pk
        },
        "approved_filing": {"pk": approved.pk},
        "draft_plan": {"pk": draft_plan.pk},
        "draft_session": {"pk": draft_plan.pk, "session_id": session.pk},
        "submitted_plan": {"pk": submitted_plan.pk},
        "roster_job": {
            "pk": draft_plan.pk,
            "job_id": checked_roster_job(plan=draft_plan, actor=people["alice"]).pk,
        },
        "window": {"window_id": ApplicationWindow.objects.get(bureau=world["city"]).pk},
        "year": {"year": 2026},
        "rule": {"rule": "R-C2"},
        "calendar_day": {"day_id": CalendarDay.objects.get(date=dt.date(2026, 10, 1)).pk},
    }


def _plan(enterprise, **fields) -> ImplementationPlan:
    filing = approved_filing(
        enterprise, f"4403{enterprise.pk:08d}", approved_on=dt.date(2026, 1, 5)
    )
    scheme = EvaluationScheme.objects.create(
        enterprise=enterprise,
        scope_line=ScopeLineFactory(filing=filing),
        status="approved",
        standard_name="国家职业技能标准",
        levels=[5, 4, 3],
    )
    return ImplementationPlan.objects.create(
        enterprise=enterprise, scheme=scheme, title="第一期", levels=[5, 4], **fields
    )


def _material(filing, user) -> FilingMaterial:
    return MaterialFactory(filing=filing, kind="business_licence", uploaded_by=user)
