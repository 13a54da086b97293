"""Access-matrix rows and objects of the supervision area 'draw' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles).

The draw pages belong to the city's staff (carl, cora for 深圳; olga, otto see their own
city's lists) and, where the city delegates draws (深圳's preset does, seed 000 §五), to its
districts' staff, each for its own draws (dora, fred; the draw below is the city's, so not
theirs); the coverage also to the districts' staff, each for its part; the public pages (一公开)
to everyone. Also the builders the draw tests share."""

import datetime as dt

from tests.supervision.factories import inspection_of, supervisor_profile
from tests.supervision.personas import AREA_STAFF, CITY_STAFF, EVERYONE, SHENZHEN_CITY
from tests.support.factories import EnterpriseFactory, approved_filing

ROWS: dict = {
    "supervisor_pool": (None, CITY_STAFF, None),
    "supervisor_add": (None, CITY_STAFF, CITY_STAFF),
    "supervisor_edit": ("draw_profile", SHENZHEN_CITY, SHENZHEN_CITY),
    "draw_list": (None, CITY_STAFF | {"dora", "fred"}, None),
    "draw_new": (None, CITY_STAFF | {"dora", "fred"}, CITY_STAFF | {"dora", "fred"}),
    "draw_detail": ("draw_unpublished", SHENZHEN_CITY, None),
    "draw_publish": ("draw_unpublished", None, SHENZHEN_CITY),
    "coverage_report": (None, AREA_STAFF, None),
    "coverage_export": (None, AREA_STAFF, None),
    "public_draw_list": (None, EVERYONE, None),
    "public_draw_detail": ("draw_published", EVERYONE, None),
    "draw_public_inputs": ("draw_published", EVERYONE, None),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    carl, sam, sid = people["carl"], people["sam"], people["sid"]
    published = inspection_of(enterprise, supervisors=[sam], actor=carl).draw
    published.published_on = dt.date(2026, 11, 2)
    published.save(update_fields=["published_on"])
    unpublished = inspection_of(enterprise, supervisors=[sam], actor=carl).draw
    profile = supervisor_profile(sid, city=world["city"])
    return {
        "draw_published": {"pk": published.pk},
        "draw_unpublished": {"pk": unpublished.pk},
        "draw_profile": {"pk": profile.pk},
    }


def filed_enterprise(district, **fields):
    """An enterprise of `district` with a filing valid through 2026 (in the R-M1 population)."""
    enterprise = EnterpriseFactory(district=district, **fields)
    approved_filing(enterprise, f"4403{enterprise.pk:08d}", approved_on=dt.date(2025, 1, 6))
    return enterprise
