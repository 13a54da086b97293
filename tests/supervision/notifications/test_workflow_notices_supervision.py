"""Each step of a random inspection (R-M1, R-C2), a complaint (R-M5) and a sanction (R-M2, R-M3,
seed 004 §四(四)) tells whoever acts next or should know, once in the inbox and once by e-mail;
the person who took the step, another enterprise, another district and another city hear
nothing. A complaint's e-mail carries nothing the public typed."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from portal.core.models import Role
from portal.core.presets import apply_preset
from supervision.complaints.services import complaint_reassign
from supervision.draws.algorithm import draw_create
from supervision.inspections import services as inspections
from supervision.models import Finding, Inspection, InspectionAssignment, Notification
from supervision.sanctions.reports import IMPOSE, sanction_report, sanction_report_decide
from supervision.sanctions.services import sanction_impose
from tests.supervision.complaints.matrix_complaint import complaint_about
from tests.supervision.draws.matrix_draw import filed_enterprise
from tests.supervision.factories import inspection_of, supervisor_profile, supervisors_in_pool
from tests.supervision.notifications.notices import (
    assert_link_opens,
    assert_told_once,
    kind_of,
    step,
)
from tests.support.factories import (
    BureauFactory,
    EnterpriseFactory,
    approved_filing,
    make_member,
)

DRAW = "supervision.draw"
FINDING = "supervision.finding"
INSPECTION = "supervision.inspection"
TODAY = dt.date(2026, 11, 2)


def on(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def inspection(ent_a, sam, carl, world) -> Inspection:
    supervisor_profile(sam, city=world["city"])
    return inspection_of(ent_a, supervisors=[sam], actor=carl)


def reported(inspection) -> Inspection:
    Inspection.objects.filter(pk=inspection.pk).update(status="reported", conclusion="rectify")
    inspection.refresh_from_db()
    return inspection


def add_finding(inspection, sam, rectify_by=dt.date(2099, 12, 31)) -> Finding:
    return inspections.finding_add(
        inspection=inspection,
        actor=sam,
        description="考评记录缺少考评员签字",
        severity="serious",
        rule="r-c1",
        rectification_required=True,
        rectification="补齐签字",
        rectify_by=rectify_by,
    )


def fresh_finding(finding) -> Finding:
    return Finding.objects.get(pk=finding.pk)


def inspection_url(inspection) -> str:
    return reverse("inspection_detail", kwargs={"pk": inspection.pk})


# Draws and inspections (R-M1, R-C2) --------------------------------------------------------------


def test_draw_tells_each_drawn_supervisor_of_their_inspection_and_not_the_target(
    client, world, carl, olga
):
    target = filed_enterprise(world["nanshan"])
    owner = make_member("owner", "enterprise", enterprise=target)
    pool = supervisors_in_pool(world["city"], 3)
    with step(kind_of(DRAW, "draw_create")) as record:
        draw = draw_create(
            city=world["city"],
            actor=carl,
            title="2026年第1批双随机抽查",
            kind="enterprises",
            target_count=1,
            supervisors_per_target=2,
            today=TODAY,
        )
    drawn = [a.supervisor for a in InspectionAssignment.objects.filter(inspection__draw=draw)]
    assert len(drawn) == 2
    (inspection,) = draw.inspections.all()
    assert_told_once(
        record,
        drawn,
        untold=[owner, carl, olga, *(user for user in pool if user not in drawn)],
        title=target.name,
        url=inspection_url(inspection),
    )
    assert_link_opens(client, record, drawn)


def test_findings_reported_tell_the_enterprise_operators_once(
    client, inspection, alice, amy, bob, sam, carl, dora
):
    add_finding(inspection, sam)
    data = {key: {"result": "ok", "note": ""} for key, _label, _rule in inspections.CHECKLIST}
    with step("inspection_findings") as record:
        inspections.inspection_record(
            inspection=inspection,
            actor=sam,
            checklist=data,
            visited_on=dt.date(2026, 10, 30),
            conclusion="rectify",
            summary="现场检查",
            expected_version=Inspection.objects.get(pk=inspection.pk).version,
            submit=True,
        )
    # carl, of the city, hears of the report itself (supervision.inspection_report), not this.
    assert_told_once(record, [alice, amy], untold=[sam, dora, bob], url=inspection_url(inspection))
    assert_link_opens(client, record, [alice, amy])


def test_inspection_reported_tells_the_city_that_closes_it_once(
    client, inspection, alice, amy, sam, carl, cora, dora, olga
):
    data = {key: {"result": "ok", "note": ""} for key, _label, _rule in inspections.CHECKLIST}
    with step(kind_of(INSPECTION, "inspection_report")) as record:
        inspections.inspection_record(
            inspection=inspection,
            actor=sam,
            checklist=data,
            visited_on=dt.date(2026, 10, 30),
            conclusion="compliant",
            summary="现场检查",
            expected_version=Inspection.objects.get(pk=inspection.pk).version,
            submit=True,
        )
    assert_told_once(
        record,
        [carl, cora],
        untold=[sam, alice, amy, dora, olga],
        title=inspection.enterprise.name,
        url=inspection_url(inspection),
    )
    assert_link_opens(client, record, [carl, cora])


def test_a_finding_added_after_the_report_tells_the_enterprise_operators_once(
    inspection, alice, amy, bob, sam, carl
):
    reported(inspection)
    with step("inspection_findings") as record:
        add_finding(inspection, sam)
    assert_told_once(record, [alice, amy], untold=[sam, carl, bob])


@pytest.mark.parametrize(
    ("action", "rectify_by"),
    [("finding_answer", dt.date(2099, 12, 31)), ("finding_answer_late", dt.date(2026, 11, 20))],
)
def test_finding_answered_tells_its_supervisor_and_the_city_once(
    client, inspection, alice, amy, bob, sam, carl, cora, dora, olga, action, rectify_by
):
    reported(inspection)
    with on(dt.date(2026, 11, 10)):
        finding = add_finding(inspection, sam, rectify_by=rectify_by)
    with step(kind_of(FINDING, action)) as record, on(dt.date(2026, 12, 1)):
        inspections.finding_answer(
            finding=finding,
            actor=alice,
            response="已补齐签字",
            expected_version=fresh_finding(finding).version,
        )
    assert_told_once(
        record,
        [sam, carl, cora],
        untold=[alice, amy, bob, dora, olga],
        title=alice.membership.enterprise.name,
        url=inspection_url(inspection),
    )
    assert_link_opens(client, record, [sam, carl, cora])


def test_finding_answered_tells_the_city_that_ran_the_draw_which_can_open_it(
    client, inspection, alice, sam, carl, cora
):
    """The inspection belongs to the city whose draw it was (inspection_list_for_user): an
    enterprise of another city drawn there is checked by the drawing city's officers, who are
    the ones told; the enterprise's own city cannot open the inspection and is not told."""
    other_city = BureauFactory(level="city", name="东莞市人社局")
    olive = make_member("olive", Role.CITY, bureau=other_city)
    inspection.enterprise.district.parent = other_city
    inspection.enterprise.district.save(update_fields=["parent"])
    reported(inspection)
    with on(dt.date(2026, 11, 10)):
        finding = add_finding(inspection, sam)
    with step(kind_of(FINDING, "finding_answer")) as record, on(dt.date(2026, 12, 1)):
        inspections.finding_answer(
            finding=finding,
            actor=alice,
            response="已补齐签字",
            expected_version=fresh_finding(finding).version,
        )
    assert_told_once(record, [sam, carl, cora], untold=[olive, alice])
    assert_link_opens(client, record, [sam, carl, cora])


