"""Demo data of the assessment stage, called by `seed_demo` after the filings exist.

Enterprise 2 gets an approved scheme (车工), one under expert evaluation (电工), an examiner
register, an acknowledged plan with a roster and one draft plan waiting for its roster; the
city-administered enterprise has a draft scheme. Sample roster files for the import (one clean,
one with mistakes) are written to var/demo/.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from stdnum.cn import ric

from assessments.examiners import services as examiner_services
from assessments.models import (
    ApplicationRoute,
    AssessmentSession,
    EvaluationScheme,
    ExaminerRole,
    ExaminerScope,
    ImplementationPlan,
    LevelMapping,
    PlanStatus,
    SchemeComponent,
    SessionInvigilator,
)
from assessments.plans import services as plan_services
from assessments.results.scoring import ScoreInput
from assessments.rosters.reader import CATEGORY_HEADER, HEADERS
from assessments.rosters.reader.conditions import CONDITION_HEADERS
from assessments.rosters.services import roster_import
from assessments.schemes import condition_services
from assessments.schemes import services as scheme_services
from assessments.scores.services import scores_save
from demo.agreements import mark_entrusted_examinee, seed_agreement
from filings.models import FilingStatus
from portal.core import workdays
from portal.core.errors import ServiceError

DRAFT_PLAN_TITLE = "2027年第一期数控车工认定"
NAMES = [
    "王伟",
    "李娜",
    "张敏",
    "刘洋",
    "陈静",
    "杨磊",
    "黄丽",
    "赵强",
    "吴杰",
    "周芳",
    "徐涛",
    "孙艳",
]


def id_number(n: int, born: dt.date) -> str:
    body = f"440304{born:%Y%m%d}{100 + n:03d}"
    return body + ric.calc_check_digit(body + "0")


def roster_xlsx(
    enterprise,
    line,
    count: int,
    *,
    mistakes: bool = False,
    first: int = 0,
    enterprise_level: str = "",
) -> bytes:
    """An official-format roster for the line; with `mistakes`, rows a reviewer would catch;
    with `enterprise_level`, the first row names that level of the scheme's own (R-S4)."""
    from portal.core.xlsx import new_workbook, workbook_to_bytes

    workbook = new_workbook()
    sheet = workbook.create_sheet("名册")
    sheet.append(["职业技能等级认定人员名册"])
    sheet.append([*HEADERS, CATEGORY_HEADER, *CONDITION_HEADERS])
    for n in range(first, first + count):
        born = dt.date(1985 + n % 12, 1 + n % 12, 1 + n % 28)
        number = id_number(n, born)
        row = [
            n - first + 1,
            "Y0001",
            enterprise.name,
            NAMES[n % len(NAMES)],
            "居民身份证",
            number,
            "男" if int(number[16]) % 2 else "女",
            born.isoformat(),
            f"1380013{n:04d}",
            "",
            "是",
            enterprise.name,
            f"{6 + n % 10}年",
            line.occupation.name,
            dt.date(2015, 3, 1),
            line.occupation.code,
            line.occupation.name,
            line.work_type.name if line.work_type else "",
            "四级/中级工" if n % 3 else "五级/初级工",
            "",
            None,
            "本企业职工",
        ]
        if enterprise_level and n == first:
            row[18] = enterprise_level
        row += _condition_cells(n - first, row, mistakes=mistakes)
        if mistakes and n == first + 1:
            row[5] = number[:-1] + ("0" if number[-1] != "0" else "1")  # bad check digit
        if mistakes and n == first + 2:
            row[18] = "二级/技师"  # outside the plan's levels (R-P4)
        if mistakes and n == first + 3:
            row[8] = "12345"  # not a phone number
        sheet.append(row)
    return workbook_to_bytes(workbook)


