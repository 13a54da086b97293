"""Field-level tampering: a form posted with fields it does not have changes
nothing those fields name.

Every form a user of enterprise A posts (and the bureaus' forms on A's objects) is posted twice
from the same state, as the browser would post it: once as the page renders it, once with extra
fields — `status`, `enterprise`, `enterprise_id`, `district`, `reviewer`, `assigned_to`,
`approved_on`, `version`, `id`, … — whose values name another side's objects (enterprise B in
福田, 佛山) or a later state. The database after both must be the same (compared over every row
of the portal's tables), the honest post must have changed something (else the case proves
nothing), and whatever the enterprise's post wrote still belongs to A.

A form's own choice fields (a scheme, an examiner, an expert, a district) must not accept
another side's objects either: test_choices_naming_other_sides_objects_are_refused.
"""

import dataclasses
import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.models import ImplementationPlan, SchemeComponent
from assessments.rosters import services as roster_services
from filings.models import Filing
from portal.core.models import default_required_materials
from supervision.models import AnnualReport
from tests.assessments.factories import (
    PlanFactory,
    RosterEntryFactory,
    id_number,
    roster_xlsx,
    row_values,
)
from tests.assessments.results.factories import acknowledged_plan, publicised_batch, with_results
from tests.assessments.schemes.factories import (
    ExaminerFactory,
    examiner_for,
    filed_line,
    valid_id_number,
)
from tests.security.forms import form_fields
from tests.security.world import (  # noqa: F401 (fixtures)
    world_built_once,
    world_media_root,
    world_media_root_for_each_test,
)
from tests.support.factories import (
    MINIMAL_PDF,
    MaterialFactory,
    make_member,
    valid_credit_code,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Whatever their posts write belongs to their enterprise (A).
ENTERPRISE_PEOPLE = {"alice"}
# The tables a post may write: the portal's apps, its users and their object permissions.
APPS = {"core", "filings", "assessments", "certificates", "supervision"}
MODELS = {"auth.User", "guardian.UserObjectPermission"}


@dataclasses.dataclass(frozen=True)
class Case:
    id: str  # the test id: who posts what
    who: str  # persona (tests/security/world.py)
    url: str  # URL name posted to
    key: str | None = None  # object of side A in the URL (world.objects["A"][key])
    page: str | None = None  # URL name of the page carrying the form, when not `url` itself
    data: Callable | None = None  # world → fields set on top of the rendered form
    files: Callable | None = None  # () → uploads
    prepare: Callable | None = None  # world → URL kwargs of an object built for the case
    kind: str | None = None  # the other side's object for `id`, when not `key`
    foreign: Callable | None = None  # world → the form's own choices, naming others' objects
    removes_files: bool = False  # the post deletes a stored file: it is put back for the next


FILING_FACTS = {
    "independent_legal_person": "on",
    "business_scope": "数控机床的研发、生产和销售",
    "good_credit": "on",
    "insured_employees": "800",
    "enterprise_size": "large",
    "has_pay_linkage": "on",
    "has_dedicated_staff": "on",
    "situation": "技能人才600余人",
    "site_and_equipment": "实训车间1500平方米",
    "staff_and_examiners": "专职人员3人，考评员12人",
    "registration_authority": "深圳市市场监督管理局",
    "principal_name": "王建国",
    "principal_title": "总经理",
    "principal_phone": "0755-26000001",
    "contact_title": "人力资源部经理",
    "contact_mobile": "13800000001",
    "filled_in_by": "李红",
    "filler_phone": "0755-26000002",
}


def _in_a_season() -> dt.date:
    """A Wednesday well beyond the R-P2 lead time of 10 working days."""
    day = timezone.localdate() + dt.timedelta(days=91)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def _a(world, key: str):
    """The primary key of A's object `key`."""
    return world.objects["A"][key]["pk"]


def _pdf(name: str = "file"):
    return lambda: {
        name: SimpleUploadedFile("证明.pdf", MINIMAL_PDF, content_type="application/pdf")
    }


def _roster():
    data = roster_xlsx([row_values(1), row_values(2)])
    return {"file": SimpleUploadedFile("名册.xlsx", data, content_type=XLSX)}


def _no_open_filing(world):
    """R-F: one open filing at a time; A's draft is set aside so that A may start another."""
    Filing.objects.filter(enterprise=world.enterprises["A"], status="draft").update(
        status="rejected"
    )


def _complete_draft(world):
    draft = Filing.objects.get(pk=_a(world, "draft"))
    for kind in default_required_materials():
        MaterialFactory(filing=draft, kind=kind, uploaded_by=world.people["alice"])
    return {"pk": draft.pk}


def _ready_plan(world):
    """A's draft plan with all R-P1 … R-P4 asks: a session a season ahead, staff, a roster."""
    plan = ImplementationPlan.objects.get(pk=_a(world, "draft_plan"))
    occupation = plan.scheme.scope_line.occupation
    plan.sessions.update(date=_in_a_season())
    for _n in range(3):
        plan.examiners.add(examiner_for(plan.enterprise, occupation))
    plan.supervisors.add(ExaminerFactory(enterprise=plan.enterprise, role="supervisor"))
    RosterEntryFactory(plan=plan, occupation_code=occupation.code, occupation_name=occupation.name)
    return {"pk": plan.pk}


def _results_to_publish(world):
    plan = acknowledged_plan(world.enterprises["A"])
    with_results(plan, "passed", "failed")
    return {"pk": plan.pk}


def _results_to_submit(world):
    """R-R2: the publicity ended last week, the filing is due next week."""
    plan = acknowledged_plan(world.enterprises["A"])
    with_results(plan, "passed")
    today = timezone.localdate()
    publicised_batch(
        plan,
        published_on=today - dt.timedelta(days=14),
        publicity_ends_on=today - dt.timedelta(days=7),
        filing_due_on=today + dt.timedelta(days=7),
    )
    return {"pk": plan.pk}


def _scheme_without_safety(world):
    """R-S2: the weights add up to 100; the safety component (20) is taken out to be added."""
    SchemeComponent.objects.filter(scheme_id=_a(world, "draft_scheme"), kind="safety").delete()
    return world.objects["A"]["draft_scheme"]


def _line_without_scheme(world):
    world.extra["line"] = filed_line(world.enterprises["A"]).pk


def _checked_roster(world):
    """A plan of A for 车工 (what the roster rows are for) whose upload waits for the import."""
    plan = PlanFactory(enterprise=world.enterprises["A"])
    # ID numbers no roster of the world has (an examinee is in one open plan at a time).
    rows = [
        row_values(1, 证件号=id_number(901)),
        row_values(2, 证件号=id_number(902), 联系电话="12345"),
    ]
    job = roster_services.roster_upload(
        plan=plan, actor=world.people["alice"], data=roster_xlsx(rows), filename="名册.xlsx"
    )
    assert job.good == 1, job.preview
    return {"pk": plan.pk, "job_id": job.pk}


def _in_publicity(world):
    """R-R1: objections are raised while the results are publicised (today is in it)."""
    plan = acknowledged_plan(world.enterprises["A"])
    with_results(plan, "passed", "failed")
    today = timezone.localdate()
    publicised_batch(
        plan,
        published_on=today,
        publicity_ends_on=today + dt.timedelta(days=7),
        filing_due_on=today + dt.timedelta(days=30),
    )
    return {"pk": plan.pk}


def _new_occupation(world):
    """R-P1: an occupation of A's filed scope that A's examiner has no scope for yet."""
    world.extra["occupation"] = filed_line(world.enterprises["A"]).occupation_id
    return world.objects["A"]["examiner"]


def _no_annual_report(world):
    AnnualReport.objects.filter(enterprise=world.enterprises["A"]).delete()


def _decidable_filing(world):
    filing = Filing.objects.get(pk=world.objects["A"]["city_filing"]["pk"])
    Filing.objects.filter(pk=filing.pk).update(skip_onsite=True)
    return {"pk": filing.pk}


ENTERPRISE_CASES = [
    Case(
        "filing_create",
        "alice",
        "filing_create",
        data=lambda w: FILING_FACTS,
        prepare=_no_open_filing,
    ),
    Case("filing_edit", "alice", "filing_edit", "draft", data=lambda w: {"situation": "改写"}),
    Case(
        "scope_line_add",
        "alice",
        "scope_line_add",
        "draft",
        data=lambda w: {
            "levels": ["5"],
            "standard_type": "national",
            "workstations": "10",
            "examiners": "3",
            "applicants": "60",
            "related_to_main_business": "on",
        },
    ),
    Case(
        "scope_line_edit",
        "alice",
        "scope_line_edit",
        "draft_line",
        data=lambda w: {"applicants": "90"},
    ),
    Case("material_upload", "alice", "material_upload", "draft", files=_pdf()),
    Case(
        "filing_submit",
        "alice",
        "filing_submit",
        "draft",
        page="filing_detail",
        prepare=_complete_draft,
    ),
    Case(
        "plan_create",
        "alice",
        "plan_create",
        data=lambda w: {
            "scheme": str(_a(w, "approved_scheme")),
            "title": "2027年第一期",
            "levels": ["5"],
        },
    ),
    Case("plan_edit", "alice", "plan_edit", "draft_plan", data=lambda w: {"title": "改名"}),
    Case(
        "session_add",
        "alice",
        "session_add",
        "draft_plan",
        data=lambda w: {
            "date": _in_a_season().isoformat(),
            "starts_at": "09:00",
            "ends_at": "11:00",
            "site": "实训楼",
            "room": "101",
        },
    ),
    Case("session_edit", "alice", "session_edit", "draft_session", data=lambda w: {"room": "305"}),
    Case(
        "plan_staff",
        "alice",
        "plan_staff",
        "draft_plan",
        data=lambda w: {"examiners": [str(_a(w, "examiner"))]},
    ),
    Case(
        "plan_submit",
        "alice",
        "plan_submit",
        "draft_plan",
        page="plan_detail",
        prepare=_ready_plan,
    ),
    Case(
        "scheme_create",
        "alice",
        "scheme_create",
        data=lambda w: {
            "scope_line": str(w.extra["line"]),
            "standard_basis": "national",
            "standard_name": "国家职业技能标准（2020年版）",
            "levels": ["5", "4"],
            "methods": ["theory_exam", "practical"],
        },
        kind="draft_scheme",
        prepare=_line_without_scheme,
    ),
    Case(
        "scheme_edit",
        "alice",
        "scheme_edit",
        "draft_scheme",
        data=lambda w: {"standard_name": "改写的标准"},
    ),
    Case(
        "scheme_component_add",
        "alice",
        "scheme_component_add",
        "draft_scheme",
        data=lambda w: {"kind": "safety", "weight": "20", "pass_mark": "60", "veto": "on"},
        prepare=_scheme_without_safety,
    ),
    Case(
        "scheme_component_edit",
        "alice",
        "scheme_component_edit",
        "draft_scheme_component",
        data=lambda w: {"pass_mark": "65"},
    ),
    Case(
        "scheme_mapping_add",
        "alice",
        "scheme_mapping_add",
        "draft_scheme",
        data=lambda w: {"enterprise_level": "四级（乙等）", "national_level": "4"},
    ),
    Case(
        "scheme_mapping_edit",
        "alice",
        "scheme_mapping_edit",
        "draft_scheme_mapping",
        data=lambda w: {"enterprise_level": "三级（乙等）"},
    ),
    Case(
        "scheme_route_add",
        "alice",
        "scheme_route_add",
        "draft_scheme_with_route",
        data=lambda w: {"level": "5", "min_years_in_occupation": "1"},
    ),
    Case(
        "scheme_route_edit",
        "alice",
        "scheme_route_edit",
        "draft_scheme_route",
        data=lambda w: {"min_years_in_occupation": "5"},
    ),
    Case("scheme_submit", "alice", "scheme_submit", "draft_scheme", page="scheme_detail"),
    Case("scheme_revise", "alice", "scheme_revise", "approved_scheme", page="scheme_detail"),
    Case(
        "examiner_create",
        "alice",
        "examiner_create",
        data=lambda w: {
            "role": "examiner",
            "name": "考评员新",
            "id_number": valid_id_number(777),
            "phone": "13900139001",
            "qualification": "高级考评员",
            "certificate_number": "KP777777",
        },
        kind="examiner",
    ),
    Case(
        "examiner_edit",
        "alice",
        "examiner_edit",
        "examiner",
        data=lambda w: {"phone": "13900139002"},
    ),
    Case(
        "examiner_scope_add",
        "alice",
        "examiner_scope_add",
        "examiner",
        data=lambda w: {"occupation": str(w.extra["occupation"]), "highest_level": "4"},
        prepare=_new_occupation,
    ),
    Case(
        "examiner_scope_edit",
        "alice",
        "examiner_scope_edit",
        "examiner_scope",
        data=lambda w: {"highest_level": "4"},
    ),
    Case("roster_upload", "alice", "roster_upload", "draft_plan", files=_roster),
    Case(
        "roster_job_import",
        "alice",
        "roster_job_import",
        "roster_job",
        page="roster_job",
        data=lambda w: {"mode": "good"},
        prepare=_checked_roster,
        removes_files=True,
    ),
    Case(
        "evidence_upload",
        "alice",
        "evidence_upload",
        "acknowledged_session",
        data=lambda w: {"kind": "document", "description": "签到表"},
        files=_pdf(),
    ),
    Case(
        "result_publish",
        "alice",
        "result_publish",
        "acknowledged_plan",
        page="result_batch",
        prepare=_results_to_publish,
    ),
    Case(
        "objection_add",
        "alice",
        "objection_add",
        "acknowledged_plan",
        data=lambda w: {"raised_by": "车间一班", "content": "实操成绩有误"},
        prepare=_in_publicity,
    ),
    Case(
        "objection_resolve",
        "alice",
        "objection_resolve",
        "objection",
        data=lambda w: {"resolution": "复核后维持原结果。"},
    ),
    Case(
        "result_submit",
        "alice",
        "result_submit",
        "acknowledged_plan",
        page="result_batch",
        prepare=_results_to_submit,
    ),
    Case("score_grid", "alice", "score_grid", "scores_plan", data=lambda w: {}),
    Case(
        "certificate_issue",
        "alice",
        "certificate_issue",
        "issuable_plan",
        data=lambda w: {"issued_on": "2026-11-20"},
    ),
    Case(
        "certificate_revoke",
        "alice",
        "certificate_revoke",
        "certificate",
        data=lambda w: {"reason": "考生替考，撤销证书"},
    ),
    Case(
        "certificate_replace",
        "alice",
        "certificate_replace",
        "certificate",
        data=lambda w: {"kind": "reissue", "reason": "证书遗失"},
    ),
    Case("certificate_report_create", "alice", "certificate_report_list", kind="report"),
    Case(
        "certificate_report_uploaded",
        "alice",
        "certificate_report_uploaded",
        "report",
        page="certificate_report_list",
    ),
    Case(
        "annual_report",
        "alice",
        "annual_report_mine",
        data=lambda w: {
            "summary": "上年度认定2批",
            "plan": "本年度认定3批",
            "planned_examinees": "80",
            "submit": "1",
        },
        prepare=_no_annual_report,
        kind="annual_report",
    ),
    Case(
        "finding_answer",
        "alice",
        "finding_answer",
        "finding_open",
        data=lambda w: {"response": "已补齐签字"},
        files=_pdf("files"),
    ),
    Case(
        "enterprise_register",
        "anon",
        "enterprise_register",
        data=lambda w: {
            "name": "南山新注册有限公司",
            "credit_code": valid_credit_code(987654),
            "nature": "private",
            "district": str(w.bureaus["nanshan"].pk),
            "address": "深圳市南山区1号",
            "legal_representative": "王五",
            "contact_name": "赵六",
            "contact_phone": "13800138001",
            "contact_email": "new@example.com",
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "Sh3nzhen-Portal-2026",
            "password2": "Sh3nzhen-Portal-2026",
        },
        kind="enterprise",
    ),
]

BUREAU_CASES = [
    Case(
        "enterprise_activate",
        "dora",
        "enterprise_activate",
        "pending_enterprise",
        page="enterprise_detail",
    ),
    Case(
        "filing_district_review",
        "dora",
        "filing_district_review",
        "district_filing",
        page="filing_detail",
        data=lambda w: {"opinion": "同意上报"},
    ),
    Case(
        "filing_assign_experts",
        "carl",
        "filing_assign_experts",
        "city_filing",
        page="filing_detail",
        data=lambda w: {"experts": [str(w.people["erin"].pk)]},
    ),
    Case(
        "filing_decide",
        "carl",
        "filing_decide",
        "city_filing",
        page="filing_detail",
        data=lambda w: {"decision": "approve", "note": "同意备案"},
        prepare=_decidable_filing,
    ),
    Case(
        "filing_expert_opinion",
        "erin",
        "filing_expert_opinion",
        "review_filing",
        data=lambda w: {
            "visited_on": "2026-11-10",
            "score": "88",
            "recommendation": "approve",
            "opinion": "条件具备",
        },
    ),
    Case(
        "plan_decide",
        "carl",
        "plan_decide",
        "submitted_plan",
        page="plan_detail",
        data=lambda w: {"decision": "acknowledge", "note": "已备案"},
    ),
    Case(
        "scheme_assign_experts",
        "carl",
        "scheme_assign_experts",
        "submitted_scheme",
        page="scheme_detail",
        data=lambda w: {"experts": [str(w.people["erin"].pk)]},
    ),
    Case(
        "scheme_expert_opinion",
        "erin",
        "scheme_expert_opinion",
        "review_scheme",
        data=lambda w: {"recommendation": "approve", "score": "85", "opinion": "方案可行"},
    ),
    Case(
        "examiner_revoke",
        "carl",
        "examiner_revoke",
        "examiner",
        data=lambda w: {"reason": "考评中弄虚作假"},
    ),
    Case(
        "result_decide",
        "carl",
        "result_decide",
        "submitted_results",
        page="result_batch",
        data=lambda w: {"decision": "approve", "note": "同意"},
    ),
    Case(
        "numbering_prefix_edit",
        "carl",
        "numbering_prefix_edit",
        "prefix_enterprise",
        data=lambda w: {"site_serial": "054321"},
    ),
    Case("complaint_take", "dora", "complaint_take", "complaint", page="complaint_detail"),
    Case(
        "complaint_answer",
        "dora",
        "complaint_answer",
        "handled_complaint",
        data=lambda w: {"answer": "经查属实，已责令整改。", "substantiated": "yes"},
    ),
    Case(
        "complaint_reassign",
        "carl",
        "complaint_reassign",
        "complaint",
        data=lambda w: {"bureau": str(w.bureaus["futian"].pk), "note": "转福田区"},
    ),
    Case(
        "inspection_record",
        "sam",
        "inspection_record",
        "inspection_planned",
        data=lambda w: {"visited_on": "2026-11-10", "summary": "现场检查"},
    ),
    Case(
        "finding_add",
        "sam",
        "finding_add",
        "inspection_planned",
        data=lambda w: {
            "description": "缺少签到表",
            "severity": "minor",
            "rectification": "补齐",
            "rectify_by": "2099-12-31",
        },
        files=_pdf("evidence"),
    ),
    Case(
        "finding_close",
        "dora",
        "finding_close",
        "finding_answered",
        data=lambda w: {"note": "整改到位"},
    ),
    Case(
        "finding_return",
        "dora",
        "finding_return",
        "finding_answered",
        data=lambda w: {"note": "整改不到位", "rectify_by": "2099-12-31"},
    ),
    Case(
        "sanction_create",
        "carl",
        "sanction_create",
        data=lambda w: {
            "enterprise": str(w.enterprises["A"].pk),
            "reason": "组织替考",
            "decided_on": "2026-11-20",
        },
        kind="sanction",
    ),
    Case(
        "evaluation_detail",
        "carl",
        "evaluation_detail",
        "evaluation",
        data=lambda w: {"note": "年度评估"},
        kind="evaluation",
    ),
    Case(
        "window_edit", "carl", "window_edit", "window", data=lambda w: {"closes_on": "2099-06-30"}
    ),
    Case(
        "supervisor_edit",
        "carl",
        "supervisor_edit",
        "draw_profile",
        data=lambda w: {"employer": "", "employer_name": "深圳市质量协会"},
    ),
    Case("draw_publish", "carl", "draw_publish", "draw_unpublished", page="draw_detail"),
    Case(
        "certificate_revoke_by_city",
        "carl",
        "certificate_revoke",
        "certificate",
        data=lambda w: {"reason": "考生替考，撤销证书"},
    ),
]


def _cases():
    return ENTERPRISE_CASES + BUREAU_CASES


def _b(world, key: str):
    return world.objects["B"][key]["pk"]


def _lines_without_scheme(world):
    """A filed line without a scheme for A, and one for B."""
    world.extra["line"] = filed_line(world.enterprises["A"]).pk
    world.extra["b_line"] = filed_line(world.enterprises["B"]).pk


def _in_publicity_beside_b(world):
    world.extra["b_entry"] = RosterEntryFactory(
        plan=PlanFactory(enterprise=world.enterprises["B"])
    ).pk
    return _in_publicity(world)


def _pool_candidates(world):
    """A supervisor of 深圳 and one of 佛山, neither in a pool yet (R-C2)."""
    world.extra["local"] = make_member("sue", "supervisor", bureau=world.bureaus["city"]).pk
    world.extra["far"] = make_member("fay", "supervisor", bureau=world.bureaus["other_city"]).pk


def _choice(
    case_id: str,
    who: str,
    url: str,
    key: str | None = None,
    *,
    field: str,
    own: Callable,
    other: Callable,
    many: bool = False,
    fixed: dict | None = None,
    **more,
) -> Case:
    """A choice case: the honest post picks own(world) in `field`, beside the `fixed` fields; the
    forged one picks other(world). Both give a primary key; `many` for a multiple choice."""

    def picked(get: Callable) -> Callable:
        return lambda w: {field: [str(get(w))] if many else str(get(w))}

    def data(world) -> dict:
        return {**picked(own)(world), **(fixed or {})}

    return Case(case_id, who, url, key, data=data, foreign=picked(other), **more)


CHOICE_CASES = [
    _choice(
        "plan_create_with_b_scheme",
        "alice",
        "plan_create",
        field="scheme",
        own=lambda w: _a(w, "approved_scheme"),
        other=lambda w: _b(w, "approved_scheme"),
        fixed={"title": "二期", "levels": ["5"]},
    ),
    _choice(
        "plan_staff_with_b_examiner",
        "alice",
        "plan_staff",
        "draft_plan",
        field="examiners",
        own=lambda w: _a(w, "examiner"),
        other=lambda w: _b(w, "examiner"),
        many=True,
    ),
    _choice(
        "scheme_create_on_b_scope_line",
        "alice",
        "scheme_create",
        field="scope_line",
        own=lambda w: w.extra["line"],
        other=lambda w: w.extra["b_line"],
        fixed={
            "standard_basis": "national",
            "standard_name": "国家职业技能标准（2020年版）",
            "levels": ["5", "4"],
            "methods": ["theory_exam", "practical"],
        },
        prepare=_lines_without_scheme,
    ),
    Case(
        "objection_about_b_examinee",
        "alice",
        "objection_add",
        "acknowledged_plan",
        data=lambda w: {"raised_by": "车间一班", "content": "实操成绩有误"},
        prepare=_in_publicity_beside_b,
        foreign=lambda w: {"entry": str(w.extra["b_entry"])},
    ),
    *(
        _choice(
            f"{what}_experts_of_foshan",
            "carl",
            f"{what}_assign_experts",
            key,
            field="experts",
            own=lambda w: w.people["erin"].pk,
            other=lambda w: w.people["fern"].pk,
            many=True,
            page=f"{what}_detail",
        )
        for what, key in [("filing", "city_filing"), ("scheme", "submitted_scheme")]
    ),
    _choice(
        "complaint_passed_to_shunde",
        "carl",
        "complaint_reassign",
        "complaint",
        field="bureau",
        own=lambda w: w.bureaus["futian"].pk,
        other=lambda w: w.bureaus["shunde"].pk,
        fixed={"note": "转交"},
    ),
    _choice(
        "sanction_on_foshan_enterprise",
        "carl",
        "sanction_create",
        field="enterprise",
        own=lambda w: w.enterprises["A"].pk,
        other=lambda w: w.enterprises["P"].pk,
        fixed={"reason": "组织替考"},
    ),
    _choice(
        "supervisor_employed_in_foshan",
        "carl",
        "supervisor_edit",
        "draw_profile",
        field="employer",
        own=lambda w: w.enterprises["B"].pk,
        other=lambda w: w.enterprises["P"].pk,
        fixed={"employer_name": ""},
    ),
    _choice(
        "supervisor_of_foshan_into_the_pool",
        "carl",
        "supervisor_add",
        field="user",
        own=lambda w: w.extra["local"],
        other=lambda w: w.extra["far"],
        fixed={"employer": "", "active": "on"},
        prepare=_pool_candidates,
    ),
]


@pytest.fixture(scope="module")
def world(built_world):
    return built_world


def _forged(world, case: Case) -> dict:
    """Fields no form of the portal offers to its user, naming other sides' objects and later
    states."""
    b, people, bureaus = world.enterprises["B"], world.people, world.bureaus
    objects_b = world.objects["B"]
    other = objects_b.get(case.kind or case.key) or objects_b["draft"]
    other_id = list(other.values())[-1]
    day = "2020-01-02"
    return {
        "status": "approved",
        "state": "approved",
        "enterprise": b.pk,
        "enterprise_id": b.pk,
        "district": bureaus["futian"].pk,
        "district_id": bureaus["futian"].pk,
        "city": bureaus["other_city"].pk,
        "city_id": bureaus["other_city"].pk,
        "bureau": bureaus["other_city"].pk,
        "reviewer": people["fred"].pk,
        "reviewer_id": people["fred"].pk,
        "assigned_to": people["fred"].pk,
        "assigned_to_id": people["fred"].pk,
        "expert": people["ezra"].pk,
        "supervisor": people["seth"].pk,
        "user": people["bob"].pk,
        "owner": people["bob"].pk,
        "actor": people["fred"].pk,
        "created_by": people["bob"].pk,
        "submitted_by": people["bob"].pk,
        "uploaded_by": people["bob"].pk,
        "decided_by": people["fred"].pk,
        "approved_by": people["fred"].pk,
        "approved_on": day,
        "submitted_on": day,
        "received_on": day,
        "decided_on": day,
        "acknowledged_on": day,
        "published_on": day,
        "issued_on": day,
        "revoked_on": day,
        "valid_until": "2099-12-31",
        "due_on": "2099-12-31",
        "number": "440399999999",
        "version": "999",
        "id": other_id,
        "pk": other_id,
        "filing": objects_b["draft"]["pk"],
        "filing_id": objects_b["draft"]["pk"],
        "plan": objects_b["draft_plan"]["pk"],
        "plan_id": objects_b["draft_plan"]["pk"],
        "scheme": objects_b["approved_scheme"]["pk"],
        "scheme_id": objects_b["approved_scheme"]["pk"],
        "result": "passed",
        "role": "city",
        "is_admin": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }


def _state(base: dict) -> dict:
    """Every row of the tables a post may write, comparable between two runs from the same
    state: times and file names as whether they are set, rows added since `base` (and
    references to them) by their content rather than their id."""
    state = {}
    for model in _models():
        label = model._meta.label
        known = base[label]
        rows, added = {}, []
        for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]):
            values = dict(zip([f.attname for f in model._meta.concrete_fields], row, strict=True))
            pk = values.pop(model._meta.pk.attname)
            normal = {
                f.attname: _normal(model, f, values, base)
                for f in model._meta.concrete_fields
                if f.attname in values
            }
            if pk in known:
                rows[pk] = normal
            else:
                added.append(normal)
        state[label] = {"rows": rows, "added": sorted(added, key=repr)}
    return state


