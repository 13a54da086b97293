"""Application conditions on the roster (申报条件, 破格条件; seed 004 §三(一)(二), seed 001
§七(一)): each row is checked against the routes of its level in the plan's scheme, through
the upload pages and `manage.py import_roster`; the optional columns are tolerated when absent
(未核验)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assessments.models import ApplicationRoute, RosterImport
from assessments.rosters.reader import CATEGORY_HEADER, HEADERS
from assessments.rosters.reader.conditions import parse_years
from tests.assessments.factories import PlanFactory, as_list, hand_roster, roster_xlsx, row_values

FOUR_FAILS = "申报四级须从事本职业满6年，或取得五级证书满4年"


@pytest.fixture
def plan(ent_a):
    """A draft plan for 五级 and 四级 whose scheme carries the 车工 national standard's routes."""
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    scheme = plan.scheme
    for level, minimums in (
        (5, {"min_years_in_occupation": 1}),
        (5, {"min_training_hours": 400}),
        (4, {"min_years_in_occupation": 6}),
        (4, {"prior_certificate_level": 5, "min_years_since_certificate": 4}),
    ):
        ApplicationRoute.objects.create(scheme=scheme, level=level, **minimums)
    ApplicationRoute.objects.create(
        scheme=scheme,
        level=4,
        exceptional=True,
        ground="competition",
        description="市级以上职业技能竞赛前三名",
    )
    return plan


def years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years)


