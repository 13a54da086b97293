"""Access-matrix rows and objects of the supervision area 'annual' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles)."""

import datetime as dt

from supervision.models import AnnualReport, Sanction
from tests.supervision.personas import (
    A_READERS,
    AREA_STAFF,
    CITY_STAFF,
    EVERYONE,
    SHENZHEN_CITY,
)
from tests.support.factories import EnterpriseFactory, approved_filing

ROWS: dict = {
    # R-M4: every enterprise operator has the page (it says when there is no valid filing).
    "annual_report_mine": (None, {"alice", "bob"}, {"alice", "bob"}),
    "annual_report_list": (None, AREA_STAFF, None),
    "annual_report_detail": ("annual_report", {"alice"} | A_READERS, None),
    # R-M3: the city evaluates its own enterprises.
    "evaluation_list": (None, CITY_STAFF, None),
    "evaluation_export": (None, CITY_STAFF, None),
    "evaluation_detail": ("evaluation", SHENZHEN_CITY, SHENZHEN_CITY),
    # R-M2: only a city cancels a filing (of its own enterprises: the form offers no other).
    "sanction_create": (None, CITY_STAFF, CITY_STAFF),
    "sanction_list": (None, AREA_STAFF, None),
    "sanction_detail": ("sanction", A_READERS, None),
    # R-M6: credit records are public.
    "public_sanction_list": (None, EVERYONE, None),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    report = AnnualReport.objects.create(
        enterprise=enterprise,
        year=2026,
        status="submitted",
        summary="上年度组织认定2批次",
        plan="本年度计划认定3批次",
        planned_examinees=100,
        due_on=dt.date(2026, 3, 31),
        submitted_by=people["alice"],
    )
    # Filed on 2024-01-10: evaluated for 2025 (filed a year or more at the end of the year).
    veteran = EnterpriseFactory(name="南山老牌制造有限公司", district=world["nanshan"])
    approved_filing(
        veteran,
        f"{world['city'].code}2024{9000 + veteran.pk % 1000:04d}",
        approved_on=dt.date(2024, 1, 10),
    )
    sanction = Sanction.objects.create(
        enterprise=EnterpriseFactory(name="南山失信建材有限公司", district=world["nanshan"]),
        kind="cancelled",
        decided_on=dt.date(2026, 3, 1),
        ban_until=dt.date(2031, 3, 1),
        reason="组织替考",
        decided_by=people["carl"],
    )
    return {
        "annual_report": {"pk": report.pk},
        "evaluation": {"year": 2025, "enterprise_id": veteran.pk},
        "sanction": {"pk": sanction.pk},
    }
