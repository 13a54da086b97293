"""Every URL pattern × every role, GET and POST: "not yours" is a 404 (STYLE.md rule 3).

Three sides, each built by the same factories: enterprise A in 南山 (深圳), enterprise B in 福田
(same city, other district) and enterprise P in 顺德 (佛山, other city).

- test_access_matrix: the personas below walk every URL against A's objects.
- test_other_sides_objects_are_not_found: A's people get a 404 on B's and P's objects, while
  B's and P's own people get there what A's people get on A's (their operator reaches their own
  draft, their district reviewer their own district's filing, …).
- The province: gina (广东省, above 深圳 and 佛山) reads what 深圳's city reviewers read of A's
  objects (and of B's and P's) and takes none of a city's or district's actions; shan (山东省)
  finds nothing of any side, and no enterprise of 广东 in any list
  (test_a_province_never_sees_another_provinces_enterprise_in_any_list); sina, the operator of
  a 省属 enterprise of 山东, reaches what bob reaches of A's: its own lists, nothing of A's.
- test_another_sides_object_under_ones_own_is_not_found: B's material, session, evidence, …
  named under A's own filing, plan, scheme is a 404 to those who reach A's (no nested IDOR).
- test_global_permissions_never_widen_scope: every global model permission of every app and
  is_staff change nothing for alice, dora, xena and sid (STYLE.md rule 3: scoping is data).

Rows live here and in every tests/<area>/matrix_*.py (tests/supervision/, tests/security/, …):
ROWS, and an `objects(*, enterprise, people, world)` function when they need objects. A URL name
without a row fails test_every_url_is_in_the_matrix, so a new page cannot ship without its
access rules.

The world (tests/security/world.py) is built once for the module, inside a transaction rolled
back at its end, with one session per persona; each test runs in a savepoint of it and each
request in another, so every request sees the world as built.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import (  # noqa: F401 (fixtures)
    SIDES,
    area_modules,
    world_built_once,
    world_media_root,
    world_media_root_for_each_test,
)

User = get_user_model()

ROLES = [
    "anon",
    "alice",  # operator of enterprise A (南山)
    "bob",  # operator of enterprise B (福田)
    "dora",  # 南山 district reviewer
    "fred",  # 福田 district reviewer
    "carl",  # city reviewer and city admin of 深圳
    "cora",  # city reviewer of 深圳, not admin
    "olga",  # city reviewer of 佛山
    "otto",  # city admin of 佛山
    "erin",  # expert assigned to A's filing under expert review
    "xena",  # expert, not assigned
    "sam",  # quality supervisor in 深圳's pool, assigned to the inspections of A
    "sid",  # quality supervisor in 深圳's pool, assigned to nothing
    "gina",  # provincial reviewer of 广东省 (above 深圳 and 佛山): reads, never a city's action
    "shan",  # provincial reviewer of 山东省: finds nothing of 广东's
    "sina",  # operator of a 省属 enterprise of 山东 (泰山区): finds nothing of A's, B's or P's
]
# A's people who must find nothing of the other sides (carl too in another city), shan (another
# province) nothing of any side; gina (their province) reads B's and P's as she reads A's …
INTRUDERS = {
    "B": ["alice", "dora", "erin", "sam", "gina", "shan", "sina"],
    "P": ["alice", "dora", "carl", "erin", "sam", "gina", "shan", "sina"],
}
# … and the parts whose players on the other sides must reach their own objects.
OWNERS = ["alice", "dora", "carl", "cora", "erin", "sam"]
# The working-day calendar and the presets are national: there is no other side's year or day.
NATIONAL_KEYS = {"year", "calendar_day", "preset", "rule"}
# Given every global permission of every app and is_staff, they reach what they reached before.
ELEVATED = ["alice", "dora", "xena", "sid"]

EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anon"}
A_REVIEWERS = {"dora", "carl", "cora"}
# Who reads A's objects: its reviewers and their province (gina), who never acts for a city.
A_READERS = A_REVIEWERS | {"gina"}
# Who opens the lists with nothing of A's in them: the other district, city and province.
OTHER_OFFICES = {"fred", "olga", "otto", "shan"}
SUPERVISORS = {"sam", "sid"}

# url name → (object key for kwargs, roles allowed for GET, roles allowed for POST).
# None for a method means that method is not offered (405 for whoever passes the login gate).
MATRIX = {
    "home": (None, EVERYONE, None),
    "hello": (None, EVERYONE, None),
    "login": (None, EVERYONE, EVERYONE),
    "logout": (None, None, EVERYONE),
    "set_language": (None, None, EVERYONE),
    "text_size": (None, None, EVERYONE),
    "directory": (None, EVERYONE, None),
    "directory_export": (None, EVERYONE, None),
    "enterprise_register": (None, EVERYONE, EVERYONE),
    "dashboard": (None, LOGGED_IN, None),
    "filing_list": (None, LOGGED_IN - SUPERVISORS, None),
    "filing_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "enterprise_list": (None, A_READERS | OTHER_OFFICES, None),
    "enterprise_detail": ("enterprise", {"alice"} | A_READERS, None),
    "enterprise_activate": ("pending_enterprise", None, {"dora"}),
    # The level and pilot-list flag: the policy administrator of the enterprise's city.
    "enterprise_administration": ("enterprise", {"carl"}, {"carl"}),
    "filing_detail": ("review_filing", A_READERS | {"erin"}, None),
    "filing_edit": ("draft", {"alice"}, {"alice"}),
    "scope_line_add": ("draft", {"alice"}, {"alice"}),
    "scope_line_edit": ("draft_line", {"alice"}, {"alice"}),
    "scope_line_delete": ("draft_line", {"alice"}, {"alice"}),
    "material_upload": ("draft", {"alice"}, {"alice"}),
    "material_delete": ("draft_material", {"alice"}, {"alice"}),
    "material_download": ("review_material", A_READERS | {"erin"}, None),
    "filing_submit": ("draft", None, {"alice"}),
    "filing_district_review": ("district_filing", None, {"dora"}),
    "filing_assign_experts": ("city_filing", None, {"carl", "cora"}),
    "filing_decide": ("city_filing", None, {"carl", "cora"}),
    "filing_expert_opinion": ("review_filing", {"erin"}, {"erin"}),
    "filing_receipt": ("approved_filing", {"alice"} | A_READERS, None),
    # Seed 004 附件1: the application form, to whoever reads the filing.
    "filing_application_pdf": ("review_filing", A_READERS | {"erin"}, None),
    "city_settings": (None, {"carl", "otto"}, None),
    "audit_trail": (None, {"carl", "otto"}, None),
    "audit_trail_export": (None, {"carl", "otto"}, None),
    "city_policy_edit": (None, {"carl", "otto"}, {"carl", "otto"}),
    "window_list": (None, {"carl", "otto"}, None),
    "window_add": (None, {"carl", "otto"}, {"carl", "otto"}),
    "window_edit": ("window", {"carl"}, {"carl"}),
    "window_delete": ("window", None, {"carl"}),
    # The working-day calendar is national data: any city administrator keeps it.
    "calendar_year_add": (None, {"carl", "otto"}, {"carl", "otto"}),
    "calendar_notice": (None, {"carl", "otto"}, {"carl", "otto"}),
    # The source text of a rule (the 依据 link): the people who apply the rules, never an
    # enterprise; the rules are national, so every office reads them.
    "rule_source": ("rule", LOGGED_IN - {"alice", "bob", "sina"}, None),
    "calendar_year": ("year", {"carl", "otto"}, None),
    "calendar_day_add": ("year", {"carl", "otto"}, {"carl", "otto"}),
    "calendar_day_edit": ("calendar_day", {"carl", "otto"}, {"carl", "otto"}),
    "calendar_day_delete": ("calendar_day", None, {"carl", "otto"}),
    # Implementation plans: drafts stay with their enterprise; reviewers see submitted ones.
    "plan_list": (None, {"alice", "bob"} | A_READERS | OTHER_OFFICES, None),
    "plan_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "plan_detail": ("submitted_plan", A_READERS, None),
    "plan_edit": ("draft_plan", {"alice"}, {"alice"}),
    "session_add": ("draft_plan", {"alice"}, {"alice"}),
    "session_edit": ("draft_session", {"alice"}, {"alice"}),
    "session_delete": ("draft_session", {"alice"}, {"alice"}),
    "plan_staff": ("draft_plan", {"alice"}, {"alice"}),
    "plan_submit": ("draft_plan", None, {"alice"}),
    "plan_decide": ("submitted_plan", None, {"carl", "cora"}),
    # Evaluation schemes and the examiner register.
    "scheme_list": (None, LOGGED_IN - SUPERVISORS, None),
    "scheme_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "scheme_detail": ("review_scheme", {"alice"} | A_READERS | {"erin"}, None),
    "scheme_edit": ("draft_scheme", {"alice"}, {"alice"}),
    "scheme_component_add": ("draft_scheme", {"alice"}, {"alice"}),
    "scheme_component_edit": ("draft_scheme_component", {"alice"}, {"alice"}),
    "scheme_component_delete": ("draft_scheme_component", {"alice"}, {"alice"}),
    "scheme_mapping_add": ("draft_scheme", {"alice"}, {"alice"}),
    "scheme_mapping_edit": ("draft_scheme_mapping", {"alice"}, {"alice"}),
    "scheme_mapping_delete": ("draft_scheme_mapping", {"alice"}, {"alice"}),
    "scheme_submit": ("draft_scheme", None, {"alice"}),
    "scheme_revise": ("approved_scheme", None, {"alice"}),
    "scheme_assign_experts": ("submitted_scheme", None, {"carl", "cora"}),
    "scheme_expert_opinion": ("review_scheme", {"erin"}, {"erin"}),
    "scheme_decide": ("review_scheme", {"carl", "cora"}, {"carl", "cora"}),
    "examiner_list": (None, {"alice", "bob"} | A_READERS | OTHER_OFFICES, None),
    "examiner_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "examiner_detail": ("examiner", {"alice"} | A_READERS, None),
    "examiner_edit": ("examiner", {"alice"}, {"alice"}),
    "examiner_scope_add": ("examiner", {"alice"}, {"alice"}),
    "examiner_scope_edit": ("examiner_scope", {"alice"}, {"alice"}),
    "examiner_scope_delete": ("examiner_scope", {"alice"}, {"alice"}),
    "examiner_revoke": ("examiner", {"carl", "cora"}, {"carl", "cora"}),
    # The roster of a plan: import with preview, template, export, photos, background jobs.
    "roster_detail": ("submitted_plan", A_READERS, None),
    "roster_export": ("submitted_plan", A_READERS, None),
    "roster_upload": ("draft_plan", {"alice"}, {"alice"}),
    "roster_template": ("draft_plan", {"alice"}, None),
    "roster_photos": ("draft_plan", {"alice"}, {"alice"}),
    "roster_job": ("roster_job", {"alice"}, None),
    "roster_job_status": ("roster_job", {"alice"}, None),
    "roster_job_import": ("roster_job", None, {"alice"}),
    "roster_job_report": ("roster_job", {"alice"}, None),
    # Session evidence (R-C1), publicity and result filing (R-R1, R-R2).
    "plan_evidence": ("acknowledged_plan", {"alice"} | A_READERS, None),
    "evidence_upload": ("acknowledged_session", {"alice"}, {"alice"}),
    "evidence_download": ("evidence", {"alice"} | A_READERS, None),
    "evidence_delete": ("evidence", {"alice"}, {"alice"}),
    "result_filing_list": (None, {"alice", "bob"} | A_READERS | OTHER_OFFICES, None),
    "result_batch": ("acknowledged_plan", {"alice"} | A_READERS, None),
    "result_publish": ("acknowledged_plan", None, {"alice"}),
    "objection_add": ("acknowledged_plan", {"alice"}, {"alice"}),
    "objection_resolve": ("objection", {"alice"}, {"alice"}),
    "result_submit": ("acknowledged_plan", None, {"alice"}),
    "result_decide": ("submitted_results", None, {"carl", "cora"}),
    # Scores and results of an acknowledged plan still being prepared (R-S2, R-S3).
    "score_grid": ("scores_plan", {"alice"} | A_READERS, {"alice"}),
    "score_template": ("scores_plan", {"alice"}, None),
    "score_import": ("scores_plan", {"alice"}, {"alice"}),
    "score_export": ("scores_plan", {"alice"} | A_READERS, None),
    # Certificates (R-K1 … R-K4): issued by the enterprise, seen by its reviewers; the city sets
    # number prefixes and may revoke.
    "certificate_list": (None, {"alice", "bob"} | A_READERS | OTHER_OFFICES, None),
    "certificate_detail": ("certificate", {"alice"} | A_READERS, None),
    "certificate_pdf": ("certificate", {"alice"} | A_READERS, None),
    "certificate_revoke": ("certificate", {"alice", "carl", "cora"}, {"alice", "carl", "cora"}),
    "certificate_replace": ("certificate", {"alice"}, {"alice"}),
    "certificate_issue": ("issuable_plan", {"alice"}, {"alice"}),
    "issue_batch_list": (None, {"alice", "bob"} | A_READERS | OTHER_OFFICES, None),
    "issue_batch_detail": ("issue_batch", {"alice"} | A_READERS, None),
    "issue_batch_progress": ("issue_batch", {"alice"} | A_READERS, None),
    "issue_batch_pdf": ("issue_batch", {"alice"} | A_READERS, None),
    "numbering_prefix_list": (None, {"carl", "cora", "olga", "otto"}, None),
    "numbering_prefix_edit": ("prefix_enterprise", {"carl", "cora"}, {"carl", "cora"}),
    "certificate_report_list": (
        None,
        {"alice", "bob"} | A_READERS | OTHER_OFFICES,
        {"alice", "bob"},
    ),
    "certificate_report_download": ("report", {"alice"} | A_READERS, None),
    "certificate_report_uploaded": ("report", None, {"alice"}),
    # Public certificate pages (R-K5): no login; the API and its documents are GET only.
    "certificate_verify": (None, EVERYONE, EVERYONE),
    "certificate_verify_file": (None, EVERYONE, EVERYONE),
    "certificate_qr": ("certificate_token", EVERYONE, None),
    "certificate_holder_download": (None, EVERYONE, EVERYONE),
    "api_certificate_verify": (None, EVERYONE, None),
    "api_openapi": (None, EVERYONE, None),
    "api_docs": (None, EVERYONE, None),
}


AREAS = area_modules()
for _area in AREAS:
    assert not set(_area.ROWS) & set(MATRIX), f"{_area.__name__} repeats a URL name"
    MATRIX.update(_area.ROWS)

# Query strings a URL needs to answer at all: the verification API answers 400 without them.
QUERY = {"api_certificate_verify": "?number=Y000044012345264000001&name=%E5%BC%A0%E4%B8%89"}


# Pages of an object inside another (a filing's material, a plan's session, …): pk, then ids.
def _nested(name: str) -> bool:
    """Whether the URL names an object by its parent's pk and its own id (…/<pk>/…/<x_id>/)."""
    for possibilities, *_rest in get_resolver().reverse_dict.getlist(name):
        for _format, params in possibilities:
            if params and params[0] == "pk" and any(p.endswith("_id") for p in params[1:]):
                return True
    return False