def _condition_cells(k: int, row: list, *, mistakes: bool) -> list:
    """已获证书等级, 证书取得时间, 培训学时, 破格申报, 破格理由, 破格依据 (seed 004 §三(一)(二)).

    Row 5 applies for 四级 by its 五级 certificate, row 6 out of the ordinary (破格); with
    `mistakes`, row 7 applies for 四级 after 3 years with no certificate."""
    if k == 4:
        row[12], row[18] = "4年", "四级/中级工"
        return ["五级/初级工", dt.date(2020, 6, 30), 420, "否", "", ""]
    if k == 5:
        row[12], row[18] = "2年", "四级/中级工"
        return [
            "",
            None,
            None,
            "是",
            "2025年市职业技能竞赛车工项目第二名",
            "深人社〔2025〕88号获奖通报",
        ]
    if mistakes and k == 6:
        row[12], row[18] = "3年", "四级/中级工"
    return ["", None, None, "", "", ""]


def demo_draft_plan_line() -> str | None:
    """The line seed_demo prints: the draft plan waiting for its roster, whose scheme carries the
    application conditions of the 车工 national standard."""
    plan = (
        ImplementationPlan.objects.filter(title=DRAFT_PLAN_TITLE, status=PlanStatus.DRAFT)
        .order_by("pk")
        .first()
    )
    return f"demo draft plan: {plan.pk}" if plan else None


def _lathe_conditions(scheme: EvaluationScheme, actor) -> None:
    """The 申报条件 and 破格条件 of the 车工 national standard (2018), as the scheme's routes."""
    routes = [
        (5, {"min_years_in_occupation": 1}, "累计从事本职业或相关职业工作1年（含）以上"),
        (5, {"min_training_hours": 400}, "经本职业五级/初级工正规培训达规定标准学时（400学时）"),
        (4, {"min_years_in_occupation": 6}, "累计从事本职业或相关职业工作6年（含）以上"),
        (
            4,
            {"prior_certificate_level": 5, "min_years_since_certificate": 4},
            "取得本职业五级/初级工证书后，累计从事本职业工作4年（含）以上",
        ),
        (
            3,
            {"prior_certificate_level": 4, "min_years_since_certificate": 5},
            "取得本职业四级/中级工证书后，累计从事本职业工作5年（含）以上",
        ),
    ]
    for level, minimums, description in routes:
        condition_services.scheme_route_save(
            scheme=scheme,
            actor=actor,
            route=ApplicationRoute(level=level, description=description, **minimums),
            expected_version=None,
        )
    for level, ground, description, minimums in (
        (4, "competition", "在市级以上职业技能竞赛车工项目中获得前三名", {}),
        (3, "contribution", "在技术革新、技术改造中作出重大贡献", {"min_years_in_occupation": 3}),
    ):
        condition_services.scheme_route_save(
            scheme=scheme,
            actor=actor,
            route=ApplicationRoute(
                level=level, exceptional=True, ground=ground, description=description, **minimums
            ),
            expected_version=None,
        )