def _normal(model, field, values: dict, base: dict):
    value = values[field.attname]
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return "set"
    random = field.has_default() and callable(field.default)
    if isinstance(field, models.FileField) or random or field.name == "password":
        # A file's stored name, a random token, a salted hash: only whether it is there.
        return bool(value)
    if field.is_relation and field.related_model is not None:
        target = field.related_model._meta.label
        if target in base and value not in base[target]:
            return "added"
        return value
    if model._meta.label == "supervision.ReminderDelivery" and field.name == "subject_key":
        # A notification's occasion names its object and the audit row of its step
        # ("label:pk:event[:url]"): rows the post added are compared as such.
        parts = value.split(":")
        if parts[0] == "notification" and parts[1].isdigit():  # one notification's own e-mail
            if int(parts[1]) not in base.get("supervision.Notification", set()):
                parts[1] = "added"
        elif len(parts) >= 3 and parts[1].isdigit() and parts[2].isdigit():
            about = apps.get_model(parts[0])._meta.label
            if about in base and int(parts[1]) not in base[about]:
                parts[1] = "added"
            if int(parts[2]) not in base.get("core.AuditEvent", set()):
                parts[2] = "added"
        return repr(":".join(parts))
    if field.attname in ("object_id", "object_pk") and "content_type_id" in values:
        target = ContentType.objects.get_for_id(values["content_type_id"]).model_class()
        label = target._meta.label if target else ""
        if label in base and int(value) not in base[label]:
            return "added"
        return value
    return repr(value)


