"""The demo's social training evaluation organisation (社会培训评价组织, R-M7, seed 003 §二).

佛山市顺德区智能制造职业培训学校 (user `fs-training`) registered as an organisation, not an
enterprise: its filing declares 8 years of training and evaluation, 36,000 person-times (12,000 of
them evaluation) and 8,000 in 电工, on Foshan's shortage list; 顺德区 forwarded it, Foshan's
expert evaluated it and Foshan approved it. Its scheme is approved, a plan for members of the
public has been held, its results approved, and its certificates carry the prefix S.
"""

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from stdnum.cn import uscc

from assessments.models import EvaluationScheme, PlanStatus
from assessments.plans import services as plan_services
from assessments.results.scoring import ScoreInput
from assessments.rosters.reader import CATEGORY_HEADER, HEADERS
from assessments.rosters.services import roster_import
from assessments.schemes import services as scheme_services
from assessments.scores.services import scores_save
from certificates.issuance.services import issue_certificates
from certificates.models import Certificate
from certificates.numbering.services import prefix_set
from demo.assessments import (
    _evaluate,
    _filed_results,
    _register,
    _scheme,
    _session,
    _staff,
    roster_xlsx,
)
from demo.marks import opinion_marks
from demo.materials import add_materials, application_form_facts
from filings.filings import services as filing_services
from filings.models import (
    Enterprise,
    EnterpriseStatus,
    Filing,
    FilingScopeLine,
    InstitutionKind,
    Occupation,
)
from filings.review import services as review_services
from portal.core import workdays
from portal.core.errors import ServiceError
from portal.core.models import Bureau, Membership, Policy, Role

User = get_user_model()

NAME = "佛山市顺德区智能制造职业培训学校"
USERNAME = "fs-training"
ELECTRICIAN = "6-31-01-03"
# The demo's copy of the shortage occupations Foshan publishes (seed 003 §三(二)).
SHORTAGE = [ELECTRICIAN, "6-18-01-01"]


def seed_social_org(*, password: str, today: dt.date) -> Enterprise:
    foshan = Bureau.objects.get(code="4406")
    shunde = Bureau.objects.get(code="440606")
    Policy.objects.filter(bureau=foshan).update(shortage_occupations=SHORTAGE)
    users = {
        "city": User.objects.get(username="foshan"),
        "district": _member("shunde", password, role=Role.DISTRICT, bureau=shunde, name="区晓峰"),
        "expert": _member(
            "foshan-expert", password, role=Role.EXPERT, bureau=foshan, name="麦国华"
        ),
    }
    body = "52440606MJL00001"[:17].ljust(17, "0")
    org, _created = Enterprise.objects.get_or_create(
        credit_code=body + uscc.calc_check_digit(body),
        defaults={
            "name": NAME,
            "kind": InstitutionKind.SOCIAL_TRAINING_ORG,
            "district": shunde,
            "nature": "private",
            "address": "佛山市顺德区大良街道技能培训路8号",
            "legal_representative": "何志强",
            "contact_name": "陈小玲",
            "contact_phone": "0757-22668899",
            "contact_email": "office@sd-training.example.cn",
            "status": EnterpriseStatus.ACTIVE,
        },
    )
    operator = _member(USERNAME, password, role=Role.ENTERPRISE, enterprise=org, name="陈小玲")
    line = _approved_filing(org, operator, users, today)
    _certified_plan(org, operator, line, users, today)
    return org


def _member(username: str, password: str, *, role, name: str, bureau=None, enterprise=None):
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(password)
        user.email = f"{username}@example.cn"
        user.save()
    Membership.objects.update_or_create(
        user=user,
        defaults={"role": role, "bureau": bureau, "enterprise": enterprise, "full_name": name},
    )
    return user


