"""Access-matrix rows and objects of the supervision area 'reminder' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles)."""

ROWS: dict = {}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    return {}