def _models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS or model._meta.label in MODELS
    ]


def _base() -> dict:
    return {
        model._meta.label: set(model.objects.values_list("pk", flat=True)) for model in _models()
    }


def _differences(expected: dict, got: dict) -> list[str]:
    found = []
    for label, table in expected.items():
        other = got[label]
        for pk, row in table["rows"].items():
            changed = {
                name: (value, other["rows"].get(pk, {}).get(name))
                for name, value in row.items()
                if other["rows"].get(pk, {}).get(name) != value
            }
            if changed:
                found.append(f"{label} #{pk}: {changed}")
        if table["added"] != other["added"]:
            found.append(f"{label} added: {table['added']} ≠ {other['added']}")
    return found


def _changed(before: dict, after: dict, label: str) -> list:
    rows = before[label]["rows"]
    return [pk for pk, row in after[label]["rows"].items() if rows.get(pk) != row]


def _post(client: Client, url: str, fields: dict, case: Case, base: dict):
    """Post from the state as it is and undo it: the answer's status and the state it left."""
    data = dict(fields)
    if case.files:
        data.update(case.files())
    media = Path(settings.MEDIA_ROOT)
    kept = media.with_name(media.name + "-kept")
    if case.removes_files:
        shutil.copytree(media, kept)
    with transaction.atomic():
        savepoint = transaction.savepoint()
        response = client.post(url, data, follow=True)
        state = _state(base)
        transaction.savepoint_rollback(savepoint)
    if case.removes_files:
        shutil.rmtree(media)
        kept.rename(media)
    return response, state


