"""Demo data of the supervision area 'inspection' (called by supervision/demo.py in order).

What a newcomer sees: the e1 inspection reported by `supervisor` with one finding open, so
`enterprise1` can answer it; another inspection of the draw left planned for `supervisor` to
record; and one inspection closed with its result published on the public draw page (R-M1).
"""

import datetime as dt

from guardian.shortcuts import assign_perm

from portal.core.workdays import CalendarMissing, add_working_days
from supervision.draws.algorithm import INSPECT_PERM
from supervision.inspections import services
from supervision.models import (
    Draw,
    Inspection,
    InspectionAssignment,
    InspectionStatus,
)

ALL_OK = {key: {"result": "ok", "note": ""} for key, _label, _rule in services.CHECKLIST}


def _deadline(today: dt.date) -> dt.date:
    try:
        return services.default_rectify_by(today)
    except CalendarMissing:
        return today + dt.timedelta(days=14)


def _near_deadline(today: dt.date) -> dt.date:
    """Two working days away: close enough that the demo shows the rectification reminder."""
    try:
        return add_working_days(today, 2)
    except CalendarMissing:
        return today + dt.timedelta(days=3)


def _fallback_inspection(*, enterprise, users: dict, today) -> Inspection:
    """Only when the draw area left no e1 inspection: one made like the test factory."""
    city = enterprise.district.parent
    draw = Draw.objects.create(
        city=city,
        title=f"{today.year}年第1批双随机抽查",
        kind="enterprises",
        year=today.year,
        seed="demo",
        target_count=1,
        supervisors_per_target=1,
        candidates=[[enterprise.pk, 1]],
        pool=[users["supervisor"].pk],
        drawn_by=users["city"],
    )
    inspection = Inspection.objects.create(draw=draw, position=1, enterprise=enterprise)
    InspectionAssignment.objects.create(inspection=inspection, supervisor=users["supervisor"])
    assign_perm(INSPECT_PERM, users["supervisor"], inspection)
    return inspection


def _remark(inspection: Inspection, supervisor, description: str, *, rule: str) -> None:
    """A minor finding that needs no rectification."""
    services.finding_add(
        inspection=inspection,
        actor=supervisor,
        description=description,
        severity="minor",
        rule=rule,
        rectification_required=False,
        rectification="",
        rectify_by=None,
    )


def _report_e1(inspection: Inspection, *, supervisor, today) -> None:
    services.finding_add(
        inspection=inspection,
        actor=supervisor,
        description=(
            "车工实操考场2号监控摄像头故障，10月份第二批次实操考核过程无录像留存；"
            "考务记录中未见故障报修记录。"
        ),
        severity="serious",
        rule="R-C1",
        rectification_required=True,
        rectification=(
            "修复或更换摄像头，建立考场音视频设备考前检查制度；"
            "补充说明该批次考核过程并提交考评员签字的情况说明。"
        ),
        rectify_by=_near_deadline(today),
    )
    _remark(
        inspection, supervisor, "收费标准已在厂区公告栏公示，但未在企业官网同步公示。", rule="R-M5"
    )
    checklist = dict(ALL_OK)
    checklist["records"] = {"result": "problem", "note": "2号摄像头10月无录像"}
    checklist["fees"] = {"result": "ok", "note": "官网未同步公示，已提醒"}
    inspection.refresh_from_db()
    services.inspection_record(
        inspection=inspection,
        actor=supervisor,
        checklist=checklist,
        visited_on=today - dt.timedelta(days=3),
        conclusion="rectify",
        summary=(
            "现场查看了车工理论考场与实操考场，核对了考评人员名单与资格证书，"
            "抽查了10份试卷及评分记录。音视频留存存在缺失，需限期整改。"
        ),
        expected_version=inspection.version,
        submit=True,
    )


def _close_fully(inspection: Inspection, *, users: dict, today) -> None:
    supervisor = inspection.supervisors.order_by("pk").first()
    enterprise_user = next(
        (
            user
            for key, user in users.items()
            if key.startswith("enterprise")
            and getattr(getattr(user, "membership", None), "enterprise_id", None)
            == inspection.enterprise_id
        ),
        None,
    )
    if enterprise_user is not None:
        finding = services.finding_add(
            inspection=inspection,
            actor=supervisor,
            description="考生身份核验记录中有3名考生未留存身份证复印件。",
            severity="minor",
            rule="R-P3",
            rectification_required=True,
            rectification="补齐3名考生的身份核验材料，并完善考前核验流程。",
            rectify_by=_deadline(today),
        )
        conclusion = "rectify"
    else:
        _remark(inspection, supervisor, "考场座位表未张贴于考场门口，已现场提醒。", rule="R-C1")
        finding = None
        conclusion = "compliant"
    inspection.refresh_from_db()
    services.inspection_record(
        inspection=inspection,
        actor=supervisor,
        checklist=dict(ALL_OK),
        visited_on=today - dt.timedelta(days=12),
        conclusion=conclusion,
        summary="考核组织规范，场地设备、考评人员与备案计划一致。",
        expected_version=inspection.version,
        submit=True,
    )
    if finding is not None:
        finding.refresh_from_db()
        services.finding_answer(
            finding=finding,
            actor=enterprise_user,
            response="已补齐3名考生身份证复印件，并在考务手册中增加考前双人核验环节。",
            expected_version=finding.version,
        )
        finding.refresh_from_db()
        services.finding_close(
            finding=finding,
            actor=users["city"],
            note="整改材料齐全，予以销号。",
            expected_version=finding.version,
        )
    inspection.refresh_from_db()
    services.inspection_close(
        inspection=inspection,
        actor=users["city"],
        public_result=services.default_public_result(inspection),
        expected_version=inspection.version,
    )


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    supervisor = users["supervisor"]
    e1_inspection = ctx.get("e1_inspection")
    if e1_inspection is None:
        e1_inspection = _fallback_inspection(enterprise=enterprises["e1"], users=users, today=today)
        ctx["e1_inspection"] = e1_inspection
    if e1_inspection.status == InspectionStatus.PLANNED:
        _report_e1(e1_inspection, supervisor=supervisor, today=today)
    others = list(
        Inspection.objects.filter(draw=e1_inspection.draw, status=InspectionStatus.PLANNED)
        .exclude(pk=e1_inspection.pk)
        .order_by("position")
    )
    # One of supervisor's other inspections stays planned for the newcomer to record.
    kept = next((i for i in others if i.supervisors.filter(pk=supervisor.pk).exists()), None)
    to_close = next((i for i in others if i != kept), None)
    if to_close is not None:
        _close_fully(to_close, users=users, today=today)
    ctx["inspection_planned"] = kept
    ctx["inspection_closed"] = to_close
