"""Access-matrix rows of the policy settings (merged by tests/test_access_matrix.py). ROWS: url
name → (object key, GET roles, POST roles).

The policy pages belong to a bureau's administrator at any level (carl for 深圳, otto for 佛山;
a district's or a province's administrator likewise, tests/core/test_policy_settings.py). A
preset is national data, like the calendar: each administrator applies it to their own bureau.
Setting up a city is a province administrator's page: no persona of the matrix is one."""

ADMINS = {"carl", "otto"}

ROWS: dict = {
    "preset_choose": (None, ADMINS, ADMINS),
    "preset_confirm": ("preset", ADMINS, ADMINS),
    "city_add": (None, set(), set()),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    return {"preset": {"key": "shenzhen"}}
