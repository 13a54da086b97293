"""Access-matrix rows of the area 'auth' (merged by tests/test_access_matrix.py). ROWS: url name
→ (object key, GET roles, POST roles).

The second login step sends an anonymous visitor without a half-finished login back to the
login page (as the matrix expects of anonymous visitors) and a logged-in user to the desk; the
account pages belong to whoever is logged in; two-step login is for bureau staff (district,
city, province, supervisors); the staff overview is the city administrator's
(tests/core/test_auth_two_factor.py)."""

EVERYONE = {
    "anon", "alice", "bob", "dora", "fred", "carl", "cora",
    "olga", "otto", "erin", "xena", "sam", "sid", "gina", "shan",
}  # fmt: skip
LOGGED_IN = EVERYONE - {"anon"}
BUREAU_STAFF = {"dora", "fred", "carl", "cora", "olga", "otto", "sam", "sid", "gina", "shan"}
CITY_ADMINS = {"carl", "otto"}

ROWS: dict = {
    "login_code": (None, LOGGED_IN, LOGGED_IN),
    "account_security": (None, LOGGED_IN, None),
    "password_change": (None, LOGGED_IN, LOGGED_IN),
    "two_factor_setup": (None, BUREAU_STAFF, BUREAU_STAFF),
    "two_factor_disable": (None, None, BUREAU_STAFF),
    "staff_two_factor": (None, CITY_ADMINS, None),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    return {}
