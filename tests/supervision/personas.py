"""The people of the access-matrix world (tests/security/world.py) as the supervision matrix rows
name them: carl and cora work for 深圳 (enterprise A's city), olga and otto for another city,
dora for 南山 (A's district), fred for another district."""

EVERYONE = frozenset(
    {"anon", "alice", "bob", "dora", "fred", "carl", "cora", "olga", "otto", "erin", "xena", "sam",
     "sid"}
)  # fmt: skip
LOGGED_IN = EVERYONE - {"anon"}
SHENZHEN_CITY = frozenset({"carl", "cora"})
CITY_STAFF = SHENZHEN_CITY | {"olga", "otto"}
BUREAU_STAFF = CITY_STAFF | {"dora", "fred"}
BUREAU_OF_A = SHENZHEN_CITY | {"dora"}
