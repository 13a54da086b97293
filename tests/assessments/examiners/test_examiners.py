"""The register of examiners and internal quality supervisors: GB 11643 ID numbers (R-P5), the
occupations and highest level each may assess, revocation by the city (R-C3), what plans may use
(examiners_available_for) and what a plan's list must not contain (plan_examiner_problems, R-P1);
who may see and do what; bounded list pages."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.examiners import services
from assessments.models import (
    Examiner,
    ExaminerScope,
    ExaminerStatus,
    ImplementationPlan,
    RosterEntry,
)
from portal.core.crypto import id_digest
from portal.core.errors import InvalidTransition, ServiceError
from portal.core.models import AuditEvent, Policy
from tests.assessments.schemes.factories import (
    ExaminerFactory,
    complete_scheme,
    examiner_for,
    valid_id_number,
)
from tests.support.factories import EnterpriseFactory, OccupationFactory, make_member
from tests.support.pages import table_body, table_rows

ID_A = valid_id_number(101)  # 440305 19880412 101 + check


def fresh(examiner: Examiner) -> Examiner:
    return Examiner.objects.get(pk=examiner.pk)


def person_form(**overrides) -> dict:
    data = {
        "role": "examiner",
        "name": "张伟",
        "id_number": ID_A,
        "phone": "13900139000",
        "qualification": "高级考评员",
        "certificate_number": "KP2026001",
    }
    data.update(overrides)
    return data


@pytest.fixture
def examiner(ent_a, line):
    return examiner_for(ent_a, line.occupation, highest_level=3, name="李娜")


# Adding people; ID numbers (GB 11643, R-P5) ------------------------------------------------


def test_an_enterprise_adds_an_examiner(client, alice, ent_a):
    client.force_login(alice)
    response = client.post("/examiners/new/", person_form(id_number=ID_A.lower()), follow=True)
    examiner = Examiner.objects.get()
    assert response.redirect_chain[-1][0] == f"/examiners/{examiner.pk}/"
    assert "张伟已登记入册。请继续添加其可考评的职业。" in response.text
    assert examiner.enterprise == ent_a and examiner.status == ExaminerStatus.ACTIVE
    assert examiner.id_number == ID_A
    assert AuditEvent.objects.filter(action="examiner_create", object_id=examiner.pk).exists()


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("44030519880412101", "居民身份证号码应为18位，您输入了17位。"),
        ("4403051988041210A1", "居民身份证号码由17位数字加1位数字或X组成。"),
        (
            ID_A[:-1] + str((int(ID_A[-1]) + 1) % 10 if ID_A[-1] != "X" else 0),
            "身份证号码校验不通过：最后一位校验码与前17位不符，请检查是否输错。",
        ),
        (
            valid_id_number(1, born="19881312"),
            "身份证号码第7至14位不是有效的出生日期。",
        ),
        (
            valid_id_number(1, born="20990101"),
            "身份证号码第7至14位不是有效的出生日期。",
        ),
        (
            valid_id_number(1, region="999999"),
            "身份证号码前6位不是有效的行政区划代码。",
        ),
    ],
)
def test_r_p5_id_numbers_follow_gb_11643(client, alice, id_number, message):
    client.force_login(alice)
    response = client.post(
        "/examiners/new/", person_form(id_number=id_number, qualification="一级考评员证书")
    )
    page = response.text
    assert f"身份证号码：{message}" in page
    assert f'value="{id_number}"' in page and 'value="一级考评员证书"' in page
    assert not Examiner.objects.exists()


def test_r_c3_the_same_person_in_the_same_role_is_registered_once(client, alice, ent_a):
    ExaminerFactory(enterprise=ent_a, id_number=ID_A, name="张伟")
    client.force_login(alice)
    response = client.post("/examiners/new/", person_form())
    assert "身份证号码：张伟已以“考评员”身份使用该身份证号码登记在册。" in response.text
    # The same person may also be registered as an internal quality supervisor.
    client.post("/examiners/new/", person_form(role="supervisor"))
    assert Examiner.objects.filter(id_hash=id_digest(ID_A)).count() == 2


def test_a_required_name_names_its_rule(client, alice):
    client.force_login(alice)
    response = client.post("/examiners/new/", person_form(name=""))
    assert "姓名：请填写姓名。" in response.text


def test_an_edit_keeps_the_register_consistent(client, alice, examiner):
    client.force_login(alice)
    client.post(
        f"/examiners/{examiner.pk}/edit/",
        person_form(name="李娜", id_number=examiner.id_number, version=examiner.version),
    )
    examiner = fresh(examiner)
    assert examiner.qualification == "高级考评员" and examiner.certificate_number == "KP2026001"
    assert AuditEvent.objects.filter(action="examiner_edit", object_id=examiner.pk).exists()
    stale = client.post(
        f"/examiners/{examiner.pk}/edit/",
        person_form(name="李娜娜", id_number=examiner.id_number, version=examiner.version - 1),
    )
    page = stale.text
    assert "您打开表单后，他人已修改了该记录。" in page and 'value="李娜娜"' in page
    assert fresh(examiner).name == "李娜"


# Occupations and levels an examiner may assess ----------------------------------------------


def test_an_occupation_of_the_filing_scope_is_added_with_its_highest_level(
    client, alice, ent_a, line
):
    person = ExaminerFactory(enterprise=ent_a)
    elsewhere = OccupationFactory(name="不在备案中的职业")
    client.force_login(alice)
    page = client.get(f"/examiners/{person.pk}/scopes/new/").text
    assert line.occupation.name in page and "不在备案中的职业" not in page
    response = client.post(
        f"/examiners/{person.pk}/scopes/new/",
        {"occupation": elsewhere.pk, "highest_level": "2", "version": person.version},
    )
    assert "职业：请选择企业备案范围内的职业。" in response.text
    response = client.post(
        f"/examiners/{person.pk}/scopes/new/",
        {"occupation": line.occupation.pk, "highest_level": "2", "version": person.version},
        follow=True,
    )
    assert "考评职业已保存。" in response.text
    assert person.scopes.get().highest_level == 2
    assert f"<td>{line.occupation.name}</td><td>二级/技师</td>" in response.text


def test_an_occupation_is_in_a_persons_scope_once(client, alice, examiner, line):
    client.force_login(alice)
    response = client.post(
        f"/examiners/{examiner.pk}/scopes/new/",
        {"occupation": line.occupation.pk, "highest_level": "1", "version": examiner.version},
    )
    assert f"职业：{line.occupation.name}已在此人的考评范围内，请修改该行。" in (response).text


def test_a_scope_line_is_edited_and_removed(client, alice, examiner):
    scope = examiner.scopes.get()
    client.force_login(alice)
    client.post(
        f"/examiners/{examiner.pk}/scopes/{scope.pk}/",
        {"occupation": scope.occupation_id, "highest_level": "1", "version": examiner.version},
    )
    assert examiner.scopes.get().highest_level == 1
    response = client.post(f"/examiners/{examiner.pk}/scopes/{scope.pk}/delete/", follow=True)
    assert "考评职业已删除。" in response.text
    assert not examiner.scopes.exists()


# Revocation by the city (R-C3) -------------------------------------------------------------


def test_r_c3_the_city_revokes_a_qualification_with_date_and_reason(client, carl, alice, examiner):
    client.force_login(carl)
    page = client.get(f"/examiners/{examiner.pk}/").text
    assert "取消资格" in page and "R-C3" not in page
    url = f"/examiners/{examiner.pk}/revoke/"
    page = client.post(url, {"revoked_on": "2026-03-02", "reason": ""}).text
    assert "取消原因：请填写取消资格的原因。" in page
    assert 'value="2026-03-02"' in page
    reason = "两次考评中未按评分细则打分"
    response = client.post(url, {"revoked_on": "2026-03-02", "reason": reason}, follow=True)
    assert "已取消李娜的资格，此后不能再列入实施计划。" in response.text
    examiner = fresh(examiner)
    assert examiner.status == ExaminerStatus.REVOKED
    assert examiner.revoked_on == dt.date(2026, 3, 2)
    assert examiner.revoked_reason == "两次考评中未按评分细则打分"
    page = response.text
    assert "资格已被市级取消" in page and "两次考评中未按评分细则打分" in page
    assert "市级取消资格 (有效 → 已取消)" in page  # the history
    client.force_login(alice)
    page = client.get("/examiners/").text
    assert ">已取消</span> 2026-03-02" in page
    assert client.get(f"/examiners/{examiner.pk}/edit/").status_code == 404
    assert client.get(f"/examiners/{examiner.pk}/scopes/new/").status_code == 404


def test_r_c3_a_revocation_cannot_be_dated_in_the_future(carl, examiner):
    with pytest.raises(ServiceError):
        services.examiner_revoke(
            examiner=examiner,
            actor=carl,
            reason="违规",
            revoked_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert fresh(examiner).status == ExaminerStatus.ACTIVE


def test_r_c3_a_revoked_person_is_not_revoked_twice(carl, examiner):
    services.examiner_revoke(examiner=examiner, actor=carl, reason="违规")
    with pytest.raises(InvalidTransition):
        services.examiner_revoke(examiner=fresh(examiner), actor=carl, reason="再次")


@pytest.mark.parametrize("persona", ["alice", "dora", "olga"])
def test_r_c3_only_the_city_revokes(client, examiner, persona, request):
    client.force_login(request.getfixturevalue(persona))
    revocation = {"revoked_on": "2026-03-02", "reason": "违规"}
    assert client.post(f"/examiners/{examiner.pk}/revoke/", revocation).status_code == 404
    assert fresh(examiner).status == ExaminerStatus.ACTIVE


def test_r_c3_a_revoked_person_cannot_be_registered_again_anywhere(client, carl, bob, examiner):
    services.examiner_revoke(
        examiner=examiner, actor=carl, reason="违规", revoked_on=dt.date(2026, 3, 2)
    )
    client.force_login(bob)
    response = client.post("/examiners/new/", person_form(id_number=examiner.id_number))
    assert "身份证号码：此人的考评人员资格已于2026-03-02被市级取消，不能再次登记。" in response.text
    assert Examiner.objects.count() == 1


# What plans may use (R-P1, R-C3) -----------------------------------------------------------


def test_examiners_available_cover_the_occupation_down_from_the_highest_level(
    ent_a, ent_b, line, carl
):
    occupation = line.occupation
    up_to_3 = examiner_for(ent_a, occupation, highest_level=3, name="甲")
    up_to_1 = examiner_for(ent_a, occupation, highest_level=1, name="乙")
    up_to_4 = examiner_for(ent_a, occupation, highest_level=4, name="丙")
    examiner_for(ent_a, OccupationFactory(), highest_level=1, name="丁")  # another occupation
    examiner_for(ent_b, occupation, highest_level=1, name="戊")  # another enterprise
    examiner_for(ent_a, occupation, highest_level=1, name="己", role="supervisor")
    revoked = examiner_for(ent_a, occupation, highest_level=1, name="庚")
    services.examiner_revoke(examiner=revoked, actor=carl, reason="违规")

    def names(levels):
        return [
            e.name
            for e in services.examiners_available_for(
                enterprise=ent_a, occupation=occupation, levels=levels
            )
        ]

    assert names([5, 4, 3]) == sorted([up_to_3.name, up_to_1.name])
    assert names([5, 4]) == sorted([up_to_3.name, up_to_1.name, up_to_4.name])
    assert names([2]) == [up_to_1.name]
    assert names([]) == []
    supervisors = services.supervisors_available_for(enterprise=ent_a)
    assert [s.name for s in supervisors] == ["己"]


def test_r_c3_a_person_revoked_in_another_enterprise_is_not_available(ent_a, ent_b, line, carl):
    here = examiner_for(ent_a, line.occupation, highest_level=1, id_number=ID_A)
    there = examiner_for(ent_b, line.occupation, highest_level=1, id_number=ID_A)
    services.examiner_revoke(examiner=there, actor=carl, reason="违规")
    available = services.examiners_available_for(
        enterprise=ent_a, occupation=line.occupation, levels=[5]
    )
    assert here not in available


@pytest.fixture
def plan(ent_a, line):
    scheme = complete_scheme(ent_a, scope_line=line, status="approved")
    return ImplementationPlan.objects.create(
        enterprise=ent_a, scheme=scheme, title="2026年第一期", levels=[5, 4, 3]
    )


def staffed(plan, n: int = 3, **fields) -> list[Examiner]:
    people = [
        examiner_for(plan.enterprise, plan.scheme.scope_line.occupation, highest_level=3, **fields)
        for _ in range(n)
    ]
    plan.examiners.add(*people)
    return people


def roster_entry(plan, id_number: str, name: str = "王五") -> RosterEntry:
    return RosterEntry.objects.create(
        plan=plan,
        seq=plan.roster.count() + 1,
        name=name,
        id_number=id_number,
        sex="男",
        birth_date=dt.date(1988, 4, 12),
        phone="13700137000",
        occupation_code=plan.scheme.scope_line.occupation.code,
        occupation_name=plan.scheme.scope_line.occupation.name,
        level=4,
    )


def test_r_p1_a_well_staffed_plan_has_no_problem(plan, ent_a):
    staffed(plan)
    supervisor = ExaminerFactory(enterprise=ent_a, role="supervisor")
    plan.supervisors.add(supervisor)
    assert services.plan_examiner_problems(plan=plan) == []


def test_r_p1_the_city_minimum_of_examiners(plan, world):
    staffed(plan, 2)
    problems = services.plan_examiner_problems(plan=plan)
    assert [str(p) for p in problems] == [
        f"本计划只有2名可考评{plan.scheme.scope_line.occupation.name}的有效考评员，"
        "本市要求至少3名。"
    ]
    Policy.objects.filter(bureau=world["city"]).update(min_plan_examiners=2)
    assert services.plan_examiner_problems(plan=plan) == []


def test_r_c3_a_revoked_examiner_on_the_plan_is_a_problem(plan, carl):
    people = staffed(plan, 4)
    services.examiner_revoke(examiner=people[0], actor=carl, reason="违规")
    problems = services.plan_examiner_problems(plan=plan)
    assert [(p.rule, p.message) for p in problems] == [
        ("R-C3", f"{people[0].name}的资格已被取消，请将其从计划中移除。")
    ]


def test_r_p1_an_examiner_not_cleared_for_the_occupation_or_level(plan, ent_a):
    staffed(plan, 3)
    occupation = plan.scheme.scope_line.occupation
    low = examiner_for(ent_a, occupation, highest_level=4, name="周低")
    other = examiner_for(ent_a, OccupationFactory(name="钳工"), highest_level=1, name="吴别")
    plan.examiners.add(low, other)
    messages = {p.message for p in services.plan_examiner_problems(plan=plan)}
    assert messages == {
        f"周低考评{occupation.name}最高只能到四级/中级工，而计划包含三级/高级工。",
        f"吴别不具备考评{occupation.name}的资格。",
    }


def test_r_p1_an_examiner_is_never_on_the_roster_they_assess(plan, ent_a):
    people = staffed(plan, 4)
    roster_entry(plan, people[0].id_number, name=people[0].name)
    supervisor = ExaminerFactory(enterprise=ent_a, role="supervisor", id_number=ID_A, name="赵督")
    plan.supervisors.add(supervisor)
    roster_entry(plan, ID_A, name="赵督")
    messages = [p.message for p in services.plan_examiner_problems(plan=plan)]
    assert len(messages) == 2
    assert f"{people[0].name}（身份证号码尾号{people[0].id_number[-4:]}）在本计划的人员名册中" in (
        messages[0] + messages[1]
    )
    assert "赵督（身份证号码尾号" in messages[0] + messages[1]


def test_r_p1_roles_and_enterprises_must_match(plan, ent_b):
    staffed(plan, 3)
    outsider = examiner_for(ent_b, plan.scheme.scope_line.occupation, name="外企人员")
    supervisor_as_examiner = examiner_for(
        plan.enterprise, plan.scheme.scope_line.occupation, role="supervisor", name="督导甲"
    )
    examiner_as_supervisor = ExaminerFactory(enterprise=plan.enterprise, name="考评乙")
    plan.examiners.add(outsider, supervisor_as_examiner)
    plan.supervisors.add(examiner_as_supervisor)
    messages = [p.message for p in services.plan_examiner_problems(plan=plan)]
    assert "外企人员不在本企业的考评人员名册中。" in messages
    assert "督导甲登记为“内部质量督导员”，不是考评员。" in messages
    assert "考评乙未登记为内部质量督导员。" in messages


def test_plan_examiner_problems_take_a_bounded_number_of_queries(
    plan, django_assert_max_num_queries
):
    staffed(plan, 30)
    with django_assert_max_num_queries(7):
        assert services.plan_examiner_problems(plan=plan) == []


# Access ------------------------------------------------------------------------------------


def test_each_sees_the_register_of_its_area(client, ent_a, ent_b, alice, bob, dora, fred, carl):
    mine = ExaminerFactory(enterprise=ent_a, name="南山考评员")
    theirs = ExaminerFactory(enterprise=ent_b, name="福田考评员")
    for user, seen, unseen in (
        (alice, mine, theirs),
        (bob, theirs, mine),
        (dora, mine, theirs),
        (fred, theirs, mine),
    ):
        client.force_login(user)
        page = client.get("/examiners/").text
        assert seen.name in page and unseen.name not in page
        assert client.get(f"/examiners/{unseen.pk}/").status_code == 404
    client.force_login(carl)
    page = client.get("/examiners/").text
    assert mine.name in page and theirs.name in page


def test_lists_show_only_part_of_the_id_number(client, alice, examiner):
    client.force_login(alice)
    page = client.get("/examiners/").text
    assert examiner.id_number not in page
    assert f"440***********{examiner.id_number[-4:]}" in page
    detail = client.get(f"/examiners/{examiner.pk}/").text
    assert examiner.id_number not in detail  # the full number is an audited action (PIPL)
    assert f"440***********{examiner.id_number[-4:]}" in detail


def test_others_have_no_register(client, olga, erin, sam, examiner):
    for user in (olga, erin, sam):
        client.force_login(user)
        assert client.get(f"/examiners/{examiner.pk}/").status_code == 404
    for user in (erin, sam):
        client.force_login(user)
        assert client.get("/examiners/").status_code == 404
    client.force_login(olga)
    assert examiner.name not in client.get("/examiners/").text


def test_reviewers_do_not_edit_the_register(client, dora, carl, examiner):
    for user in (dora, carl):
        client.force_login(user)
        assert client.get(f"/examiners/{examiner.pk}/edit/").status_code == 404
        assert client.get("/examiners/new/").status_code == 404
        assert client.post(f"/examiners/{examiner.pk}/scopes/new/").status_code == 404


# Bounded list pages ------------------------------------------------------------------------

# Includes the unread-notification count of the navigation bar.
EXAMINER_LIST_QUERIES = 8


def register(enterprises, rows: int) -> None:
    occupation = OccupationFactory()
    people = Examiner.objects.bulk_create(
        Examiner(
            enterprise=enterprises[n % len(enterprises)],
            name=f"考评员{n:03d}",
            id_number=valid_id_number(n),
            status="revoked" if n % 5 == 0 else "active",
        )
        for n in range(rows)
    )
    ExaminerScope.objects.bulk_create(
        ExaminerScope(examiner=person, occupation=occupation, highest_level=3) for person in people
    )


@pytest.mark.parametrize("rows", [1, 200])
def test_examiner_list_for_the_city_is_bounded(page_within, world, carl, rows):
    register(
        [EnterpriseFactory(district=world["nanshan"]), EnterpriseFactory(district=world["futian"])],
        rows,
    )
    page = page_within(carl, "/examiners/", EXAMINER_LIST_QUERIES)
    assert table_rows(page) == min(rows, 50)
    assert "（3）" in table_body(page)


@pytest.mark.parametrize("rows", [1, 200])
def test_examiner_list_for_an_enterprise_is_bounded(page_within, ent_a, alice, rows):
    register([ent_a], rows)
    page = page_within(alice, "/examiners/", EXAMINER_LIST_QUERIES)
    assert table_rows(page) == min(rows, 50)


def test_a_new_expert_persona_is_not_a_register_user(client, world):
    expert = make_member("xena", "expert", bureau=world["city"])
    client.force_login(expert)
    assert client.get("/examiners/new/").status_code == 404
