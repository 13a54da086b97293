"""Access-matrix rows and objects of the supervision area 'stats' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles).

The dashboard and its Excel export are for district and city staff, each seeing its own
district or city (佛山's reviewers see 佛山's figures); everyone else gets a 404."""

from tests.supervision.personas import AREA_STAFF

ROWS: dict = {
    "stats_dashboard": (None, AREA_STAFF, None),
    "stats_export": (None, AREA_STAFF, None),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    return {}
