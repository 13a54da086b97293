"""The result of one examinee (R-S2, R-S3), from plain values: results.scoring is pure."""

from decimal import Decimal

import pytest

from assessments.results.scoring import (
    Component,
    ScoreError,
    allows_direct_recognition,
    examinee_result,
    mark,
    parse_score,
    weighted_total,
)

D = Decimal
THEORY = Component("theory", D(30), D(60))
PRACTICAL = Component("practical", D(50), D(60))
SAFETY_VETO = Component("safety", D(20), D(60), veto=True)
SAFETY_NO_VETO = Component("safety", D(20), D(60))
SCHEME = (THEORY, PRACTICAL, SAFETY_VETO)


def scores(theory="80", practical="90", safety="70") -> dict:
    values = {"theory": theory, "practical": practical, "safety": safety}
    return {kind: None if value is None else D(value) for kind, value in values.items()}


def result(**kwargs):
    kwargs.setdefault("components", SCHEME)
    kwargs.setdefault("scores", scores())
    return examinee_result(**kwargs)


# Passed with the weighted total ------------------------------------------------------------


def test_r_s2_every_component_at_or_above_its_mark_passes_with_the_weighted_total():
    outcome = result()
    # 30 % × 80 + 50 % × 90 + 20 % × 70 = 24 + 45 + 14
    assert outcome.total == D("83.00")
    assert outcome.result == "passed"
    assert outcome.reason == "各项成绩均达到合格分数线，加权总分 83。"


def test_r_s2_a_score_exactly_at_the_pass_mark_passes():
    outcome = result(scores=scores("60", "60", "60"))
    assert (outcome.result, outcome.total) == ("passed", D("60.00"))


def test_r_s2_the_total_keeps_two_decimals_and_rounds_a_half_up():
    half = (Component("theory", D(50), D(60)), Component("practical", D(50), D(60)))
    # (50 × 60.01 + 50 × 60.00) / 100 = 60.005: half up gives 60.01 (half even would give 60.00)
    outcome = examinee_result(components=half, scores={"theory": D("60.01"), "practical": D(60)})
    assert outcome.total == D("60.01")
    assert str(outcome.total) == "60.01"


def test_r_s2_the_total_of_uneven_weights_is_rounded_to_the_cent():
    thirds = (
        Component("theory", D("33.33"), D(0)),
        Component("practical", D("33.33"), D(0)),
        Component("ethics", D("33.34"), D(0)),
    )
    total = weighted_total(thirds, {"theory": D(77), "practical": D(88), "ethics": D("99.5")})
    # 25.6641 + 29.3304 + 33.1733 = 88.1678
    assert total == D("88.17")


def test_r_s2_full_marks_make_a_total_of_100():
    outcome = result(scores=scores("100", "100", "100"))
    assert outcome.total == D("100.00")


# Pending -----------------------------------------------------------------------------------


def test_r_s2_a_missing_score_leaves_the_result_pending_and_names_the_component():
    outcome = result(scores=scores(practical=None))
    assert outcome.result == "pending"
    assert outcome.total is None
    assert outcome.reason == "尚缺操作技能成绩。"


def test_r_s2_every_missing_component_is_named():
    outcome = result(scores={"safety": D(90)})
    assert outcome.result == "pending"
    assert outcome.reason == "尚缺理论知识、操作技能成绩。"


def test_r_s2_a_missing_score_is_pending_even_when_another_is_below_its_mark():
    outcome = result(scores=scores(theory="10", practical=None))
    assert outcome.result == "pending"


def test_r_s2_a_scheme_without_components_gives_no_result():
    outcome = examinee_result(components=(), scores={})
    assert outcome.result == "pending"
    assert "没有评价内容" in outcome.reason


# Failed below a pass mark ------------------------------------------------------------------


def test_r_s2_a_score_below_its_pass_mark_fails_naming_the_component_and_its_mark():
    outcome = result(scores=scores(practical="59.99"))
    assert outcome.result == "failed"
    assert outcome.reason == "操作技能 59.99 分，低于合格分数线 60 分"
    assert outcome.total == D("68.00")  # 24 + 29.995 + 14 = 67.995, half up


def test_r_s2_the_total_of_a_failed_examinee_is_still_given():
    outcome = result(scores=scores(theory="50", practical="90", safety="70"))
    assert outcome.result == "failed"
    assert outcome.total == D("74.00")  # 15 + 45 + 14


def test_r_s2_every_component_below_its_mark_is_named():
    outcome = result(scores=scores(theory="59", practical="90", safety="45.5"))
    assert outcome.result == "failed"
    assert "理论知识 59 分，低于合格分数线 60 分" in outcome.reason
    assert "安全生产 45.5 分，低于合格分数线 60 分" in outcome.reason
    assert "操作技能" not in outcome.reason


def test_r_s2_a_high_total_does_not_make_up_for_a_component_below_its_mark():
    generous = (
        Component("theory", D(10), D(60)),
        Component("practical", D(90), D(60)),
    )
    outcome = examinee_result(components=generous, scores={"theory": D(59), "practical": D(100)})
    assert outcome.total == D("95.90")
    assert outcome.result == "failed"


