"""Evaluation schemes (评价方案): the standard (R-S1), components, weights and methods (R-S2), the
safety veto (R-S3), levels and enterprise-defined levels (R-S4, R-P4), and filing with the city,
expert evaluation, approval and re-filing (R-S5); who may see and do what; bounded list pages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from guardian.shortcuts import get_perms

from assessments.models import (
    EvaluationScheme,
    LevelMapping,
    SchemeComponent,
    SchemeReview,
    SchemeStatus,
)
from assessments.schemes import selectors, services
from portal.core.errors import InvalidTransition, ServiceError, StaleEdit
from portal.core.models import AuditEvent
from tests.assessments.schemes.factories import (
    ComponentFactory,
    SchemeFactory,
    approved_filing,
    complete_scheme,
    filed_line,
)
from tests.support.factories import EnterpriseFactory, FilingFactory, ScopeLineFactory, make_member
from tests.support.pages import table_rows


def fresh(scheme: EvaluationScheme) -> EvaluationScheme:
    return EvaluationScheme.objects.get(pk=scheme.pk)


def rendered_version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def scheme_form(line=None, **overrides) -> dict:
    data = {
        "standard_basis": "national",
        "standard_name": "数控车工国家职业技能标准（2018年版）",
        "levels": ["5", "4", "3"],
        "methods": ["theory_exam", "practical", "safety_review"],
        "application_conditions": "在本企业连续工作满1年的在岗职工",
        "exceptional_conditions": "",
        "direct_recognition_criteria": "",
    }
    if line is not None:
        data["scope_line"] = str(line.pk)
    data.update(overrides)
    return data


@pytest.fixture
def draft(ent_a, line):
    return complete_scheme(ent_a, scope_line=line)


@pytest.fixture
def ethan(world):
    return make_member("ethan", "expert", bureau=world["city"])


@pytest.fixture
def submitted(draft, alice):
    services.scheme_submit(scheme=draft, actor=alice)
    return fresh(draft)


@pytest.fixture
def in_review(submitted, carl, erin):
    services.scheme_assign_experts(scheme=submitted, actor=carl, experts=[erin])
    return fresh(submitted)


def give_opinion(scheme, expert, score=88, recommendation="approve", opinion="方案规范，同意。"):
    review = SchemeReview.objects.get(scheme=scheme, expert=expert)
    services.scheme_expert_opinion(
        review=review, actor=expert, score=score, recommendation=recommendation, opinion=opinion
    )


@pytest.fixture
def approved(in_review, erin, carl):
    give_opinion(in_review, erin)
    services.scheme_approve(scheme=in_review, actor=carl, note="同意备案。")
    return fresh(in_review)


# Drafting for a filed occupation (R-P4, R-S4) ------------------------------------------------


def test_r_p4_a_scheme_is_drafted_for_an_occupation_of_the_approved_filing(
    client, alice, ent_a, line
):
    client.force_login(alice)
    page = client.get("/schemes/new/").text
    assert f"{line.occupation.code} {line.occupation.name}" in page
    response = client.post("/schemes/new/", scheme_form(line), follow=True)
    scheme = EvaluationScheme.objects.get(scope_line=line)
    assert response.redirect_chain[-1][0] == f"/schemes/{scheme.pk}/"
    page = response.text
    assert "方案草稿已保存。请继续添加评价内容。" in page
    assert scheme.status == SchemeStatus.DRAFT and scheme.enterprise == ent_a
    assert scheme.levels == [5, 4, 3] and scheme.revision == 1
    # The checks before submission already say what is missing.
    assert "<li>缺少职业能力部分" in page and 'class="rule"' not in page
    assert AuditEvent.objects.filter(action="scheme_create", object_id=scheme.pk).exists()


def test_r_p4_occupations_of_drafts_expired_or_other_filings_are_not_offered(
    client, alice, ent_a, ent_b
):
    draft_line = ScopeLineFactory(filing=FilingFactory(enterprise=ent_a))
    expired_line = filed_line(ent_a, filing=approved_filing(ent_a, valid_until=dt.date(2020, 1, 1)))
    other_line = filed_line(ent_b)
    client.force_login(alice)
    page = client.get("/schemes/new/").text
    for line in (draft_line, expired_line, other_line):
        assert line.occupation.name not in page
    assert "企业有效备案中的每个职业都已有评价方案，或者企业还没有通过的备案" in page
    filed_line(ent_a)  # now there is one, so the form is shown
    response = client.post("/schemes/new/", scheme_form(expired_line))
    assert (
        "备案职业（工种）：请选择企业已通过且在有效期内的备案中尚无评价方案的职业。"
        in response.text
    )
    assert not EvaluationScheme.objects.exists()
    with pytest.raises(ServiceError):
        services.scheme_create(
            enterprise=ent_a, actor=alice, scope_line=expired_line, data=scheme_form()
        )


def test_r_s4_levels_outside_the_filed_levels_are_refused_and_the_input_is_kept(
    client, alice, line
):
    client.force_login(alice)
    response = client.post(
        "/schemes/new/",
        scheme_form(line, levels=["4", "2"], application_conditions="从事本职业满五年"),
    )
    page = response.text
    assert (
        "认定等级：二级/技师不在该职业的备案范围内；备案只允许五级/初级工、四级/中级工、三级/高级工。"
        in page
    )
    assert "从事本职业满五年</textarea>" in page
    assert 'value="数控车工国家职业技能标准（2018年版）"' in page
    assert not EvaluationScheme.objects.exists()


def test_r_s4_at_least_one_level_is_required(client, alice, line):
    client.force_login(alice)
    response = client.post("/schemes/new/", scheme_form(line, levels=[]))
    assert "认定等级：请至少选择一个认定等级。" in response.text


def test_r_s1_a_scheme_cannot_rest_on_a_lower_standard_than_filed(client, alice, line):
    client.force_login(alice)
    response = client.post("/schemes/new/", scheme_form(line, standard_basis="enterprise"))
    assert (
        "标准依据：该职业按国家标准备案，方案不能依据更低的标准（企业评价规范）。" in response.text
    )
    assert not EvaluationScheme.objects.exists()


def test_r_s1_an_enterprise_norm_is_allowed_where_the_filing_names_one(alice, ent_a):
    line = filed_line(ent_a, standard_type="enterprise")
    scheme = services.scheme_create(
        enterprise=ent_a,
        actor=alice,
        scope_line=line,
        data=scheme_form(standard_basis="enterprise", levels=[5], methods=["practical"]),
    )
    assert scheme.standard_basis == "enterprise"


def test_r_s1_the_standard_is_named(client, alice, line):
    client.force_login(alice)
    response = client.post("/schemes/new/", scheme_form(line, standard_name=""))
    assert "标准或规范名称：请填写方案依据的标准或规范名称。" in response.text


def test_r_s2_direct_recognition_needs_its_criteria(client, alice, line):
    client.force_login(alice)
    methods = ["theory_exam", "direct_recognition"]
    response = client.post("/schemes/new/", scheme_form(line, methods=methods))
    assert (
        "直接认定条件：评价方式含直接认定：请写明直接认定的条件（竞赛成绩、突出贡献等）。"
        in response.text
    )
    assert not EvaluationScheme.objects.exists()
    criteria = "市级以上职业技能竞赛前三名"
    client.post(
        "/schemes/new/",
        scheme_form(line, methods=methods, direct_recognition_criteria=criteria),
    )
    scheme = EvaluationScheme.objects.get()
    assert "direct_recognition" in scheme.methods
    assert scheme.direct_recognition_criteria == criteria


def test_r_s5_a_second_scheme_for_the_same_occupation_is_refused(alice, ent_a, draft):
    with pytest.raises(ServiceError) as caught:
        services.scheme_create(
            enterprise=ent_a, actor=alice, scope_line=draft.scope_line, data=scheme_form()
        )
    assert "该职业已有评价方案" in str(caught.value.problems[0])
    assert EvaluationScheme.objects.count() == 1


def test_an_enterprise_sees_only_its_filed_lines_without_a_scheme(client, alice, draft, ent_a):
    other = filed_line(ent_a)
    client.force_login(alice)
    page = client.get("/schemes/new/").text
    assert other.occupation.name in page
    assert f"{draft.scope_line.occupation.code} {draft.scope_line.occupation.name}" not in page


# Editing with optimistic concurrency --------------------------------------------------------


def test_an_edit_over_someone_elses_change_keeps_the_input_and_shows_theirs(client, alice, draft):
    client.force_login(alice)
    page = client.get(f"/schemes/{draft.pk}/edit/").text
    version = rendered_version(page)
    services.scheme_update(
        scheme=draft,
        actor=alice,
        data={**scheme_form(), "levels": [5, 4, 3], "standard_name": "同事修改的标准名称"},
        expected_version=version,
    )
    response = client.post(
        f"/schemes/{draft.pk}/edit/",
        scheme_form(version=str(version), standard_name="我输入的标准名称", levels=["5", "4"]),
    )
    page = response.text
    assert "您打开表单后，他人已修改了该记录。" in page
    assert "他人在此期间保存的内容" in page and "同事修改的标准名称" in page
    assert 'value="我输入的标准名称"' in page  # what the user typed
    assert fresh(draft).standard_name == "同事修改的标准名称"
    resubmit = client.post(
        f"/schemes/{draft.pk}/edit/",
        scheme_form(
            version=str(rendered_version(page)), standard_name="我输入的标准名称", levels=["5", "4"]
        ),
    )
    assert resubmit.status_code == 302
    assert fresh(draft).standard_name == "我输入的标准名称" and fresh(draft).levels == [5, 4]


def test_a_stale_version_is_refused_by_the_service(alice, draft):
    with pytest.raises(StaleEdit):
        services.scheme_update(
            scheme=draft, actor=alice, data=scheme_form(), expected_version=draft.version - 1
        )


# Components: weights, pass marks, the veto (R-S2, R-S3) ------------------------------------


@pytest.fixture
def empty(ent_a, line):
    return SchemeFactory(enterprise=ent_a, scope_line=line)


def component_form(scheme, **overrides) -> dict:
    data = {"kind": "theory", "weight": "30", "pass_mark": "60", "version": scheme.version}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_r_s2_a_component_is_added_with_weight_and_pass_mark(client, alice, empty):
    client.force_login(alice)
    response = client.post(
        f"/schemes/{empty.pk}/components/new/", component_form(empty), follow=True
    )
    assert "评价内容已保存。" in response.text
    component = empty.components.get()
    assert component.weight == Decimal(30) and component.pass_mark == Decimal(60)
    assert "<td>理论知识</td><td>30</td><td>60</td>" in response.text


def test_r_s2_a_pass_mark_above_100_is_named_with_its_field(client, alice, empty):
    client.force_login(alice)
    response = client.post(
        f"/schemes/{empty.pk}/components/new/", component_form(empty, pass_mark="120")
    )
    page = response.text
    assert "合格分数线：请填写0至100之间的数。" in page
    assert 'value="120"' in page and 'value="30"' in page
    assert not empty.components.exists()


def test_r_s2_weights_cannot_add_up_to_more_than_100(client, alice, empty):
    ComponentFactory(scheme=empty, kind="theory", weight=40)
    ComponentFactory(scheme=empty, kind="practical", weight=50)
    client.force_login(alice)
    response = client.post(
        f"/schemes/{empty.pk}/components/new/",
        component_form(fresh(empty), kind="ethics", weight="20"),
    )
    assert "权重（%）：各项权重合计将为110%；合计必须正好为100%。" in response.text
    assert empty.components.count() == 2


def test_r_s2_a_zero_weight_is_refused(alice, empty):
    with pytest.raises(ServiceError) as caught:
        services.scheme_component_save(
            scheme=empty,
            actor=alice,
            component=SchemeComponent(kind="ethics", weight=0, pass_mark=60),
            expected_version=None,
        )
    assert caught.value.problems[0].field == "weight"


def test_r_s2_each_component_once(client, alice, empty):
    ComponentFactory(scheme=empty, kind="theory", weight=30)
    client.force_login(alice)
    response = client.post(
        f"/schemes/{empty.pk}/components/new/", component_form(fresh(empty), weight="10")
    )
    assert "评价内容：方案已有“理论知识”，请修改该项。" in response.text


def test_r_s3_only_the_safety_component_carries_the_veto(client, alice, empty):
    client.force_login(alice)
    response = client.post(
        f"/schemes/{empty.pk}/components/new/",
        component_form(empty, kind="ethics", weight="10", veto="on"),
    )
    assert "一票否决：只有安全生产可设一票否决。" in response.text
    assert not empty.components.exists()
    client.post(
        f"/schemes/{empty.pk}/components/new/",
        component_form(fresh(empty), kind="safety", weight="10", veto="on"),
    )
    assert empty.components.get().veto is True
    page = client.get(f"/schemes/{empty.pk}/").text
    assert "<td>安全生产</td><td>10</td><td>60</td><td>是</td>" in page


def test_a_component_is_edited_and_removed(client, alice, draft):
    component = draft.components.get(kind="practical")
    client.force_login(alice)
    page = client.get(f"/schemes/{draft.pk}/components/{component.pk}/").text
    client.post(
        f"/schemes/{draft.pk}/components/{component.pk}/",
        component_form(draft, kind="practical", weight="45", version=rendered_version(page)),
    )
    assert draft.components.get(kind="practical").weight == Decimal(45)
    response = client.post(f"/schemes/{draft.pk}/components/{component.pk}/delete/", follow=True)
    assert "评价内容已删除。" in response.text
    assert not draft.components.filter(kind="practical").exists()
    actions = set(AuditEvent.objects.filter(object_id=draft.pk).values_list("action", flat=True))
    assert {"scheme_component", "scheme_component_delete"} <= actions


# Level mappings (R-S4) ---------------------------------------------------------------------


def test_r_s4_an_enterprise_level_maps_to_a_national_level_of_the_scheme(client, alice, draft):
    client.force_login(alice)
    page = client.get(f"/schemes/{draft.pk}/mappings/new/").text
    assert "三级/高级工" in page and "二级/技师" not in page  # only the scheme's levels
    response = client.post(
        f"/schemes/{draft.pk}/mappings/new/",
        {"enterprise_level": "首席技师", "national_level": "1", "version": draft.version},
    )
    assert "对应国家等级：请在方案认定的国家等级中选择。" in response.text
    response = client.post(
        f"/schemes/{draft.pk}/mappings/new/",
        {"enterprise_level": "四级（甲等）", "national_level": "4", "version": draft.version},
        follow=True,
    )
    assert "等级对应关系已保存。" in response.text
    assert "<td>四级（甲等）</td><td>四级/中级工</td>" in response.text


def test_r_s4_the_service_refuses_a_level_the_scheme_does_not_assess(alice, draft):
    with pytest.raises(ServiceError) as caught:
        services.scheme_mapping_save(
            scheme=draft,
            actor=alice,
            mapping=LevelMapping(enterprise_level="特级技师", national_level=1),
            expected_version=None,
        )
    assert caught.value.problems[0].rule == "R-S4"
    assert "五级/初级工、四级/中级工、三级/高级工" in caught.value.problems[0].message


def test_r_s4_an_enterprise_level_is_mapped_once(client, alice, draft):
    client.force_login(alice)
    response = client.post(
        f"/schemes/{draft.pk}/mappings/new/",
        {"enterprise_level": "三级（甲等）", "national_level": "4", "version": draft.version},
    )
    assert "企业自设等级：“三级（甲等）”在本方案中已有对应关系。" in response.text


def test_r_s4_a_mapping_to_a_level_dropped_later_blocks_submission(alice, draft):
    data = {**scheme_form(), "levels": [5, 4]}
    services.scheme_update(scheme=draft, actor=alice, data=data, expected_version=draft.version)
    problems = services.submission_problems(fresh(draft))
    assert [p.rule for p in problems] == ["R-S4"]
    assert "“三级（甲等）”对应三级/高级工，但方案不认定该等级" in problems[0].message


# The checks before submission and the submission (R-S2, R-S5) -------------------------------


def test_r_s2_a_complete_scheme_has_no_problem(draft):
    assert services.submission_problems(draft) == []


def test_r_s2_weights_must_make_100_and_both_parts_be_present(client, alice, empty):
    ComponentFactory(scheme=empty, kind="theory", weight=60)
    client.force_login(alice)
    page = client.get(f"/schemes/{empty.pk}/").text
    assert "<li>缺少职业素养部分" in page
    assert "<li>各项权重合计为60%，必须正好为100%。" in page
    assert '<button type="submit" disabled>报市级备案</button>' in page
    response = client.post(
        f"/schemes/{empty.pk}/submit/", {"version": fresh(empty).version}, follow=True
    )
    page = response.text
    assert "方案暂不能提交。" in page
    assert "各项权重合计为60%，必须正好为100%。" in page
    assert fresh(empty).status == SchemeStatus.DRAFT


def test_r_s5_the_enterprise_submits_the_scheme_to_the_city(client, alice, carl, draft):
    client.force_login(alice)
    response = client.post(f"/schemes/{draft.pk}/submit/", {"version": draft.version}, follow=True)
    assert "方案已报市级备案。" in response.text
    scheme = fresh(draft)
    assert scheme.status == SchemeStatus.SUBMITTED and scheme.submitted_at is not None
    assert client.get(f"/schemes/{draft.pk}/edit/").status_code == 404
    client.force_login(carl)
    page = client.get("/schemes/").text
    assert draft.scope_line.occupation.name in page and "已报市级" in page


def test_r_s5_a_submitted_scheme_cannot_be_submitted_or_changed_again(alice, submitted):
    with pytest.raises(InvalidTransition):
        services.scheme_submit(scheme=submitted, actor=alice)
    with pytest.raises(InvalidTransition):
        services.scheme_component_save(
            scheme=submitted,
            actor=alice,
            component=SchemeComponent(kind="ethics", weight=5, pass_mark=60),
            expected_version=None,
        )


def test_r_p4_a_scheme_of_an_expired_filing_cannot_be_submitted(alice, draft):
    filing = draft.scope_line.filing
    filing.valid_until = dt.date(2020, 1, 1)
    filing.save(update_fields=["valid_until"])
    problems = services.submission_problems(fresh(draft))
    assert [p.rule for p in problems] == ["R-P4"]
    with pytest.raises(ServiceError):
        services.scheme_submit(scheme=fresh(draft), actor=alice)


# Expert evaluation and the city's decision (R-S5) -------------------------------------------


def test_r_s5_the_city_assigns_experts_who_then_see_the_scheme(
    client, carl, erin, ethan, submitted
):
    client.force_login(carl)
    page = client.get(f"/schemes/{submitted.pk}/").text
    assert "指派专家评估方案" in page and "erin" in page
    response = client.post(f"/schemes/{submitted.pk}/experts/", {"experts": [erin.pk]}, follow=True)
    assert "已指派专家。" in response.text
    scheme = fresh(submitted)
    assert scheme.status == SchemeStatus.EXPERT_REVIEW
    assert "evaluate_scheme" in get_perms(erin, scheme)
    client.force_login(erin)
    assert submitted.scope_line.occupation.name in client.get("/schemes/").text
    assert client.get(f"/schemes/{submitted.pk}/").status_code == 200
    client.force_login(ethan)
    assert client.get(f"/schemes/{submitted.pk}/").status_code == 404
    assert submitted.scope_line.occupation.name not in client.get("/schemes/").text


def test_r_s5_assigning_nobody_is_refused_with_the_rule(client, carl, submitted):
    client.force_login(carl)
    response = client.post(f"/schemes/{submitted.pk}/experts/", {}, follow=True)
    assert "专家：请至少选择一位专家评估方案。" in response.text
    assert fresh(submitted).status == SchemeStatus.SUBMITTED


def test_r_s5_an_expert_gives_an_opinion_and_others_do_not_see_it(
    client, carl, erin, ethan, in_review
):
    services.scheme_assign_experts(scheme=in_review, actor=carl, experts=[ethan])
    client.force_login(erin)
    page = client.get(f"/schemes/{in_review.pk}/opinion/").text
    assert "通过方案" in page
    response = client.post(
        f"/schemes/{in_review.pk}/opinion/",
        {"score": "150", "recommendation": "approve", "opinion": "权重设置合理。"},
    )
    page = response.text
    assert "评分（0–100）：请给出0至100的评分。" in page
    assert "权重设置合理。</textarea>" in page
    response = client.post(
        f"/schemes/{in_review.pk}/opinion/",
        {"score": "86", "recommendation": "approve", "opinion": "权重设置合理。"},
        follow=True,
    )
    assert "您的意见已记录。" in response.text
    review = SchemeReview.objects.get(scheme=in_review, expert=erin)
    assert review.score == 86 and review.submitted_at is not None
    client.force_login(ethan)
    page = client.get(f"/schemes/{in_review.pk}/").text
    assert "权重设置合理。" not in page
    client.force_login(carl)
    assert "权重设置合理。" in client.get(f"/schemes/{in_review.pk}/").text


def test_r_s5_the_city_approves_only_after_every_opinion(client, carl, erin, in_review, line):
    url = f"/schemes/{in_review.pk}/decide/"
    approval = {"decision": "approve", "note": "同意，按方案实施。"}
    client.force_login(carl)
    page = client.post(url, approval).text
    assert "请等待所有被指派的专家提交意见。" in page
    assert "同意，按方案实施。</textarea>" in page  # nothing typed is lost
    assert fresh(in_review).status == SchemeStatus.EXPERT_REVIEW
    assert selectors.approved_scheme_for(line) is None
    give_opinion(in_review, erin)
    page = client.post(url, approval, follow=True).text
    assert "方案已通过。" in page
    scheme = fresh(in_review)
    assert scheme.status == SchemeStatus.APPROVED and scheme.approved_on is not None
    assert selectors.approved_scheme_for(line) == scheme
    assert "方案通过 (专家评估 → 已通过)" in page  # the history reads in words


def test_r_s5_a_submitted_scheme_cannot_be_approved_without_experts(carl, submitted):
    with pytest.raises(InvalidTransition):
        services.scheme_approve(scheme=submitted, actor=carl)


def test_r_s5_the_city_returns_a_scheme_with_a_reason(client, alice, carl, erin, in_review):
    client.force_login(carl)
    response = client.post(f"/schemes/{in_review.pk}/decide/", {"decision": "return"})
    assert "意见或理由：请说明需要修改的内容：企业会在方案页面看到。" in response.text
    client.post(
        f"/schemes/{in_review.pk}/decide/",
        {"decision": "return", "note": "安全生产考察方式不明确。"},
    )
    scheme = fresh(in_review)
    assert scheme.status == SchemeStatus.RETURNED
    # The experts judged the returned version; the corrected one is evaluated afresh.
    assert not scheme.reviews.exists()
    assert "evaluate_scheme" not in get_perms(erin, scheme)
    client.force_login(alice)
    page = client.get(f"/schemes/{in_review.pk}/").text
    assert "安全生产考察方式不明确。" in page
    assert client.get(f"/schemes/{in_review.pk}/edit/").status_code == 200
    services.scheme_submit(scheme=scheme, actor=alice)
    assert fresh(scheme).status == SchemeStatus.SUBMITTED


def test_r_s5_an_opinion_after_the_return_is_refused(carl, erin, in_review):
    review = SchemeReview.objects.get(scheme=in_review, expert=erin)
    services.scheme_return(scheme=in_review, actor=carl, reason="请补充")
    with pytest.raises(ServiceError):
        services.scheme_expert_opinion(
            review=review, actor=erin, score=80, recommendation="approve", opinion="同意"
        )


def test_r_s5_a_district_reviews_nothing_but_reads_submitted_schemes(
    client, dora, fred, submitted, draft
):
    client.force_login(dora)
    assert client.get(f"/schemes/{submitted.pk}/").status_code == 200
    assert "指派专家评估方案" not in client.get(f"/schemes/{submitted.pk}/").text
    assert (
        client.post(f"/schemes/{submitted.pk}/decide/", {"decision": "approve"}).status_code == 404
    )
    client.force_login(fred)
    assert client.get(f"/schemes/{submitted.pk}/").status_code == 404


# Re-filing a changed scheme (R-S5) ---------------------------------------------------------


def test_r_s5_a_revision_copies_the_approved_scheme_which_stays_in_force(
    client, alice, approved, line
):
    client.force_login(alice)
    response = client.post(f"/schemes/{approved.pk}/revise/", follow=True)
    revision = EvaluationScheme.objects.get(replaces=approved)
    assert response.redirect_chain[-1][0] == f"/schemes/{revision.pk}/"
    assert "第2版是复制自已通过方案的草稿" in response.text
    assert revision.status == SchemeStatus.DRAFT and revision.revision == 2
    assert revision.levels == approved.levels and revision.methods == approved.methods
    assert sorted(revision.components.values_list("kind", "weight", "veto")) == sorted(
        approved.components.values_list("kind", "weight", "veto")
    )
    assert list(revision.level_mappings.values_list("enterprise_level", "national_level")) == [
        ("三级（甲等）", 3)
    ]
    # The approved version is untouched and still the one plans use.
    assert fresh(approved).status == SchemeStatus.APPROVED
    assert selectors.approved_scheme_for(line) == approved
    page = client.get(f"/schemes/{approved.pk}/").text
    assert "第2版正在编制或审核中（草稿）；在市级通过之前，本方案继续有效。" in page


def test_r_s5_only_one_revision_at_a_time(alice, approved):
    services.scheme_start_revision(scheme=approved, actor=alice)
    with pytest.raises(ServiceError) as caught:
        services.scheme_start_revision(scheme=fresh(approved), actor=alice)
    assert "第2版正在编制或审核中" in str(caught.value)


def test_r_s5_only_an_approved_scheme_is_revised(alice, draft):
    with pytest.raises(InvalidTransition):
        services.scheme_start_revision(scheme=draft, actor=alice)


def test_r_s5_the_approved_revision_supersedes_the_previous_one(
    client, alice, carl, erin, approved, line
):
    revision = services.scheme_start_revision(scheme=approved, actor=alice)
    revision.components.filter(kind="practical").update(weight=40)
    ComponentFactory(scheme=revision, kind="ethics", weight=10)
    services.scheme_submit(scheme=revision, actor=alice)
    services.scheme_assign_experts(scheme=revision, actor=carl, experts=[erin])
    give_opinion(revision, erin)
    services.scheme_approve(scheme=revision, actor=carl)
    assert fresh(approved).status == SchemeStatus.SUPERSEDED
    assert fresh(revision).status == SchemeStatus.APPROVED
    assert selectors.approved_scheme_for(line) == fresh(revision)
    client.force_login(alice)
    page = client.get(f"/schemes/{approved.pk}/").text
    assert "本版本已被替代：重新备案的版本已通过并生效。" in page
    assert "被重新备案的版本替代" in page  # the history of the old version says so


def test_r_s5_the_database_holds_one_approved_and_one_open_scheme_per_occupation(
    approved, ent_a, line
):
    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeFactory(enterprise=ent_a, scope_line=line, status="approved")
    SchemeFactory(enterprise=ent_a, scope_line=line, status="draft", revision=2, replaces=approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeFactory(enterprise=ent_a, scope_line=line, status="submitted")


def test_approved_scheme_for_ignores_a_filing_no_longer_valid(approved, line):
    filing = line.filing
    filing.valid_until = dt.date(2020, 1, 1)
    filing.save(update_fields=["valid_until"])
    line.refresh_from_db()
    assert selectors.approved_scheme_for(line) is None
    assert not selectors.approved_schemes_for(enterprise=approved.enterprise).exists()


# Access ------------------------------------------------------------------------------------


def test_drafts_stay_with_their_enterprise(client, alice, bob, dora, carl, olga, draft):
    client.force_login(alice)
    assert client.get(f"/schemes/{draft.pk}/").status_code == 200
    for user in (bob, dora, carl, olga):
        client.force_login(user)
        assert client.get(f"/schemes/{draft.pk}/").status_code == 404
        assert draft.scope_line.occupation.name not in client.get("/schemes/").text


def test_another_enterprise_and_city_cannot_touch_a_scheme(
    client, bob, olga, alice, submitted, draft
):
    client.force_login(bob)
    assert client.post(f"/schemes/{draft.pk}/submit/").status_code == 404
    assert client.get(f"/schemes/{draft.pk}/components/new/").status_code == 404
    client.force_login(olga)
    assert client.get(f"/schemes/{submitted.pk}/").status_code == 404
    assert client.post(f"/schemes/{submitted.pk}/experts/", {}).status_code == 404


def test_the_city_cannot_edit_and_the_enterprise_cannot_decide(client, carl, alice, submitted):
    client.force_login(carl)
    assert client.get(f"/schemes/{submitted.pk}/edit/").status_code == 404
    client.force_login(alice)
    assert (
        client.post(f"/schemes/{submitted.pk}/decide/", {"decision": "approve"}).status_code == 404
    )
    assert client.post(f"/schemes/{submitted.pk}/experts/", {}).status_code == 404


def test_a_supervisor_has_no_scheme_pages(client, sam, submitted):
    client.force_login(sam)
    assert client.get("/schemes/").status_code == 404
    assert client.get(f"/schemes/{submitted.pk}/").status_code == 404


# Bounded list pages ------------------------------------------------------------------------

SCHEME_LIST_QUERIES = 8
CYCLE = ["submitted", "expert_review", "approved", "returned"]


def many_schemes(world, rows: int) -> None:
    """`rows` schemes of enterprises in both districts, one per filed occupation."""
    enterprises = [
        EnterpriseFactory(district=world["nanshan" if n % 2 else "futian"])
        for n in range(min(rows, 4))
    ]
    filings = [approved_filing(e) for e in enterprises]
    lines = [ScopeLineFactory(filing=filings[n % len(filings)]) for n in range(rows)]
    EvaluationScheme.objects.bulk_create(
        EvaluationScheme(
            enterprise_id=lines[n].filing.enterprise_id,
            scope_line=lines[n],
            status=CYCLE[n % len(CYCLE)],
            standard_name="国家职业技能标准",
            levels=[5, 4],
        )
        for n in range(rows)
    )


@pytest.mark.parametrize("rows", [1, 200])
def test_scheme_list_for_the_city_is_bounded(page_within, world, carl, rows):
    many_schemes(world, rows)
    page = page_within(carl, "/schemes/", SCHEME_LIST_QUERIES)
    assert table_rows(page) == min(rows, 50)
    assert "已报市级" in page


@pytest.mark.parametrize("rows", [1, 200])
def test_scheme_list_for_an_enterprise_is_bounded(page_within, ent_a, alice, rows):
    filing = approved_filing(ent_a)
    lines = ScopeLineFactory.create_batch(rows, filing=filing)
    EvaluationScheme.objects.bulk_create(
        EvaluationScheme(
            enterprise=ent_a, scope_line=line, standard_name="国家职业技能标准", levels=[5]
        )
        for line in lines
    )
    page = page_within(alice, "/schemes/", SCHEME_LIST_QUERIES)
    assert table_rows(page) == min(rows, 50)
    assert "草稿" in page