@pytest.fixture
def answered(inspection, alice, sam):
    reported(inspection)
    finding = add_finding(inspection, sam)
    inspections.finding_answer(
        finding=finding, actor=alice, response="已补齐签字", expected_version=finding.version
    )
    return fresh_finding(finding)


def test_finding_closed_tells_the_enterprise_operators_once(
    client, answered, alice, amy, bob, sam, carl, cora
):
    with step(kind_of(FINDING, "finding_close")) as record:
        inspections.finding_close(
            finding=answered, actor=carl, note="整改到位", expected_version=answered.version
        )
    assert_told_once(record, [alice, amy], untold=[carl, cora, sam, bob])
    assert record.notes_of(alice)[0].body == "整改到位"
    assert_link_opens(client, record, [alice, amy])


def test_finding_returned_tells_the_enterprise_operators_once(
    client, answered, alice, amy, bob, sam, carl
):
    with step("finding_returned") as record:
        inspections.finding_return(
            finding=answered,
            actor=carl,
            note="签字仍不完整",
            rectify_by=dt.date(2099, 6, 30),
            expected_version=answered.version,
        )
    assert_told_once(record, [alice, amy], untold=[carl, sam, bob], title="2099-06-30")
    assert_link_opens(client, record, [alice, amy])


def test_inspection_closed_tells_the_enterprise_operators_once(
    client, answered, inspection, alice, amy, bob, sam, carl
):
    inspections.finding_close(
        finding=answered, actor=carl, note="整改到位", expected_version=answered.version
    )
    inspection.refresh_from_db()
    with step(kind_of(INSPECTION, "inspection_close")) as record:
        inspections.inspection_close(
            inspection=inspection,
            actor=carl,
            public_result="基本合规，问题已整改",
            expected_version=inspection.version,
        )
    assert_told_once(record, [alice, amy], untold=[carl, sam, bob], url=inspection_url(inspection))
    assert record.notes_of(alice)[0].body == "基本合规，问题已整改"
    assert_link_opens(client, record, [alice, amy])