def test_r_s2_each_component_is_held_to_its_own_pass_mark():
    strict = (Component("theory", D(40), D(80)), Component("practical", D(60), D(50)))
    passes = examinee_result(components=strict, scores={"theory": D(80), "practical": D(50)})
    fails = examinee_result(components=strict, scores={"theory": D(79), "practical": D(100)})
    assert passes.result == "passed"
    assert fails.result == "failed"
    assert "理论知识 79 分，低于合格分数线 80 分" in fails.reason


# R-S3 the safety veto ----------------------------------------------------------------------


def test_r_s3_a_serious_safety_violation_fails_whatever_the_scores():
    outcome = result(scores=scores("100", "100", "100"), safety_violation=True)
    assert outcome.result == "failed"
    assert "安全一票否决" in outcome.reason
    assert "安全一票否决" in outcome.reason and "R-S3" not in outcome.reason
    assert outcome.total == D("100.00")


def test_r_s3_the_veto_fails_even_before_every_score_is_in():
    outcome = result(scores=scores(theory=None), safety_violation=True)
    assert outcome.result == "failed"
    assert outcome.total is None


def test_r_s3_the_veto_overrides_direct_recognition():
    outcome = result(safety_violation=True, direct_recognition=True, evidence="省技能大赛一等奖")
    assert outcome.result == "failed"
    assert "安全一票否决" in outcome.reason


def test_r_s3_without_a_veto_in_the_scheme_the_scores_decide():
    scheme = (THEORY, PRACTICAL, SAFETY_NO_VETO)
    outcome = examinee_result(components=scheme, scores=scores(), safety_violation=True)
    assert outcome.result == "passed"
    assert outcome.total == D("83.00")


def test_r_s3_no_violation_no_veto():
    assert result(safety_violation=False).result == "passed"


# R-S2 direct recognition -------------------------------------------------------------------


def test_r_s2_a_direct_recognition_candidate_with_evidence_passes():
    outcome = result(
        scores=scores(None, None, None), direct_recognition=True, evidence="全国技术能手"
    )
    assert outcome.result == "passed"
    assert outcome.reason == "直接认定。"
    assert outcome.total is None


def test_r_s2_direct_recognition_passes_even_with_a_score_below_its_mark():
    outcome = result(scores=scores(theory="30"), direct_recognition=True, evidence="市级竞赛第一名")
    assert outcome.result == "passed"
    assert outcome.total == D("68.00")  # 9 + 45 + 14, recorded for the record


def test_r_s2_direct_recognition_without_evidence_is_pending():
    outcome = result(direct_recognition=True, evidence="   ")
    assert outcome.result == "pending"
    assert outcome.reason == "直接认定须写明依据。"


def test_r_s2_direct_recognition_where_the_scheme_does_not_provide_for_it_is_pending():
    outcome = result(
        direct_recognition=True, evidence="全国技术能手", direct_recognition_allowed=False
    )
    assert outcome.result == "pending"
    assert "未规定直接认定" in outcome.reason


def test_r_s2_evidence_without_the_candidate_flag_changes_nothing():
    outcome = result(scores=scores(theory="30"), evidence="全国技术能手")
    assert outcome.result == "failed"


def test_r_s2_direct_recognition_is_allowed_only_where_the_scheme_names_it():
    assert allows_direct_recognition(["theory_exam", "direct_recognition"])
    assert not allows_direct_recognition(["theory_exam", "practical"])
    assert not allows_direct_recognition([])


def test_the_reason_fits_its_column_whatever_the_scheme():
    every = tuple(
        Component(kind, D(20), D("99.99"))
        for kind in ("theory", "practical", "safety", "ethics", "performance")
    )
    low = {c.kind: D("0.01") for c in every}
    assert len(examinee_result(components=every, scores=low).reason) <= 200
    assert len(examinee_result(components=every, scores={}).reason) <= 200


# Reading a score ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("85", D("85.00")),
        ("85.5", D("85.50")),
        ("85.25", D("85.25")),
        (" 60 ", D("60.00")),
        ("１００", D("100.00")),  # full-width digits typed with a Chinese input method
        ("0", D("0.00")),
        (85.5, D("85.50")),  # a number cell of Excel
        (100, D("100.00")),
        (D("72.10"), D("72.10")),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_r_s2_a_score_is_read_from_what_was_typed(typed, expected):
    assert parse_score(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "“abc”不是数字；请填写0至100之间的成绩，如 85 或 85.5。"),
        ("八十", "“八十”不是数字"),
        ("1e2", "“1e2”不是数字"),
        ("85,5", "“85,5”不是数字"),
        ("-1", "-1 小于0；成绩应在0至100之间。"),
        (-0.5, "-0.5 小于0"),
        ("101", "101 大于100；成绩应在0至100之间。"),
        (100.01, "100.01 大于100"),
        ("85.555", "85.555 超过两位小数；成绩最多保留两位小数。"),
        (84.99999, "84.99999 超过两位小数"),
        (True, "“是”不是数字。"),
        (float("nan"), "不是数字"),
        (float("inf"), "不是数字"),
    ],
)
def test_r_s2_what_is_not_a_score_is_refused_with_the_reason(typed, message):
    with pytest.raises(ScoreError) as refused:
        parse_score(typed)
    assert message in str(refused.value)


def test_marks_are_written_as_people_write_them():
    assert [mark(D(v)) for v in ("60.00", "85.50", "85.25", "100", "0.00")] == [
        "60",
        "85.5",
        "85.25",
        "100",
        "0",
    ]