def _page(case: Case, kwargs: dict | None) -> str:
    """The page carrying the form: at the object itself, or at the object it belongs to."""
    try:
        return reverse(case.page, kwargs=kwargs)
    except NoReverseMatch:
        pass
    try:
        return reverse(case.page, kwargs={"pk": kwargs["pk"]})
    except NoReverseMatch:
        return reverse(case.page)


def _form(client: Client, world, case: Case) -> tuple[str, dict]:
    """The URL the case posts to and the fields of its form as the page renders them."""
    if case.prepare:
        kwargs = case.prepare(world)
    else:
        kwargs = world.objects["A"][case.key] if case.key else None
    url = reverse(case.url, kwargs=kwargs)
    page = _page(case, kwargs) if case.page else url
    response = client.get(page)
    assert response.status_code == 200, f"{case.who} GET {page}: {response.status_code}"
    fields = form_fields(response.content.decode(), url, page=page)
    if case.data:
        fields.update({k: v if isinstance(v, list) else [v] for k, v in case.data(world).items()})
    return url, fields


def _answer(response) -> list[int]:
    """The statuses the user saw (new objects' ids in the redirects differ on PostgreSQL)."""
    return [code for _url, code in response.redirect_chain] + [response.status_code]


def _nothing_done(url: str, fields: dict, response) -> str:
    """Why a case is wrong: its honest post was refused (the page's errors and messages)."""
    html = response.content.decode()
    said = re.findall(r'class="(?:errorlist|messages?)[^"]*"[^>]*>(.*?)</(?:ul|div)>', html, re.S)
    text = [re.sub(r"<[^>]+>|\s+", " ", part).strip() for part in said]
    return f"the honest post to {url} changed nothing ({response.status_code}): {text} {fields}"


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.id)
def test_fields_outside_the_form_change_nothing(case, world, db):
    world.extra = {}
    client = Client()
    if case.who != "anon":
        client.force_login(world.people[case.who])
    url, fields = _form(client, world, case)
    base = _base()
    before = _state(base)
    honest_response, honest = _post(client, url, fields, case, base)
    assert _differences(before, honest), _nothing_done(url, fields, honest_response)
    forged_fields = {k: [str(v)] for k, v in _forged(world, case).items() if k not in fields}
    forged_response, forged = _post(client, url, {**fields, **forged_fields}, case, base)
    assert _answer(forged_response) == _answer(honest_response)
    assert _differences(honest, forged) == []
    if case.who in ENTERPRISE_PEOPLE:
        own = world.enterprises["A"].pk
        written = [
            row.get("enterprise_id")
            for label, table in forged.items()
            for row in [
                *table["added"],
                *(table["rows"][pk] for pk in _changed(before, forged, label)),
            ]
        ]
        assert {e for e in written if e is not None} <= {own}


@pytest.mark.parametrize("case", CHOICE_CASES, ids=lambda case: case.id)
def test_choices_naming_other_sides_objects_are_refused(case, world, db):
    """A choice field offers the user's own scope only: a scheme, an examiner, a scope line, an
    examinee of B; an expert, a district, an enterprise, a supervisor of 佛山. The same form
    with the user's own choice goes through."""
    world.extra = {}
    client = Client()
    client.force_login(world.people[case.who])
    url, fields = _form(client, world, case)
    base = _base()
    before = _state(base)
    honest_response, honest = _post(client, url, fields, case, base)
    assert _differences(before, honest), _nothing_done(url, fields, honest_response)
    foreign = {k: v if isinstance(v, list) else [v] for k, v in case.foreign(world).items()}
    _response, after = _post(client, url, {**fields, **foreign}, case, base)
    assert _differences(before, after) == []