# Complaints (R-M5) ---------------------------------------------------------------------------

TYPED = {
    "subject": "理论考试有人替考",
    "body": "考场二有两名考生由他人代考。",
    "contact_name": "王建华",
    "contact_phone": "13800138000",
}


def test_complaint_received_tells_the_district_once_and_mails_nothing_the_public_typed(
    client, ent_a, alice, dora, fred, carl, olga
):
    with step("complaint") as record:
        complaint = complaint_about(ent_a, email="wang@example.com")
    assert_told_once(
        record,
        [dora],
        untold=[alice, fred, carl, olga],
        title=complaint.reference,
        url=reverse("complaint_detail", kwargs={"pk": complaint.pk}),
    )
    (message,) = record.mails_to(dora)
    mailed = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
    for typed in TYPED.values():
        assert typed not in mailed
    assert "wang@example.com" not in mailed
    # The inbox, inside the portal, shows what it is about.
    assert TYPED["subject"] in record.notes_of(dora)[0].body
    assert_link_opens(client, record, [dora])


def test_complaint_passed_on_tells_the_new_bureau_once_and_not_the_officer_who_passed_it(
    client, world, ent_a, dora, fred, carl, cora, olga
):
    complaint = complaint_about(ent_a)
    with step("complaint") as record:
        complaint_reassign(complaint=complaint, actor=carl, bureau=world["futian"])
    assert_told_once(record, [fred], untold=[dora, carl, cora, olga], title=complaint.reference)
    mailed = record.mails_to(fred)[0]
    for typed in TYPED.values():
        assert typed not in mailed.subject + mailed.body
    assert_link_opens(client, record, [fred])

    with step("complaint") as taken:
        complaint_reassign(complaint=complaint, actor=carl, bureau=world["city"])
    assert_told_once(taken, [cora], untold=[carl, dora, fred, olga])


# Sanctions (R-M2, R-M3, seed 004 §四(四)) --------------------------------------------------------