def conditions_xlsx(rows: list[dict], extra: list[str]) -> bytes:
    """A roster with the official columns, 人员类别, then the optional columns `extra`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["职业技能等级认定人员名册"])
    sheet.append([*HEADERS, CATEGORY_HEADER, *extra])
    for values in rows:
        sheet.append([*as_list(values), *(values.get(header) for header in extra)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, plan, data: bytes):
    return client.post(
        reverse("roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("名册.xlsx", data)},
        follow=True,
    )


def import_all(client, plan, data: bytes) -> str:
    upload(client, plan, data)
    job = RosterImport.objects.filter(plan=plan).latest("pk")
    response = client.post(
        reverse("roster_job_import", args=[plan.pk, job.pk]), {"mode": "all"}, follow=True
    )
    return response.content.decode()


def test_seed004_s3_1_row_failing_years_in_occupation_is_refused_naming_the_condition(
    client, alice, plan
):
    client.force_login(alice)
    rows = [row_values(1, **{"从事本职业（工种）时间": "3年", "已获证书等级": ""}), row_values(2)]
    rows[1]["从事本职业（工种）时间"] = "8年"
    text = upload(client, plan, conditions_xlsx(rows, ["已获证书等级"])).content.decode()
    assert f"申报条件：{FOUR_FAILS}；本行从事本职业3年，未取得证书。" in text
    assert RosterImport.objects.get(plan=plan).bad == 1
    assert plan.roster.count() == 0


def test_seed004_s3_1_a_five_level_certificate_held_four_years_meets_the_other_route(
    client, alice, plan
):
    client.force_login(alice)
    row = row_values(
        1,
        **{
            "从事本职业（工种）时间": "2年",
            "已获证书等级": "五级/初级工",
            "证书取得时间": years_ago(5),
        },
    )
    text = import_all(client, plan, conditions_xlsx([row], ["证书取得时间", "已获证书等级"]))
    assert "已将 1 名考生导入人员名册。" in text
    entry = plan.roster.get()
    assert (entry.prior_certificate_level, entry.prior_certificate_on) == (5, years_ago(5))
    assert entry.conditions_unverified == ""


@pytest.mark.parametrize(
    "written", ["五级/初级工（企业等级：五级一档）", "五级一档", "五级（企业等级：另一企业的名称）"]
)
def test_seed004_s3_1_a_certificate_level_written_as_the_portal_prints_it_is_read(
    client, alice, plan, written
):
    """R-S4 with seed 004 §三(一): a level copied from a certificate that carries the enterprise's
    own title beside the national level counts as that national level."""
    from assessments.models import LevelMapping

    LevelMapping.objects.create(scheme=plan.scheme, enterprise_level="五级一档", national_level=5)
    client.force_login(alice)
    row = row_values(
        1,
        **{"从事本职业（工种）时间": "2年", "已获证书等级": written, "证书取得时间": years_ago(5)},
    )
    text = import_all(client, plan, conditions_xlsx([row], ["已获证书等级", "证书取得时间"]))
    assert "已将 1 名考生导入人员名册。" in text
    assert plan.roster.get().prior_certificate_level == 5


def test_seed004_s3_1_a_certificate_held_too_short_a_time_is_refused(client, alice, plan):
    client.force_login(alice)
    row = row_values(
        1,
        **{"从事本职业（工种）时间": "2年", "已获证书等级": "五级", "证书取得时间": years_ago(3)},
    )
    text = upload(client, plan, conditions_xlsx([row], ["已获证书等级", "证书取得时间"]))
    assert f"{FOUR_FAILS}；本行从事本职业2年，取得五级证书3年。" in text.content.decode()


def test_seed004_s3_1_without_the_certificate_column_the_condition_is_unverified_not_failed(
    client, alice, dora, plan
):
    client.force_login(alice)
    row = row_values(1, **{"从事本职业（工种）时间": "3年"})
    text = upload(client, plan, roster_xlsx([row])).content.decode()
    assert "全部 1 行均无误。" in text
    assert "申报条件未核验：1 行" in text
    warning = (
        f"未核验：{FOUR_FAILS}；本行从事本职业3年，名册无“已获证书等级”列"
        "（“已获证书等级、证书取得时间”缺列或未填，须由审核人员核实）。"
    )
    assert warning in text
    assert "已将 1 名考生导入人员名册。" in import_all(client, plan, roster_xlsx([row]))
    assert plan.roster.get().conditions_unverified == warning
    plan.status = "submitted"
    plan.save(update_fields=["status"])
    client.force_login(dora)
    for page in ("roster_detail", "plan_detail"):
        text = client.get(reverse(page, args=[plan.pk])).content.decode()
        assert "申报条件未核验：1 人" in text and warning in text


def test_seed004_s3_2_an_exceptional_row_needs_its_reason_and_evidence(client, alice, plan):
    client.force_login(alice)
    row = row_values(1, **{"从事本职业（工种）时间": "2年", "破格申报": "是", "破格理由": ""})
    text = upload(client, plan, conditions_xlsx([row], ["破格申报", "破格理由"])).content.decode()
    assert "破格理由：破格申报必须填写破格理由，如竞赛名次或重大贡献" in text
    assert (
        "破格依据：破格申报必须填写破格依据，如获奖证书或文件文号；如文件缺少“破格依据”列，"
        "请在名册规定列之后添加。"
    ) in text


def test_seed004_s3_2_reviewers_see_the_exceptional_rows_listed_apart(client, alice, carl, plan):
    client.force_login(alice)
    rows = [
        row_values(
            1,
            **{
                "从事本职业（工种）时间": "2年",
                "破格申报": "是",
                "破格理由": "2025年市职业技能竞赛车工项目第二名",
                "破格依据": "深人社〔2025〕88号",
            },
        ),
        row_values(2, **{"从事本职业（工种）时间": "7年", "破格申报": "否"}),
    ]
    data = conditions_xlsx(rows, ["破格申报", "破格理由", "破格依据"])
    preview = upload(client, plan, data).content.decode()
    assert "全部 2 行均无误。" in preview and "破格申报：1 行" in preview
    assert "已将 2 名考生导入人员名册。" in import_all(client, plan, data)
    exceptional = plan.roster.get(exceptional=True)
    assert exceptional.name == "张1" and exceptional.exceptional_evidence == "深人社〔2025〕88号"
    plan.status = "submitted"
    plan.save(update_fields=["status"])
    client.force_login(carl)
    plan_page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "各等级申报条件" in plan_page and "<td>从事本职业满6年</td>" in plan_page
    for page in ("roster_detail", "plan_detail"):
        text = client.get(reverse(page, args=[plan.pk])).content.decode()
        listed = text[text.index("破格申报：1 人") :]
        assert "2025年市职业技能竞赛车工项目第二名" in listed and "张2" not in listed


def test_seed004_s3_2_an_exceptional_row_of_a_level_without_exceptional_route_is_refused(
    client, alice, plan
):
    client.force_login(alice)
    row = row_values(
        1,
        **{
            "职业技能等级": "五级/初级工",
            "破格申报": "是",
            "破格理由": "竞赛获奖",
            "破格依据": "获奖证书",
        },
    )
    text = upload(client, plan, conditions_xlsx([row], ["破格申报", "破格理由", "破格依据"]))
    assert (
        "评价方案未规定申报五级的破格条件：请按一般申报条件申报，并在“破格申报”列填写“否”。"
    ) in text.content.decode()


def test_seed001_s7_1_training_hours_before_the_assessment_meet_the_level_5_route(
    client, alice, plan
):
    client.force_login(alice)
    rows = [
        row_values(
            1, **{"职业技能等级": "五级", "从事本职业（工种）时间": "", "培训学时": "400学时"}
        ),
        row_values(
            2, **{"职业技能等级": "五级", "从事本职业（工种）时间": "6个月", "培训学时": 100}
        ),
    ]
    text = upload(client, plan, conditions_xlsx(rows, ["培训学时"])).content.decode()
    assert (
        "申报五级须从事本职业满1年，或评价前培训满400学时；本行从事本职业0.5年，培训100学时。"
    ) in text
    assert RosterImport.objects.get(plan=plan).good == 1


def test_seed004_s3_1_unreadable_years_in_occupation_are_refused(client, alice, plan):
    client.force_login(alice)
    text = upload(client, plan, roster_xlsx([row_values(1, **{"从事本职业（工种）时间": "很久"})]))
    assert (
        "从事本职业（工种）时间：“很久”不是年数：应写作 6、6年、6.5 或 6年3个月，"
        "或填写开始从事本职业的日期。"
    ) in text.content.decode()


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ("6", Decimal(6)),
        ("6年", Decimal(6)),
        ("6.5", Decimal("6.5")),
        ("6年以上", Decimal(6)),
        ("６年", Decimal(6)),
        ("6年6个月", Decimal("6.5")),
        ("18个月", Decimal("1.5")),
        (6, Decimal(6)),
        (6.5, Decimal("6.5")),
        ("2020-06-01", Decimal(6)),
        (dt.date(2020, 6, 1), Decimal(6)),
        ("2020年6月", Decimal(6)),
        ("满6年", Decimal(6)),
        ("6年(含)以上", Decimal(6)),
        ("累计六年", Decimal(6)),
        ("十二年", Decimal(12)),
        ("两年半", Decimal("2.5")),
        ("三年六个月", Decimal("3.5")),
        ("很久", None),
    ],
)
def test_seed004_s3_1_years_in_occupation_are_read_as_rosters_write_them(value, years):
    assert parse_years(value, dt.date(2026, 6, 1)) == years


def test_seed004_s3_1_a_scheme_without_structured_conditions_checks_nothing_new(
    client, alice, ent_a
):
    plain = PlanFactory(enterprise=ent_a, levels=[5, 4])
    client.force_login(alice)
    row = row_values(1, **{"从事本职业（工种）时间": "很久", "破格申报": "是", "培训学时": "很多"})
    text = upload(client, plain, conditions_xlsx([row], ["破格申报", "培训学时"]))
    assert "全部 1 行均无误。" in text.content.decode()


def test_seed004_s3_1_a_roster_of_another_tool_whose_rows_meet_the_conditions_still_passes(
    client, alice, plan
):
    client.force_login(alice)
    rows = [
        row_values(1, **{"从事本职业（工种）时间": "8"}),
        row_values(2, **{"从事本职业（工种）时间": "2年", "职业技能等级": "初级工"}),
    ]
    text = upload(client, plan, hand_roster(rows)).content.decode()
    assert "全部 2 行均无误。" in text and "未核验" not in text


def _command(plan, path, *extra) -> tuple[str, str]:
    out = io.StringIO()
    try:
        call_command("import_roster", "--plan", str(plan.pk), str(path), *extra, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def test_seed004_s3_1_import_roster_dry_run_reports_the_failed_condition(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    rows = [row_values(1, **{"从事本职业（工种）时间": "3年", "已获证书等级": ""}), row_values(2)]
    rows[1]["从事本职业（工种）时间"] = "6年"
    path.write_bytes(conditions_xlsx(rows, ["已获证书等级"]))
    output, error = _command(plan, path, "--dry-run")
    assert output.splitlines() == [
        f"row 3: 申报条件: {FOUR_FAILS}；本行从事本职业3年，未取得证书。"
    ]
    assert error == "summary: 2 rows, 1 good, 1 with problems; nothing imported"
    assert plan.roster.count() == 0


def test_seed004_s3_1_import_roster_reports_unverified_conditions_and_imports(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx([row_values(1, **{"从事本职业（工种）时间": "3年"})]))
    output, error = _command(plan, path, "--dry-run")
    assert error == ""
    assert output.splitlines() == [
        f"row 3: 申报条件: 未核验：{FOUR_FAILS}；本行从事本职业3年，名册无“已获证书等级”列"
        "（“已获证书等级、证书取得时间”缺列或未填，须由审核人员核实）。",
        "summary: 1 rows, 1 good, 0 with problems, 1 with conditions not verified; nothing "
        "imported (dry run)",
    ]
    output, error = _command(plan, path)
    assert error == "" and output.endswith(f"1 imported into plan {plan.pk}\n")
    assert plan.roster.get().conditions_unverified.startswith("未核验：")


def test_seed004_s3_2_the_error_report_keeps_the_optional_columns_to_upload_again(
    client, alice, plan
):
    client.force_login(alice)
    row = row_values(
        1, **{"从事本职业（工种）时间": "2年", "破格申报": "是", "破格依据": "获奖证书"}
    )
    upload(client, plan, conditions_xlsx([row], ["破格申报", "破格依据"]))
    job = RosterImport.objects.get(plan=plan)
    response = client.get(reverse("roster_job_report", args=[plan.pk, job.pk]))
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert list(rows[1][-4:]) == [CATEGORY_HEADER, "破格申报", "破格依据", "原因"]
    assert list(rows[2][-4:-1]) == ["本企业职工", "是", "获奖证书"]
    assert "破格理由：破格申报必须填写破格理由" in rows[2][-1]


def test_seed004_s3_1_years_since_joining_are_counted_from_the_hiring_date(client, alice, ent_a):
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    ApplicationRoute.objects.create(scheme=plan.scheme, level=5, min_years_employed=2)
    client.force_login(alice)
    rows = [
        row_values(1, **{"职业技能等级": "五级", "入职时间": years_ago(1)}),
        row_values(2, **{"职业技能等级": "五级", "入职时间": years_ago(3)}),
        row_values(3, **{"职业技能等级": "五级", "入职时间": None}),
    ]
    text = upload(client, plan, roster_xlsx(rows)).content.decode()
    assert "申报条件：申报五级须入职满2年；本行入职1年。" in text
    assert "未核验：申报五级须入职满2年；本行未填写“入职时间”" in text
    job = RosterImport.objects.get(plan=plan)
    assert (job.good, job.bad) == (2, 1)