NESTED_NAMES = sorted(name for name in MATRIX if MATRIX[name][0] and _nested(name))
OBJECT_NAMES = sorted(
    name for name, row in MATRIX.items() if row[0] and row[0] not in NATIONAL_KEYS
)


def _url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    assert _url_names() == set(MATRIX)


@pytest.fixture(autouse=True)
def _walk_settings(settings):
    # Many roles ask each public certificate page in turn: the per-client limits would refuse.
    settings.VERIFY_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.VERIFY_FILE_RATE_LIMIT = "0/60"
    # The personas' sessions are made with the world, once: the walk outlasts the idle timeout.
    settings.SESSION_IDLE_SECONDS = 24 * 3600


@pytest.fixture(scope="module")
def scenario(built_world):
    return built_world


def _rules(name: str, method: str) -> tuple[set, bool]:
    """Who may use the page by `method`, and whether the page offers that method at all."""
    key, get_roles, post_roles = MATRIX[name]
    allowed = get_roles if method == "GET" else post_roles
    offered = allowed is not None
    if not offered:
        # Whoever may not use the page by its other method must not get anything by this one.
        allowed = post_roles if method == "GET" else get_roles
    # sina, another province's enterprise, reaches of A's what bob (another enterprise) does:
    # its own (empty) lists, never A's objects.
    if allowed and "bob" in allowed:
        allowed = set(allowed) | {"sina"}
    return allowed, offered


