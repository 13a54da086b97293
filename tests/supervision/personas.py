"""The people of the access-matrix world (tests/security/world.py) as the supervision matrix rows
name them: carl and cora work for 深圳 (enterprise A's city), olga and otto for another city,
dora for 南山 (A's district), fred for another district; gina for 广东省 (the province above 深圳
and 佛山, who reads what 深圳's reviewers read), shan for another province (山东省)."""

EVERYONE = frozenset(
    {"anon", "alice", "bob", "dora", "fred", "carl", "cora", "olga", "otto", "erin", "xena", "sam",
     "sid", "gina", "shan"}
)  # fmt: skip
LOGGED_IN = EVERYONE - {"anon"}
SHENZHEN_CITY = frozenset({"carl", "cora"})
CITY_STAFF = SHENZHEN_CITY | {"olga", "otto"}
BUREAU_STAFF = CITY_STAFF | {"dora", "fred"}
BUREAU_OF_A = SHENZHEN_CITY | {"dora"}
PROVINCE_OF_A = frozenset({"gina"})
# Who reads A's objects without acting on them for a city: A's bureaus and their province.
A_READERS = BUREAU_OF_A | PROVINCE_OF_A
# Who opens the bureaus' lists (with or without A's rows): every district, city and province.
AREA_STAFF = BUREAU_STAFF | PROVINCE_OF_A | {"shan"}