def _approved_filing(org, operator, users, today: dt.date) -> FilingScopeLine:
    """Seed 003 §二(一)2: the organisation's figures, filed through 顺德区 and Foshan."""
    filing = filing_services.filing_create(
        enterprise=org,
        actor=operator,
        data={
            "business_scope": "职业技能培训；职业技能评价；人才培养服务",
            "good_credit": True,
            "has_dedicated_staff": True,
            "evaluating_since": today.replace(year=today.year - 8, day=1),
            "training_total": 36_000,
            "evaluation_total": 12_000,
            "situation": "顺德区人社部门批准设立的民办职业培训学校，长期开展电工、车工培训评价。",
            "site_and_equipment": "电工实训考核室6间、工位60个，全程视频监控。",
            "staff_and_examiners": "认定工作部专职人员5人，考评人员18人，督导人员2人。",
            **application_form_facts(org),
        },
    )
    filing_services.filing_line_save(
        filing=filing,
        actor=operator,
        line=FilingScopeLine(
            occupation=Occupation.objects.get(code=ELECTRICIAN),
            levels=[5, 4, 3],
            standard_type="national",
            examiners=8,
            training_count=8_000,
        ),
        expected_version=None,
    )
    add_materials(filing, operator, org.district)
    filing = filing_services.filing_submit(filing=Filing.objects.get(pk=filing.pk), actor=operator)
    if filing.status == "district_review":
        filing = review_services.filing_district_forward(
            filing=filing,
            actor=users["district"],
            opinion="培训评价规模和评价占比符合要求，同意报市。",
        )
    filing = review_services.filing_assign_experts(
        filing=filing, actor=users["city"], experts=[users["expert"]]
    )
    assignment = filing.expert_assignments.get()
    review_services.filing_expert_opinion(
        assignment=assignment,
        actor=users["expert"],
        visited_on=today,
        **opinion_marks(assignment, 88),
        recommendation="approve",
        opinion="培训评价经历、规模和场地设备符合社会培训评价组织条件，建议备案。",
    )
    filing = review_services.filing_approve(
        filing=Filing.objects.get(pk=filing.pk), actor=users["city"], note="同意备案。"
    )
    return filing.scope_lines.select_related("occupation", "work_type").get()


def _public_roster(org, line) -> bytes:
    """The demo roster, its examinees members of the public (seed 003 §四(二))."""
    workbook = load_workbook(io.BytesIO(roster_xlsx(org, line, 10, first=850)))
    sheet = workbook["名册"]
    columns = {header: index + 1 for index, header in enumerate([*HEADERS, CATEGORY_HEADER])}
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row, columns["是否本企业职工"], "否")
        sheet.cell(row, columns["所在单位"], None)
        sheet.cell(row, columns["所在岗位"], None)
        sheet.cell(row, columns["入职时间"], None)
        sheet.cell(row, columns[CATEGORY_HEADER], "社会人员")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _certified_plan(org, operator, line, users, today: dt.date) -> None:
    from assessments.results.services import result_approve

    _register(org, operator, line, None, first=700)
    reviewers = {"city": users["city"], "expert2": users["expert"]}
    scheme = _scheme(org, operator, line, [5, 4, 3])
    scheme_services.scheme_submit(scheme=scheme, actor=operator)
    _evaluate(scheme, reviewers, approve=True)
    plan = plan_services.plan_create(
        enterprise=org,
        actor=operator,
        scheme=EvaluationScheme.objects.get(pk=scheme.pk),
        data={
            "title": "2026年第一期电工社会化评价",
            "levels": [5, 4],
            "application_conditions": "",
        },
    )
    try:
        session_day = workdays.add_working_days(today, 12)
    except workdays.CalendarMissing:
        session_day = today + dt.timedelta(days=20)
    _session(plan, operator, session_day)
    _staff(plan, operator)
    roster_import(plan=plan, actor=operator, data=_public_roster(org, line), filename="名册.xlsx")
    try:
        plan_services.plan_submit(plan=plan, actor=operator)
        plan_services.plan_acknowledge(plan=plan, actor=users["city"], note="收悉。")
    except ServiceError:
        plan.__class__.objects.filter(pk=plan.pk).update(
            status=PlanStatus.ACKNOWLEDGED, submitted_on=today, acknowledged_on=today
        )
    plan.refresh_from_db()
    rows = [
        ScoreInput(
            entry_id=entry.pk,
            scores={"theory": Decimal(70 + n), "practical": Decimal(72 + n), "safety": Decimal(90)},
            safety_violation=False,
        )
        for n, entry in enumerate(plan.roster.order_by("seq"))
    ]
    scores_save(plan=plan, actor=operator, rows=rows, expected_version=plan.version)
    held = today - dt.timedelta(days=7)
    plan.sessions.update(date=held)
    plan.__class__.objects.filter(pk=plan.pk).update(
        submitted_on=held - dt.timedelta(days=21), acknowledged_on=held - dt.timedelta(days=18)
    )
    _filed_results(plan, operator, today)
    result_approve(batch=plan.result_batch, actor=users["city"], note="同意备案。")
    prefix_set(
        enterprise=org,
        actor=users["city"],
        institution_code="0000",
        province_code="44",
        site_serial="060001",
    )
    issue_certificates(result_batch=plan.result_batch, actor=operator, issued_on=today)


def social_org_line() -> str | None:
    """The line seed_demo prints: the organisation's user and one of its S certificates."""
    certificate = (
        Certificate.objects.filter(enterprise__members__user__username=USERNAME)
        .order_by("number")
        .first()
    )
    if certificate is None:
        return None
    return (
        f"demo social training organisation: {NAME} (user {USERNAME}), "
        f"certificate {certificate.number} {certificate.holder_name}"
    )