def _ask(client: Client, role: str, method: str, url: str, allowed: set, offered: bool):
    """One request, judged against the row; None when it holds. Each request sees the world as
    built: a POST that changed state (or ended the session) is rolled back."""
    with transaction.atomic():
        savepoint = transaction.savepoint()
        failure = _check(client, role, method, url, allowed, offered)
        transaction.savepoint_rollback(savepoint)
    return failure


def _check(client: Client, role: str, method: str, url: str, allowed: set, offered: bool):
    response = getattr(client, method.lower())(url)
    code = response.status_code
    if role in allowed:
        ok = code in (200, 302, 405) if not offered else code in (200, 302)
        if ok and not _to_login(response):
            return None
        return f"{role} {method} {url}: {code}, expected access"
    if role == "anon":
        return None if _to_login(response) else f"anon {method} {url}: {code}, expected login"
    # A method the page does not offer may answer 405 before it looks at the object.
    if code == 404 or (not offered and code == 405):
        return None
    return f"{role} {method} {url}: {code}, expected 404"


def _to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _url(name: str, kwargs) -> str:
    return reverse(name, kwargs=kwargs) + QUERY.get(name, "")


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_access_matrix(name, method, scenario, db):
    allowed, offered = _rules(name, method)
    key = MATRIX[name][0]
    url = _url(name, scenario.objects["A"][key] if key else None)
    failures = [
        _ask(scenario.client(None if role == "anon" else role), role, method, url, allowed, offered)
        for role in ROLES
    ]
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("name", OBJECT_NAMES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_other_sides_objects_are_not_found(name, method, scenario, db):
    """B (福田, same city) and P (顺德, 佛山): A's people get a 404; the side's own people get
    what A's people get on A's objects."""
    allowed, offered = _rules(name, method)
    key = MATRIX[name][0]
    failures = []
    for side, mirror in SIDES.items():
        url = _url(name, scenario.objects[side][key])
        owners = [mirror[part] for part in OWNERS if part in allowed and part in mirror]
        for person in dict.fromkeys(INTRUDERS[side] + owners):
            # Allowed when the part this person plays on the side is allowed on A's objects,
            # or when the page is public.
            public = "anon" in allowed
            may = {person} if public or mirror.get(person, person) in allowed else set()
            failure = _ask(scenario.client(person), person, method, url, may, offered)
            failures.append(failure and f"[{side}] {failure}")
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_global_permissions_never_widen_scope(name, method, scenario, db):
    """STYLE.md rule 3: scoping never rests on global model permissions. Given every permission
    of every app and is_staff (not superuser), each persona's row is unchanged."""
    users = [scenario.people[role] for role in ELEVATED]
    through = User.user_permissions.through
    through.objects.bulk_create(
        through(user_id=user.pk, permission_id=permission)
        for user in users
        for permission in Permission.objects.values_list("pk", flat=True)
    )
    User.objects.filter(pk__in=[user.pk for user in users]).update(is_staff=True)
    dora = User.objects.get(pk=scenario.people["dora"].pk)
    assert dora.is_staff and dora.has_perm("filings.change_filing")
    allowed, offered = _rules(name, method)
    key = MATRIX[name][0]
    url = _url(name, scenario.objects["A"][key] if key else None)
    failures = [
        _ask(scenario.client(role), role, method, url, allowed, offered) for role in ELEVATED
    ]
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("name", NESTED_NAMES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_sides_object_under_ones_own_is_not_found(name, method, scenario, db):
    """The id of B's or P's material, session, evidence, … under A's own filing, plan, scheme:
    those of A's people who reach A's object get a 404, not the other side's object."""
    allowed, offered = _rules(name, method)
    key = MATRIX[name][0]
    own = scenario.objects["A"][key]
    failures = []
    for side in SIDES:
        other = scenario.objects[side][key]
        kwargs = {"pk": own["pk"], **{k: v for k, v in other.items() if k != "pk"}}
        url = _url(name, kwargs)
        for role in [part for part in OWNERS if part in allowed]:
            failures.append(_ask(scenario.client(role), role, method, url, set(), offered))
    assert [f for f in failures if f] == []


def _shown_links(navigation) -> list:
    return [
        *navigation["desk"],
        *(link for group in navigation["groups"] for link in group.links),
        *navigation["public"].links,
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_navigation_entry_opens_for_whoever_is_shown_it(role, scenario, db):
    """The navigation (desk/navigation.py) shows a role only pages the matrix lets it open, and
    no role sees more than 8 entries at the top level (a group counts as one)."""
    client = scenario.client(None if role == "anon" else role)
    navigation = client.get(reverse("home")).context["navigation"]
    top_level = len(navigation["desk"]) + len(navigation["groups"]) + 1
    assert top_level <= 8, f"{role} sees {top_level} entries at the top level"
    failures = []
    for link in _shown_links(navigation):
        with transaction.atomic():
            code = client.get(link.url).status_code
        if code != 200:
            failures.append(f"{role}: {link.label} {link.url} answered {code}")
    assert failures == []


@pytest.mark.parametrize("role", sorted(LOGGED_IN))
def test_every_tile_and_link_on_a_desk_opens_for_whoever_is_shown_it(role, scenario, db):
    """Issue 16: a desk shows a role only links it may open (a supervisor once saw nine filing
    tiles, each a 404)."""
    client = scenario.client(role)
    page = client.get(reverse("dashboard")).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    links = sorted(set(re.findall(r'<a [^>]*href="(/[^"]*)"', main)))
    # sid, a supervisor assigned to nothing, is the one persona whose desk has nothing to open.
    assert links or role == "sid", f"{role}'s desk links nowhere"
    failures = []
    for url in links:
        with transaction.atomic():
            savepoint = transaction.savepoint()
            code = client.get(url.replace("&amp;", "&")).status_code
            transaction.savepoint_rollback(savepoint)
        if code not in (200, 302):
            failures.append(f"{role}: {url} answered {code}")
    assert failures == []


@pytest.mark.parametrize("role", sorted(LOGGED_IN))
def test_navigation_shows_every_list_a_role_may_open(role, scenario, db):
    """The other way round: each entry of the navigation table whose page the matrix opens to
    the role is shown to it, so no page a role works with is left out of its menus."""
    from desk.navigation import WORK

    navigation = scenario.client(role).get(reverse("home")).context["navigation"]
    shown = {link.url for link in _shown_links(navigation)}
    missing = [
        entry.url_name
        for entry in WORK
        if role in (MATRIX[entry.url_name][1] or set()) and reverse(entry.url_name) not in shown
    ]
    assert missing == []


def _list_pages_of(persona: str) -> list[str]:
    """The URLs of the work lists (no object, not public) the matrix opens to `persona`."""
    return [
        _url(name, None)
        for name, (key, get_roles, _post) in sorted(MATRIX.items())
        if key is None and get_roles and persona in get_roles and "anon" not in get_roles
    ]


def test_a_province_never_sees_another_provinces_enterprise_in_any_list(scenario, db):
    """shan (山东省) opens every list a province opens and finds no enterprise of 广东省 (深圳's
    and 佛山's): the province is a 404 for another province's data, and its lists are empty."""
    from filings.models import Enterprise

    # sina's enterprise is 山东's own: shan reads it.
    names = list(
        Enterprise.objects.exclude(district__parent__parent__code="37").values_list(
            "name", flat=True
        )
    )
    assert "南山精密机械有限公司" in names and "顺德家电制造有限公司" in names
    client = scenario.client("shan")
    pages = _list_pages_of("shan")
    assert reverse("enterprise_list") in pages and reverse("certificate_list") in pages
    failures = []
    for url in pages:
        with transaction.atomic():
            response = client.get(url)
        body = response.content.decode(errors="ignore")
        failures += [f"{url} names {name}" for name in names if name in body]
    assert failures == []


def test_the_province_lists_the_enterprises_of_each_of_its_cities(scenario, db):
    """gina (广东省) reads 深圳's and 佛山's enterprises alike."""
    body = scenario.client("gina").get(reverse("enterprise_list")).content.decode()
    for side in ("A", "B", "P"):
        assert scenario.enterprises[side].name in body