def seed_assessments(*, enterprises: dict, users: dict, today: dt.date) -> dict:
    """Returns the objects later stages of the demo build on ("approved_plan")."""
    e2 = enterprises["e2"]
    operator = users["enterprise2"]
    lines = {
        line.occupation.code: line
        for line in e2.filings.get(status=FilingStatus.APPROVED).scope_lines.select_related(
            "occupation", "work_type"
        )
    }
    lathe, electric = lines["6-18-01-01"], lines["6-31-01-03"]
    _register(e2, operator, lathe, electric)

    lathe_scheme = _scheme(e2, operator, lathe, [5, 4, 3, 2, 1])
    _enterprise_levels(lathe_scheme, operator)
    _lathe_conditions(lathe_scheme, operator)
    scheme_services.scheme_submit(scheme=lathe_scheme, actor=operator)
    _evaluate(lathe_scheme, users, approve=True)
    electric_scheme = _scheme(e2, operator, electric, [5, 4, 3, 2])
    scheme_services.scheme_submit(scheme=electric_scheme, actor=operator)
    scheme_services.scheme_assign_experts(
        scheme=electric_scheme, actor=users["city"], experts=[users["expert"]]
    )

    _acknowledged_plan(e2, operator, lathe_scheme, users, today, title="2026年第四期数控车工认定")
    earlier = _acknowledged_plan(
        e2, operator, lathe_scheme, users, today, title="2026年第三期数控车工认定", first=40
    )
    _filed_results(earlier, operator, today)
    # An earlier plan still, whose result filing the city approved: its certificates are issued
    # by certificates.demo.
    certified = _acknowledged_plan(
        e2,
        operator,
        lathe_scheme,
        users,
        today,
        title="2026年第二期数控车工认定",
        first=80,
        enterprise_level="四级一档",
    )
    agreement = seed_agreement(
        evaluator=e2, client=enterprises["e1"], scheme=lathe_scheme, users=users, today=today
    )
    mark_entrusted_examinee(certified, agreement)
    _filed_results(certified, operator, today)
    from assessments.results.services import result_approve

    result_approve(batch=certified.result_batch, actor=users["city"], note="材料齐全，同意备案。")
    draft = plan_services.plan_create(
        enterprise=e2,
        actor=operator,
        scheme=EvaluationScheme.objects.get(pk=lathe_scheme.pk),
        data={"title": DRAFT_PLAN_TITLE, "levels": [5, 4], "application_conditions": ""},
    )
    _session(draft, operator, today + dt.timedelta(days=45))
    _staff(draft, operator)

    e10 = enterprises["e10"]
    metro_line = e10.filings.get(status=FilingStatus.APPROVED).scope_lines.order_by("pk").last()
    _scheme(e10, users["e10"], metro_line, [5, 4, 3])

    folder = Path(settings.VAR_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster-clean.xlsx").write_bytes(roster_xlsx(e2, lathe, 12, first=100))
    (folder / "roster-with-mistakes.xlsx").write_bytes(
        roster_xlsx(e2, lathe, 12, mistakes=True, first=100)
    )
    return {"approved_plan": certified}


def _register(enterprise, actor, lathe, electric, *, first: int = 500) -> None:
    people = [
        ("林建华", ExaminerRole.EXAMINER, [(lathe, 3), (electric, 2)]),
        ("高明", ExaminerRole.EXAMINER, [(lathe, 3)]),
        ("罗志勇", ExaminerRole.EXAMINER, [(lathe, 2), (electric, 2)]),
        ("梁红", ExaminerRole.EXAMINER, [(electric, 2)]),
        ("宋宇", ExaminerRole.EXAMINER, [(lathe, 3), (electric, 3)]),
        ("谢晓芳", ExaminerRole.SUPERVISOR, []),
    ]
    for n, (name, role, scopes) in enumerate(people):
        examiner = examiner_services.examiner_create(
            enterprise=enterprise,
            actor=actor,
            data={
                "role": role,
                "name": name,
                "id_number": id_number(first + n, dt.date(1975, 5, 1 + n)),
                "phone": f"1390013{n:04d}",
                "qualification": "高级考评员" if role == ExaminerRole.EXAMINER else "质量督导员",
                "certificate_number": f"KP{2019500 + first + n}",
            },
        )
        for line, highest in scopes:
            if line is None:
                continue
            examiner_services.examiner_scope_save(
                examiner=examiner,
                actor=actor,
                scope=ExaminerScope(occupation=line.occupation, highest_level=highest),
                expected_version=None,
            )


def _scheme(enterprise, actor, line, levels) -> EvaluationScheme:
    scheme = scheme_services.scheme_create(
        enterprise=enterprise,
        actor=actor,
        scope_line=line,
        data={
            "standard_basis": "national",
            "standard_name": f"{line.occupation.name}国家职业技能标准（2018年版）",
            "levels": levels,
            "methods": ["theory_exam", "practical", "safety_review", "performance"],
            "application_conditions": "在本企业从事本职业工作满规定年限，遵守安全生产规定。",
            "exceptional_conditions": "获得市级以上技能竞赛前三名者可破格申报高一等级。",
            "direct_recognition_criteria": "",
        },
    )
    for kind, weight, veto in (
        ("theory", 30, False),
        ("practical", 50, False),
        ("safety", 20, True),
    ):
        scheme_services.scheme_component_save(
            scheme=scheme,
            actor=actor,
            component=SchemeComponent(
                kind=kind, weight=Decimal(weight), pass_mark=Decimal(60), veto=veto
            ),
            expected_version=None,
        )
    return EvaluationScheme.objects.get(pk=scheme.pk)


def _enterprise_levels(scheme, actor) -> None:
    """R-S4 (seed 004 §一(三)): levels above 一级 and a sub-level, each mapped to a national one."""
    for name, level in (("特级技师", 1), ("首席技师", 1), ("四级一档", 4)):
        scheme_services.scheme_mapping_save(
            scheme=scheme,
            actor=actor,
            mapping=LevelMapping(enterprise_level=name, national_level=level),
            expected_version=None,
        )


def _evaluate(scheme, users, *, approve: bool) -> None:
    scheme_services.scheme_assign_experts(
        scheme=scheme, actor=users["city"], experts=[users["expert2"]]
    )
    review = scheme.reviews.get(expert=users["expert2"])
    scheme_services.scheme_expert_opinion(
        review=review,
        actor=users["expert2"],
        score=90,
        recommendation="approve",
        opinion="考核内容与国家标准一致，权重设置合理，同意通过。",
    )
    if approve:
        scheme_services.scheme_approve(scheme=scheme, actor=users["city"], note="同意。")


def _session(plan, actor, day: dt.date) -> None:
    theory = plan_services.session_save(
        plan=plan,
        actor=actor,
        session=AssessmentSession(
            date=day,
            starts_at=dt.time(9),
            ends_at=dt.time(11, 30),
            site="实训中心A栋",
            room="理论考场1",
            component="theory",
        ),
    )
    practical = plan_services.session_save(
        plan=plan,
        actor=actor,
        session=AssessmentSession(
            date=day,
            starts_at=dt.time(14),
            ends_at=dt.time(17),
            site="实训中心B栋",
            room="数控实训车间",
            component="practical",
        ),
    )
    # Seed 004 §三(一): two invigilators for each session (监考人员), others for another plan
    # of the same day.
    first = (plan.pk * 2) % len(INVIGILATORS)
    for session in (theory, practical):
        for name, organisation in INVIGILATORS[first : first + 2]:
            plan_services.invigilator_add(
                plan=plan,
                actor=actor,
                invigilator=SessionInvigilator(
                    session=session, name=name, organisation=organisation, phone="13800138000"
                ),
            )


INVIGILATORS = [
    ("周明", "人力资源部 培训主管"),
    ("吴芳", "质量部 质检员"),
    ("陈刚", "设备部 工程师"),
    ("郑丽", "行政部 主管"),
    ("王磊", "安全环保部 安全员"),
    ("孙娟", "工会 干事"),
    ("李强", "生产部 调度员"),
    ("赵敏", "财务部 会计"),
    ("钱伟", "技术中心 工艺员"),
    ("冯静", "人力资源部 专员"),
]


def _staff(plan, actor) -> None:
    enterprise = plan.enterprise
    occupation = plan.scheme.scope_line.occupation
    examiners = list(
        examiner_services.examiners_available_for(
            enterprise=enterprise, occupation=occupation, levels=plan.levels
        )
    )
    supervisors = list(examiner_services.supervisors_available_for(enterprise=enterprise))
    plan.refresh_from_db()
    plan_services.plan_set_staff(
        plan=plan,
        actor=actor,
        examiners=examiners,
        supervisors=supervisors,
        expected_version=plan.version,
    )


def _acknowledged_plan(
    enterprise, actor, scheme, users, today: dt.date, *, title, first=0, enterprise_level=""
):
    """A plan the city acknowledged, whose sessions have been held and scores entered."""
    plan = plan_services.plan_create(
        enterprise=enterprise,
        actor=actor,
        scheme=EvaluationScheme.objects.get(pk=scheme.pk),
        data={"title": title, "levels": [5, 4], "application_conditions": ""},
    )
    try:
        session_day = workdays.add_working_days(today, 12)
    except workdays.CalendarMissing:
        session_day = today + dt.timedelta(days=20)
    _session(plan, actor, session_day)
    _staff(plan, actor)
    roster_import(
        plan=plan,
        actor=actor,
        data=roster_xlsx(
            enterprise, scheme.scope_line, 12, first=first, enterprise_level=enterprise_level
        ),
        filename="名册.xlsx",
    )
    try:
        plan_services.plan_submit(plan=plan, actor=actor)
        plan_services.plan_acknowledge(plan=plan, actor=users["city"], note="收悉，按计划实施。")
    except ServiceError:
        # Seeding in a year whose calendar is missing: the demo still shows the stage.
        plan.__class__.objects.filter(pk=plan.pk).update(
            status=PlanStatus.ACKNOWLEDGED, submitted_on=today, acknowledged_on=today
        )
    # The sessions have been held meanwhile, and the scores entered: one examinee fails on the
    # safety veto (R-S3), one below the practical pass mark.
    plan.refresh_from_db()
    rows = []
    for n, entry in enumerate(plan.roster.order_by("seq")):
        practical = Decimal(55) if n == 4 else Decimal(70 + n)
        rows.append(
            ScoreInput(
                entry_id=entry.pk,
                scores={"theory": Decimal(65 + n), "practical": practical, "safety": Decimal(90)},
                safety_violation=n == 7,
            )
        )
    scores_save(plan=plan, actor=actor, rows=rows, expected_version=plan.version)
    held = today - dt.timedelta(days=7)
    plan.sessions.update(date=held)
    plan.__class__.objects.filter(pk=plan.pk).update(
        submitted_on=held - dt.timedelta(days=21), acknowledged_on=held - dt.timedelta(days=18)
    )
    return plan


def _filed_results(plan, actor, today: dt.date) -> None:
    """Results publicised three weeks ago, publicity over, filed with the city (R-R1, R-R2)."""
    from assessments.models import ResultBatch
    from assessments.results.services import publicity_dates, result_publish, result_submit
    from filings.eligibility import policy_for

    batch = result_publish(plan=plan, actor=actor)
    published = today - dt.timedelta(days=21)
    ends, due = publicity_dates(published, policy_for(plan.enterprise))
    ResultBatch.objects.filter(pk=batch.pk).update(
        published_on=published, publicity_ends_on=ends, filing_due_on=due
    )
    batch.refresh_from_db()
    result_submit(batch=batch, actor=actor)


def seed_province_review_batch(*, enterprise, operator, reviewer, expert, today: dt.date) -> None:
    """An enterprise whose filing is approved: its examiners, an approved scheme, a plan held,
    its results publicised, filed and approved by `reviewer` (the city). Where the policy sends
    results on to the province (seed 004 §三(三)), the batch then waits there."""
    from assessments.results.services import result_approve

    lathe = (
        enterprise.filings.get(status=FilingStatus.APPROVED).scope_lines.select_related(
            "occupation", "work_type"
        )
    ).get()
    _register(enterprise, operator, lathe, None, first=600)
    users = {"city": reviewer, "expert2": expert}
    scheme = _scheme(enterprise, operator, lathe, [5, 4, 3])
    scheme_services.scheme_submit(scheme=scheme, actor=operator)
    _evaluate(scheme, users, approve=True)
    plan = _acknowledged_plan(
        enterprise, operator, scheme, users, today, title="2026年第四期数控车工评价", first=300
    )
    _filed_results(plan, operator, today)
    result_approve(batch=plan.result_batch, actor=reviewer, note="市级审核通过，报省级中心审核。")