def test_sanction_imposed_tells_the_enterprise_operators_once(
    client, ent_a, alice, amy, bob, dora, carl, cora
):
    approved_filing(ent_a)
    with step("sanction") as record:
        sanction = sanction_impose(
            enterprise=ent_a, kind="cancelled", reason="组织替考", actor=carl, today=TODAY
        )
    assert_told_once(
        record,
        [alice, amy],
        untold=[carl, cora, dora, bob],
        title=sanction.ban_until.isoformat(),
        url=reverse("public_sanction_list"),
    )
    assert_link_opens(client, record, [alice, amy])


@pytest.fixture
def shandong(db):
    province = BureauFactory(code="37", name="山东省", level="province")
    apply_preset(province, "shandong")
    taian = BureauFactory(code="3709", name="泰安市", level="city", parent=province)
    taishan = BureauFactory(code="370902", name="泰山区", level="district", parent=taian)
    jinan = BureauFactory(code="3701", name="济南市", level="city", parent=province)
    zhejiang = BureauFactory(code="33", name="浙江省", level="province")
    enterprise = EnterpriseFactory(name="泰安泰山钢铁有限公司", district=taishan)
    approved_filing(enterprise, "370920240001", approved_on=dt.date(2024, 1, 10))
    return {
        "enterprise": enterprise,
        "owner": make_member("ta-operator", "enterprise", enterprise=enterprise),
        "tai": make_member("tai", "city", bureau=taian),
        "jin": make_member("jin", "city", bureau=jinan),
        "shen": make_member("shen", "province", bureau=province),
        "zhe": make_member("zhe", "province", bureau=zhejiang),
    }


def test_sanction_reported_tells_the_provincial_centre_once(client, shandong):
    people = shandong
    with step("sanction_report") as record:
        report = sanction_report(
            enterprise=people["enterprise"],
            kind="removed",
            reason="评价过程管理失序",
            actor=people["tai"],
            today=TODAY,
        )
    assert_told_once(
        record,
        [people["shen"]],
        untold=[people["tai"], people["jin"], people["zhe"], people["owner"]],
        title=people["enterprise"].name,
        url=reverse("sanction_report_detail", args=[report.pk]),
    )
    assert_link_opens(client, record, [people["shen"]])


def test_sanction_imposed_by_the_province_tells_the_reporting_city_and_the_enterprise_once(
    client, shandong
):
    people = shandong
    report = sanction_report(
        enterprise=people["enterprise"],
        kind="removed",
        reason="评价过程管理失序",
        actor=people["tai"],
        today=TODAY,
    )
    with step("sanction_report") as record:
        sanction_report_decide(
            report=report, actor=people["shen"], decision=IMPOSE, note="", today=TODAY
        )
    assert_told_once(record, [people["tai"]], untold=[people["shen"], people["jin"], people["zhe"]])
    assert_link_opens(client, record, [people["tai"]])
    # The enterprise hears of it by the sanction's own notice, once, and by one e-mail.
    owner = people["owner"]
    (note,) = Notification.objects.filter(user=owner)
    assert note.kind == "sanction"
    (message,) = record.mails_to(owner)
    assert note.title in message.subject


def test_a_supervisor_drawn_for_two_inspections_is_told_of_each_by_inbox_and_email(world, carl):
    targets = [filed_enterprise(world["nanshan"]) for _n in range(3)]
    supervisors_in_pool(world["city"], 2)
    with step(kind_of(DRAW, "draw_create")) as record:
        draw = draw_create(
            city=world["city"],
            actor=carl,
            title="2026年第2批双随机抽查",
            kind="enterprises",
            target_count=3,
            supervisors_per_target=1,
            today=TODAY,
        )
    assignments = InspectionAssignment.objects.filter(inspection__draw=draw).select_related(
        "inspection__enterprise", "supervisor"
    )
    assert len(assignments) == 3
    for assignment in assignments:
        user, inspection = assignment.supervisor, assignment.inspection
        (note,) = [n for n in record.notes_of(user) if n.url == inspection_url(inspection)]
        assert inspection.enterprise.name in note.title
        assert [m for m in record.mails_to(user) if note.title in m.subject]
    assert len(record.mails) == 3
    assert {t.name for t in targets} == {a.inspection.enterprise.name for a in assignments}
