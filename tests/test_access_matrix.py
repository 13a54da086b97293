"""Every URL pattern × every role, GET and POST: "not yours" is a 404 (STYLE.md rule 3).

The objects belong to enterprise A in 南山 district of 深圳; the personas are its operator,
another enterprise's, both districts', the city's (admin and not), another city's, an assigned
and an unassigned expert, a supervisor and an anonymous visitor. A URL missing from MATRIX fails
test_every_url_is_in_the_matrix, so a new page cannot ship without its access rules.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from guardian.shortcuts import assign_perm

from assessments.models import AssessmentSession, EvaluationScheme, ImplementationPlan
from filings.models import ExpertAssignment, FilingMaterial
from portal.core.models import ApplicationWindow, CalendarDay
from tests.assessments.factories import checked_roster_job
from tests.assessments.result_factories import result_matrix_objects
from tests.assessments.score_factories import acknowledged_plan_with_roster
from tests.certificates.matrix import certificate_matrix_objects
from tests.certificates.public_matrix import public_matrix_objects
from tests.factories import EnterpriseFactory, FilingFactory, ScopeLineFactory, make_member
from tests.scheme_factories import scheme_matrix_objects
from tests.supervision import (
    matrix_annual,
    matrix_complaint,
    matrix_draw,
    matrix_inspection,
    matrix_reminder,
    matrix_stats,
)
from tests.supervision.factories import supervisor_profile

# Supervision pages (R-M1 … R-M5, R-C2, R-C3): each area keeps its rows beside its tests.
SUPERVISION_AREAS = [
    matrix_draw,
    matrix_inspection,
    matrix_complaint,
    matrix_annual,
    matrix_reminder,
    matrix_stats,
]

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
]
EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anon"}
A_REVIEWERS = {"dora", "carl", "cora"}
SUPERVISORS = {"sam", "sid"}

# url name → (object key for kwargs, roles allowed for GET, roles allowed for POST).
# None for a method means that method is not offered (405 for whoever passes the login gate).
MATRIX = {
    "home": (None, EVERYONE, None),
    "hello": (None, EVERYONE, None),
    "login": (None, EVERYONE, EVERYONE),
    "logout": (None, None, EVERYONE),
    "set_language": (None, None, EVERYONE),
    "directory": (None, EVERYONE, None),
    "directory_export": (None, EVERYONE, None),
    "enterprise_register": (None, EVERYONE, EVERYONE),
    "dashboard": (None, LOGGED_IN, None),
    "filing_list": (None, LOGGED_IN - SUPERVISORS, None),
    "filing_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "enterprise_list": (None, {"dora", "fred", "carl", "cora", "olga", "otto"}, None),
    "enterprise_detail": ("enterprise", {"alice"} | A_REVIEWERS, None),
    "enterprise_activate": ("pending_enterprise", None, {"dora"}),
    "filing_detail": ("review_filing", A_REVIEWERS | {"erin"}, None),
    "filing_edit": ("draft", {"alice"}, {"alice"}),
    "scope_line_add": ("draft", {"alice"}, {"alice"}),
    "scope_line_edit": ("draft_line", {"alice"}, {"alice"}),
    "scope_line_delete": ("draft_line", None, {"alice"}),
    "material_upload": ("draft", {"alice"}, {"alice"}),
    "material_delete": ("draft_material", None, {"alice"}),
    "material_download": ("review_material", A_REVIEWERS | {"erin"}, None),
    "filing_submit": ("draft", None, {"alice"}),
    "filing_district_review": ("district_filing", None, {"dora"}),
    "filing_assign_experts": ("city_filing", None, {"carl", "cora"}),
    "filing_decide": ("city_filing", None, {"carl", "cora"}),
    "filing_expert_opinion": ("review_filing", {"erin"}, {"erin"}),
    "filing_receipt": ("approved_filing", {"alice"} | A_REVIEWERS, None),
    "city_settings": (None, {"carl", "otto"}, None),
    "city_policy_edit": (None, {"carl", "otto"}, {"carl", "otto"}),
    "window_add": (None, {"carl", "otto"}, {"carl", "otto"}),
    "window_edit": ("window", {"carl"}, {"carl"}),
    "window_delete": ("window", None, {"carl"}),
    # The working-day calendar is national data: any city administrator keeps it.
    "calendar_year_add": (None, {"carl", "otto"}, {"carl", "otto"}),
    "calendar_year": ("year", {"carl", "otto"}, None),
    "calendar_day_add": ("year", {"carl", "otto"}, {"carl", "otto"}),
    "calendar_day_edit": ("calendar_day", {"carl", "otto"}, {"carl", "otto"}),
    "calendar_day_delete": ("calendar_day", None, {"carl", "otto"}),
    # Implementation plans: drafts stay with their enterprise; reviewers see submitted ones.
    "plan_list": (None, {"alice", "bob"} | A_REVIEWERS | {"fred", "olga", "otto"}, None),
    "plan_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "plan_detail": ("submitted_plan", A_REVIEWERS, None),
    "plan_edit": ("draft_plan", {"alice"}, {"alice"}),
    "session_add": ("draft_plan", {"alice"}, {"alice"}),
    "session_edit": ("draft_session", {"alice"}, {"alice"}),
    "session_delete": ("draft_session", None, {"alice"}),
    "plan_staff": ("draft_plan", {"alice"}, {"alice"}),
    "plan_submit": ("draft_plan", None, {"alice"}),
    "plan_decide": ("submitted_plan", None, {"carl", "cora"}),
    # Evaluation schemes and the examiner register.
    "scheme_list": (None, LOGGED_IN - SUPERVISORS, None),
    "scheme_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "scheme_detail": ("review_scheme", {"alice"} | A_REVIEWERS | {"erin"}, None),
    "scheme_edit": ("draft_scheme", {"alice"}, {"alice"}),
    "scheme_component_add": ("draft_scheme", {"alice"}, {"alice"}),
    "scheme_component_edit": ("draft_scheme_component", {"alice"}, {"alice"}),
    "scheme_component_delete": ("draft_scheme_component", None, {"alice"}),
    "scheme_mapping_add": ("draft_scheme", {"alice"}, {"alice"}),
    "scheme_mapping_edit": ("draft_scheme_mapping", {"alice"}, {"alice"}),
    "scheme_mapping_delete": ("draft_scheme_mapping", None, {"alice"}),
    "scheme_submit": ("draft_scheme", None, {"alice"}),
    "scheme_revise": ("approved_scheme", None, {"alice"}),
    "scheme_assign_experts": ("submitted_scheme", None, {"carl", "cora"}),
    "scheme_expert_opinion": ("review_scheme", {"erin"}, {"erin"}),
    "scheme_decide": ("review_scheme", {"carl", "cora"}, {"carl", "cora"}),
    "examiner_list": (None, {"alice", "bob"} | A_REVIEWERS | {"fred", "olga", "otto"}, None),
    "examiner_create": (None, {"alice", "bob"}, {"alice", "bob"}),
    "examiner_detail": ("examiner", {"alice"} | A_REVIEWERS, None),
    "examiner_edit": ("examiner", {"alice"}, {"alice"}),
    "examiner_scope_add": ("examiner", {"alice"}, {"alice"}),
    "examiner_scope_edit": ("examiner_scope", {"alice"}, {"alice"}),
    "examiner_scope_delete": ("examiner_scope", None, {"alice"}),
    "examiner_revoke": ("examiner", {"carl", "cora"}, {"carl", "cora"}),
    # The roster of a plan: import with preview, template, export, photos, background jobs.
    "roster_detail": ("submitted_plan", A_REVIEWERS, None),
    "roster_export": ("submitted_plan", A_REVIEWERS, None),
    "roster_upload": ("draft_plan", {"alice"}, {"alice"}),
    "roster_template": ("draft_plan", {"alice"}, None),
    "roster_photos": ("draft_plan", {"alice"}, {"alice"}),
    "roster_job": ("roster_job", {"alice"}, None),
    "roster_job_status": ("roster_job", {"alice"}, None),
    "roster_job_import": ("roster_job", None, {"alice"}),
    "roster_job_report": ("roster_job", {"alice"}, None),
    # Session evidence (R-C1), publicity and result filing (R-R1, R-R2).
    "plan_evidence": ("acknowledged_plan", {"alice"} | A_REVIEWERS, None),
    "evidence_upload": ("acknowledged_session", {"alice"}, {"alice"}),
    "evidence_download": ("evidence", {"alice"} | A_REVIEWERS, None),
    "evidence_delete": ("evidence", None, {"alice"}),
    "result_filing_list": (None, {"alice", "bob"} | A_REVIEWERS | {"fred", "olga", "otto"}, None),
    "result_batch": ("acknowledged_plan", {"alice"} | A_REVIEWERS, None),
    "result_publish": ("acknowledged_plan", None, {"alice"}),
    "objection_add": ("acknowledged_plan", {"alice"}, {"alice"}),
    "objection_resolve": ("objection", {"alice"}, {"alice"}),
    "result_submit": ("acknowledged_plan", None, {"alice"}),
    "result_decide": ("submitted_results", None, {"carl", "cora"}),
    # Scores and results of an acknowledged plan still being prepared (R-S2, R-S3).
    "score_grid": ("scores_plan", {"alice"} | A_REVIEWERS, {"alice"}),
    "score_template": ("scores_plan", {"alice"}, None),
    "score_import": ("scores_plan", {"alice"}, {"alice"}),
    "score_export": ("scores_plan", {"alice"} | A_REVIEWERS, None),
    # Certificates (R-K1 … R-K4): issued by the enterprise, seen by its reviewers; the city sets
    # number prefixes and may revoke.
    "certificate_list": (None, {"alice", "bob"} | A_REVIEWERS | {"fred", "olga", "otto"}, None),
    "certificate_detail": ("certificate", {"alice"} | A_REVIEWERS, None),
    "certificate_pdf": ("certificate", {"alice"} | A_REVIEWERS, None),
    "certificate_revoke": ("certificate", {"alice", "carl", "cora"}, {"alice", "carl", "cora"}),
    "certificate_replace": ("certificate", {"alice"}, {"alice"}),
    "certificate_issue": ("issuable_plan", {"alice"}, {"alice"}),
    "issue_batch_list": (None, {"alice", "bob"} | A_REVIEWERS | {"fred", "olga", "otto"}, None),
    "issue_batch_detail": ("issue_batch", {"alice"} | A_REVIEWERS, None),
    "issue_batch_progress": ("issue_batch", {"alice"} | A_REVIEWERS, None),
    "issue_batch_pdf": ("issue_batch", {"alice"} | A_REVIEWERS, None),
    "numbering_prefix_list": (None, {"carl", "cora", "olga", "otto"}, None),
    "numbering_prefix_edit": ("prefix_enterprise", {"carl", "cora"}, {"carl", "cora"}),
    "certificate_report_list": (
        None,
        {"alice", "bob"} | A_REVIEWERS | {"fred", "olga", "otto"},
        {"alice", "bob"},
    ),
    "certificate_report_download": ("report", {"alice"} | A_REVIEWERS, None),
    "certificate_report_uploaded": ("report", None, {"alice"}),
    # Public certificate pages (R-K5): no login; the API and its documents are GET only.
    "certificate_verify": (None, EVERYONE, EVERYONE),
    "certificate_qr": ("certificate_token", EVERYONE, None),
    "certificate_holder_download": (None, EVERYONE, EVERYONE),
    "api_certificate_verify": (None, EVERYONE, None),
    "api_openapi": (None, EVERYONE, None),
    "api_docs": (None, EVERYONE, None),
}
for _area in SUPERVISION_AREAS:
    assert not set(_area.ROWS) & set(MATRIX), f"{_area.__name__} repeats a URL name"
    MATRIX.update(_area.ROWS)

# Query strings a URL needs to answer at all: the verification API answers 400 without them.
QUERY = {"api_certificate_verify": "?number=Y000044012345264000001&name=%E5%BC%A0%E4%B8%89"}


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


@pytest.fixture
def scenario(world, ent_a, ent_b, settings):
    # Twelve roles ask each public certificate page in turn: the per-client limits would refuse.
    settings.VERIFY_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    nanshan = world["nanshan"]
    people = {
        "alice": make_member("alice", "enterprise", enterprise=ent_a),
        "bob": make_member("bob", "enterprise", enterprise=ent_b),
        "dora": make_member("dora", "district", bureau=nanshan),
        "fred": make_member("fred", "district", bureau=world["futian"]),
        "carl": make_member("carl", "city", bureau=world["city"], is_admin=True),
        "cora": make_member("cora", "city", bureau=world["city"]),
        "olga": make_member("olga", "city", bureau=world["other_city"]),
        "otto": make_member("otto", "city", bureau=world["other_city"], is_admin=True),
        "erin": make_member("erin", "expert", bureau=world["city"]),
        "xena": make_member("xena", "expert", bureau=world["city"]),
        "sam": make_member("sam", "supervisor", bureau=world["city"]),
        "sid": make_member("sid", "supervisor", bureau=world["city"]),
    }
    supervisor_profile(people["sam"], city=world["city"])
    supervisor_profile(people["sid"], city=world["city"])
    today = dt.date(2026, 11, 2)
    draft = FilingFactory(enterprise=ent_a)
    line = ScopeLineFactory(filing=draft)
    approved = FilingFactory(
        enterprise=ent_a,
        status="approved",
        number="440320260001",
        approved_on=today,
        valid_until=dt.date(2029, 11, 1),
    )
    review = FilingFactory(
        enterprise=EnterpriseFactory(district=nanshan),
        status="expert_review",
        received_on=today,
        due_on=dt.date(2026, 11, 30),
    )
    ExpertAssignment.objects.create(
        filing=review, expert=people["erin"], assigned_by=people["carl"]
    )
    assign_perm("filings.evaluate_filing", people["erin"], review)
    material = _material(draft, people["alice"])
    draft_plan = _plan(ent_a)
    session = AssessmentSession.objects.create(
        plan=draft_plan, date=today, starts_at=dt.time(9), ends_at=dt.time(11), site="实训楼"
    )
    submitted_plan = _plan(EnterpriseFactory(district=nanshan), status="submitted")
    review_material = _material(review, people["alice"])
    objects = {
        "enterprise": {"pk": ent_a.pk},
        "pending_enterprise": {"pk": EnterpriseFactory(district=nanshan, status="pending").pk},
        "draft": {"pk": draft.pk},
        "draft_line": {"pk": draft.pk, "line_id": line.pk},
        "draft_material": {"pk": draft.pk, "material_id": material.pk},
        "review_filing": {"pk": review.pk},
        "review_material": {"pk": review.pk, "material_id": review_material.pk},
        "district_filing": {
            "pk": FilingFactory(
                enterprise=EnterpriseFactory(district=nanshan), status="district_review"
            ).pk
        },
        "city_filing": {
            "pk": FilingFactory(
                enterprise=EnterpriseFactory(district=nanshan),
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
        "window": {"window_id": ApplicationWindow.objects.get(city=world["city"]).pk},
        "year": {"year": 2026},
        "calendar_day": {"day_id": CalendarDay.objects.get(date=dt.date(2026, 10, 1)).pk},
    }
    objects.update(scheme_matrix_objects(enterprise=ent_a, people=people))
    objects.update(result_matrix_objects(enterprise=ent_a, people=people))
    objects["scores_plan"] = {"pk": acknowledged_plan_with_roster(ent_a).pk}
    objects.update(certificate_matrix_objects(enterprise=ent_a, people=people))
    objects.update(public_matrix_objects(enterprise=ent_a, people=people))
    for area in SUPERVISION_AREAS:
        objects.update(area.objects(enterprise=ent_a, people=people, world=world))
    return people, objects


def _plan(enterprise, **fields) -> ImplementationPlan:
    filing = FilingFactory(
        enterprise=enterprise,
        status="approved",
        number=f"4403{enterprise.pk:08d}",
        approved_on=dt.date(2026, 1, 5),
        valid_until=dt.date(2029, 1, 4),
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
    from django.core.files.base import ContentFile

    material = FilingMaterial(
        filing=filing,
        kind="business_licence",
        original_name="营业执照.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=user,
    )
    material.file.save("licence.pdf", ContentFile(b"%PDF-1.4"), save=False)
    material.save()
    return material


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


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_access_matrix(name, method, scenario):
    people, objects = scenario
    key, get_roles, post_roles = MATRIX[name]
    allowed = get_roles if method == "GET" else post_roles
    offered = allowed is not None
    if not offered:
        # Whoever may not use the page by its other method must not get anything by this one.
        allowed = post_roles if method == "GET" else get_roles
    url = reverse(name, kwargs=objects[key] if key else None) + QUERY.get(name, "")
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anon":
            client.force_login(people[role])
        # Each role sees the scenario as it was: a POST that changed state is rolled back.
        with transaction.atomic():
            savepoint = transaction.savepoint()
            failures.append(_check(client, role, method, url, allowed, offered))
            transaction.savepoint_rollback(savepoint)
    assert [f for f in failures if f] == []
