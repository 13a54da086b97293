"""The whole lifecycle in a real browser, as the demo roles walk it:
a new enterprise registers → files with real materials → the district pre-reviews → the city
sends the expert and approves → evaluation scheme, expert-evaluated and approved → examiner
register and implementation plan (R-P2 lead time) → roster uploaded as an .xlsx written on the
downloaded template (R-P5) → scores entered, one safety veto (R-S3) → publicity (R-R1) → result
filing approved (R-R2) → certificates issued and the batch PDF printed (R-K1 … R-K3) → an
anonymous visitor verifies a certificate and sees the masked name (R-K5).

Every step is a click or a typed value in chromium; the ORM only seeds the demo personas and
reference data and reads back what the pages did. The walk spans four weeks of working days: the
portal's "today" (`django.utils.timezone.localdate`, the same in the live server thread) is moved
forward as the other tests freeze it, never by editing rows. A screenshot of every stage lands
in test-artifacts/life-NN-<stage>.png.
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pikepdf
import pytest
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from stdnum.cn import ric

from assessments.models import ExamineeResult, RosterEntry
from certificates.models import Certificate, IssueBatch, IssueStatus
from demo.management.commands.seed_demo import (
    DEFAULT_PASSWORD,
    OCCUPATIONS_CSV,
)
from demo.management.commands.seed_demo import (
    Command as SeedDemo,
)
from filings.models import Enterprise, Filing, FilingStatus
from filings.occupations import import_occupations_csv
from portal.core.models import Role
from tests.e2e.conftest import ARTIFACTS, click_nav, login, shoot
from tests.support.factories import valid_credit_code
from tests.support.pdfs import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

# The walk's working days (2026 calendar): filed on a Monday; the first session 11 working days
# later (R-P2 asks for 10); results publicised the day after; the 5 publicity working days end on
# the 25th (R-R1), so the result filing opens on the 26th.
FILED_ON = dt.date(2026, 11, 2)
SESSION_ON = dt.date(2026, 11, 17)
PUBLICISED_ON = dt.date(2026, 11, 18)
PUBLICITY_ENDS_ON = dt.date(2026, 11, 25)
RESULTS_FILED_ON = dt.date(2026, 11, 26)

ENTERPRISE = "深圳市南山精工智造科技有限公司"
OPERATOR = "jinggong"
OPERATOR_PASSWORD = "Jinggong-2026-portal"
# R-P5: three employees for 四级/中级工 of 车工（数控车工）; 刘建军 commits a serious safety
# violation and fails on the scheme's one-vote veto (R-S3).
EXAMINEES = [
    ("张伟丰", dt.date(1990, 3, 15), "男", 1),
    ("李秀梅", dt.date(1992, 7, 8), "女", 2),
    ("刘建军", dt.date(1988, 11, 21), "男", 3),
]
SCORES = {  # 理论知识 30 %, 操作技能 50 %, 安全生产 20 % with the veto; pass marks 60
    "张伟丰": {"理论知识": 82, "操作技能": 88, "安全生产": 95},
    "李秀梅": {"理论知识": 76, "操作技能": 91, "安全生产": 90},
    "刘建军": {"理论知识": 85, "操作技能": 80, "安全生产": 70},
}
VETOED = "刘建军"
EXAMINERS = [
    ("examiner", "陈志远", dt.date(1975, 5, 1)),
    ("examiner", "周海燕", dt.date(1978, 9, 12)),
    ("examiner", "黄国栋", dt.date(1972, 2, 3)),
    ("supervisor", "吴丽娟", dt.date(1980, 6, 30)),
]


class Clock:
    """The portal's "today", moved forward as the walk goes on."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._real = timezone.localdate

    def localdate(self, value=None, timezone=None):
        if value is None:
            return self.day
        return self._real(value, timezone)


@pytest.fixture
def clock(monkeypatch, calendar):
    clock = Clock(FILED_ON)
    monkeypatch.setattr("django.utils.timezone.localdate", clock.localdate)
    return clock


@pytest.fixture
def demo_roles(clock):
    """The demo's bureaus, occupations, city policy and reviewers (seed_demo's own functions):
    district1 reviews 南山区, city is the city reviewer and admin, expert evaluates on site."""
    seed = SeedDemo()
    seed.today = clock.day
    seed.bureaus = seed.seed_bureaus()
    import_occupations_csv(OCCUPATIONS_CSV.read_text(encoding="utf-8"))
    seed.seed_policy()
    city = seed.bureaus["4403"]
    seed.member(
        "district1",
        Role.DISTRICT,
        DEFAULT_PASSWORD,
        bureau=seed.bureaus["440305"],
        full_name="赵敏",
    )
    seed.member("city", Role.CITY, DEFAULT_PASSWORD, bureau=city, is_admin=True, full_name="周静")
    seed.member("expert", Role.EXPERT, DEFAULT_PASSWORD, bureau=city, full_name="吴国华")
    return seed.bureaus


def _id_number(born: dt.date, serial: int, male: bool, region: str = "440305") -> str:
    """A resident ID number whose check digit, birth date and sex agree (GB 11643). The region
    code must have existed at the birth date: 南山区 (440305) for the young examinees, 北京市朝阳区
    (110105) for the examiners born before Shenzhen's districts were."""
    order = serial * 2 + (1 if male else 0)
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def _pdf(title: str) -> bytes:
    """A one-page PDF made the way an office suite makes one (not a hand-written stub)."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 110, 180)).save(buffer, format="PNG")
    return buffer.getvalue()


class Walk:
    """The live server's address and the numbered screenshots of the walk."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.shots = 0

    def shoot(self, page, stage: str) -> None:
        self.shots += 1
        shoot(page, f"life-{self.shots:02d}-{stage}")

    def go(self, page, path: str) -> None:
        page.goto(f"{self.url}{path}")

    def submit(self, page, form: str = "main form.stacked") -> None:
        page.click(f"{form} button[type=submit]")

    def decide(self, page, path: str, decision: str, confirmed: str, *, note: str = "") -> None:
        """The decision form of the page at `path`; `confirmed` is the message that follows."""
        self.go(page, path)
        page.check(f"input[name=decision][value={decision}]")
        if note:
            page.fill("form[action$='/decide/'] #id_note", note)
        page.click("form[action$='/decide/'] button[type=submit]")
        page.wait_for_selector(f"text={confirmed}")


def _pk(page, pattern: str) -> int:
    match = re.search(pattern, page.url)
    assert match, f"{page.url} does not match {pattern}"
    return int(match.group(1))


def test_register_file_assess_certify_and_verify_in_the_browser(
    open_page, live_server, clock, demo_roles
):
    walk = Walk(live_server.url)
    credit_code = valid_credit_code(600_006)

    # 1. The enterprise registers online; its district checks it and activates the account.
    visitor = open_page()
    walk.go(visitor, "/")
    visitor.click("header a[href='/register/']")
    visitor.fill("#id_name", ENTERPRISE)
    visitor.fill("#id_credit_code", credit_code)
    visitor.select_option("#id_nature", "private")
    visitor.select_option("#id_district", label="深圳市 南山区")
    visitor.fill("#id_address", "深圳市南山区粤海街道科技园精工大厦")
    visitor.fill("#id_legal_representative", "郑国强")
    visitor.fill("#id_contact_name", "孙丽华")
    visitor.fill("#id_contact_phone", "138 2345 6789")
    visitor.fill("#id_contact_email", "hr@jinggong.example.cn")
    visitor.fill("#id_username", OPERATOR)
    visitor.fill("#id_email", "sunlihua@jinggong.example.cn")
    visitor.fill("#id_password1", OPERATOR_PASSWORD)
    visitor.fill("#id_password2", OPERATOR_PASSWORD)
    walk.shoot(visitor, "register")
    walk.submit(visitor)
    visitor.wait_for_url(f"{walk.url}/accounts/login/")
    assert f"{ENTERPRISE}注册成功" in visitor.inner_text(".messages")
    enterprise = Enterprise.objects.get(credit_code=credit_code)
    assert enterprise.status == "pending"

    district = open_page("district1", DEFAULT_PASSWORD)
    click_nav(district, "a[href='/enterprises/']")
    district.click(f"main a:text-is('{ENTERPRISE}')")
    district.click("button:text-is('激活企业')")
    district.wait_for_selector(f"text={ENTERPRISE}已激活")
    walk.shoot(district, "activated")

    # 2. The operator drafts the filing: the facts, one scope line, the eight R-F8 materials.
    operator = open_page()
    login(operator, walk.url, OPERATOR, OPERATOR_PASSWORD)
    walk.go(operator, "/filings/new/")
    operator.check("#id_independent_legal_person")
    operator.fill("#id_business_scope", "数控机床、精密零部件、工业机器人的研发、生产和销售")
    operator.check("#id_good_credit")
    operator.fill("#id_insured_employees", "860")
    operator.select_option("#id_enterprise_size", "large")
    operator.check("#id_has_pay_linkage")
    operator.check("#id_has_dedicated_staff")
    operator.fill(
        "#id_situation", "在岗职工920人，其中技能人才640人；职工教育经费按工资总额2%提取。"
    )
    operator.fill("#id_site_and_equipment", "实训考核车间1600平方米，数控车床24台，全程视频监控。")
    operator.fill("#id_staff_and_examiners", "专职工作人员4人，考评人员12人（高级考评员3人）。")
    # Seed 004 附件1: the application form's basic information.
    operator.fill("#id_registration_authority", "深圳市市场监督管理局")
    operator.fill("#id_principal_name", "郑国强")
    operator.fill("#id_principal_title", "总经理")
    operator.fill("#id_principal_phone", "0755-86001234")
    operator.fill("#id_contact_title", "人力资源部经理")
    operator.fill("#id_contact_mobile", "138 2345 6789")
    operator.fill("#id_filled_in_by", "孙丽华")
    operator.fill("#id_filler_phone", "0755-86005678")
    walk.submit(operator)
    operator.wait_for_url(re.compile(r"/filings/\d+/$"))
    filing_id = _pk(operator, r"/filings/(\d+)/$")
    operator.wait_for_selector("text=草稿已保存")

    operator.click("a[href$='/lines/new/']")
    operator.select_option("#id_occupation", label="6-18-01-01 车工")
    operator.select_option("#id_work_type", label="6-18-01-01 车工 — 数控车工")
    for level in (5, 4, 3):
        operator.check(f"input[name=levels][value='{level}']")
    operator.select_option("#id_standard_type", "national")
    operator.fill("#id_workstations", "24")
    operator.fill("#id_examiners", "12")
    operator.fill("#id_applicants", "160")
    operator.check("#id_related_to_main_business")
    walk.submit(operator)
    operator.wait_for_url(f"{walk.url}/filings/{filing_id}/")

    walk.go(operator, f"/filings/{filing_id}/materials/new/")
    material_kinds = operator.eval_on_selector_all(
        "#id_kind option", "options => options.map(option => [option.value, option.text])"
    )
    for value, label in material_kinds:
        if value == "other":
            continue
        walk.go(operator, f"/filings/{filing_id}/materials/new/")
        operator.select_option("#id_kind", value)
        if value == "site_evidence":
            upload = {"name": "考核车间监控画面.png", "mimeType": "image/png", "buffer": _png()}
        else:
            upload = {"name": f"{label}.pdf", "mimeType": "application/pdf", "buffer": _pdf(label)}
        operator.set_input_files("#id_file", files=[upload])
        walk.submit(operator)
        operator.wait_for_url(f"{walk.url}/filings/{filing_id}/")
        operator.wait_for_selector(f"text=“{upload['name']}”已上传")
    assert "平台可检查的各项条件均已满足" in operator.content()
    walk.shoot(operator, "filing-ready")
    operator.check("input[name=pledge]")
    operator.click("button:text-is('提交备案申请')")
    operator.wait_for_selector("text=备案申请已提交")
    filing = Filing.objects.get(pk=filing_id)
    assert filing.status == FilingStatus.DISTRICT_REVIEW
    assert filing.materials.count() == len(material_kinds) - 1  # every kind but "other"

    # 3. District pre-review (R-F5), the city sends the expert on site (R-F6), approval (R-F7).
    walk.go(district, f"/filings/{filing_id}/")
    assert "考核车间监控画面.png" in district.content()
    district.fill("#id_opinion", "经核查，企业材料齐全、场地设备符合要求，同意报市级审核。")
    district.click("button[value=forward]")
    district.wait_for_selector("text=备案申请已报市级审核")

    city = open_page("city", DEFAULT_PASSWORD)
    walk.go(city, f"/filings/{filing_id}/")
    assert re.search(r"剩余\d+个工作日", city.content())  # the 20-working-day clock (R-F6)
    city.check("form[action$='/experts/'] input[name=experts]")
    city.click("form[action$='/experts/'] button[type=submit]")
    city.wait_for_selector("text=已指派专家")

    expert = open_page("expert", DEFAULT_PASSWORD)
    walk.go(expert, f"/filings/{filing_id}/")
    expert.click(f"a[href='/filings/{filing_id}/opinion/']")
    expert.fill("#id_visited_on", FILED_ON.isoformat())
    # Seed 001 §六(一)2: the Shenzhen checklist's four items, 90 in all.
    for index, score in enumerate((27, 18, 18, 27)):
        expert.fill(f"#id_item_{index}_score", str(score))
    expert.fill("#id_item_0_note", "实训场地两处，工位充足。")
    expert.check("input[name=recommendation][value=approve]")
    expert.fill("#id_opinion", "实训场地、数控设备和考评人员配备符合要求，建议准予备案。")
    walk.shoot(expert, "expert-opinion")
    walk.submit(expert)
    expert.wait_for_selector("text=您的意见已记录")

    walk.decide(
        city,
        f"/filings/{filing_id}/",
        "approve",
        "已准予备案",
        note="经审核和专家现场评估，同意备案。",
    )
    walk.shoot(city, "filing-approved")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED and filing.number

    # 4. The evaluation scheme (R-S1 … R-S4), evaluated by the expert and approved (R-S5).
    walk.go(operator, "/schemes/new/")
    operator.select_option("#id_standard_basis", "national")
    operator.fill("#id_standard_name", "车工国家职业技能标准（2018年版）")
    for level in (5, 4, 3):
        operator.check(f"input[name=levels][value='{level}']")
    for method in ("theory_exam", "practical", "safety_review"):
        operator.check(f"input[name=methods][value='{method}']")
    operator.fill(
        "#id_application_conditions", "在本企业从事数控车工工作满规定年限，遵守安全生产规定。"
    )
    walk.submit(operator)
    operator.wait_for_url(re.compile(r"/schemes/\d+/$"))
    scheme_id = _pk(operator, r"/schemes/(\d+)/$")
    for kind, weight, veto in (
        ("theory", "30", False),
        ("practical", "50", False),
        ("safety", "20", True),
    ):
        walk.go(operator, f"/schemes/{scheme_id}/components/new/")
        operator.select_option("#id_kind", kind)
        operator.fill("#id_weight", weight)
        operator.fill("#id_pass_mark", "60")
        if veto:
            operator.check("#id_veto")
        walk.submit(operator)
        operator.wait_for_url(f"{walk.url}/schemes/{scheme_id}/")
    assert "平台可检查的各项条件均已满足" in operator.content()
    walk.shoot(operator, "scheme-ready")
    operator.click(f"form[action='/schemes/{scheme_id}/submit/'] button[type=submit]")
    operator.wait_for_selector("text=方案已报市级备案")

    walk.go(city, f"/schemes/{scheme_id}/")
    city.check("form[action$='/experts/'] input[name=experts]")
    city.click("form[action$='/experts/'] button[type=submit]")
    city.wait_for_selector("text=已指派专家")
    walk.go(expert, f"/schemes/{scheme_id}/opinion/")
    expert.fill("#id_score", "92")
    expert.check("input[name=recommendation][value=approve]")
    expert.fill(
        "#id_opinion", "考核内容与国家标准一致，权重和合格线设置合理，安全生产一票否决明确。"
    )
    walk.submit(expert)
    expert.wait_for_selector("text=您的意见已记录")
    walk.decide(city, f"/schemes/{scheme_id}/", "approve", "方案已通过")
    walk.shoot(city, "scheme-approved")

    # 5. The examiner register and the implementation plan: the first session 11 working days
    # after submission, one more than R-P2 asks.
    for n, (role, name, born) in enumerate(EXAMINERS, start=1):
        walk.go(operator, "/examiners/new/")
        operator.select_option("#id_role", role)
        operator.fill("#id_name", name)
        operator.fill("#id_id_number", _id_number(born, 50 + n, male=n % 2 == 1, region="110105"))
        operator.fill("#id_phone", f"1390013{n:04d}")
        operator.fill("#id_qualification", "高级考评员" if role == "examiner" else "质量督导员")
        operator.fill("#id_certificate_number", f"KP2026{n:04d}")
        walk.submit(operator)
        operator.wait_for_url(re.compile(r"/examiners/\d+/$"))
        if role == "examiner":
            operator.click("a[href$='/scopes/new/']")
            operator.select_option("#id_occupation", label="6-18-01-01 车工")
            operator.select_option("#id_highest_level", "3")
            walk.submit(operator)
            operator.wait_for_url(re.compile(r"/examiners/\d+/$"))
    walk.shoot(operator, "examiner")

    walk.go(operator, "/plans/new/")
    operator.select_option("#id_scheme", index=1)  # the one approved scheme, after "---------"
    operator.fill("#id_title", "2026年第一期数控车工职业技能等级认定")
    operator.check("input[name=levels][value='4']")
    walk.submit(operator)
    operator.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan_id = _pk(operator, r"/plans/(\d+)/$")
    for starts, ends, room, component in (
        ("09:00", "11:00", "理论考场1", "theory"),
        ("14:00", "17:00", "数控实训车间", "practical"),
    ):
        walk.go(operator, f"/plans/{plan_id}/sessions/new/")
        operator.fill("#id_date", SESSION_ON.isoformat())
        operator.fill("#id_starts_at", starts)
        operator.fill("#id_ends_at", ends)
        operator.fill("#id_site", "精工大厦实训中心")
        operator.fill("#id_room", room)
        operator.select_option("#id_component", component)
        walk.submit(operator)
        operator.wait_for_url(f"{walk.url}/plans/{plan_id}/")
        # Seed 004 §三(一): the session's invigilator, named by hand.
        walk.go(operator, f"/plans/{plan_id}/invigilators/new/")
        operator.select_option(
            "#id_session", index=len(operator.locator("#id_session option").all()) - 1
        )
        operator.fill("#id_name", f"监考员{room}")
        operator.fill("#id_organisation", "人力资源部 培训主管")
        operator.fill("#id_phone", "13800138000")
        walk.submit(operator)
        operator.wait_for_url(f"{walk.url}/plans/{plan_id}/")
    walk.go(operator, f"/plans/{plan_id}/staff/")
    for box in operator.locator("input[name=examiners], input[name=supervisors]").all():
        box.check()
    walk.submit(operator)
    operator.wait_for_url(f"{walk.url}/plans/{plan_id}/")

    # 6. The roster: the blank template downloaded from the plan, filled in with openpyxl.
    template = operator.request.get(f"{walk.url}/plans/{plan_id}/roster/template/")
    assert template.ok
    workbook = load_workbook(io.BytesIO(template.body()))
    sheet = workbook.worksheets[0]
    headers = [
        cell.value for cell in next(row for row in sheet.iter_rows() if row[0].value == "序号")
    ]
    id_numbers = {}
    for seq, (name, born, sex, serial) in enumerate(EXAMINEES, start=1):
        id_numbers[name] = _id_number(born, serial, male=sex == "男")
        values = {
            "序号": seq,
            "评价机构编码": "Y0001",
            "评价机构名称": ENTERPRISE,
            "姓名": name,
            "证件类型": "居民身份证",
            "证件号": id_numbers[name],
            "性别": sex,
            "出生日期": born.isoformat(),
            "联系电话": f"1370013{seq:04d}",
            "电子邮箱": "",
            "是否本企业职工": "是",
            "所在单位": ENTERPRISE,
            "从事本职业（工种）时间": f"{4 + seq}年",
            "所在岗位": "数控车工",
            "入职时间": "2018-03-01",
            "职业编码": "6-18-01-01",
            "职业名称": "车工",
            "工种名称": "数控车工",
            "职业技能等级": "四级/中级工",
            "人员类别": "本企业职工",
        }
        sheet.append([values.get(header, "") for header in headers])
    roster = io.BytesIO()
    workbook.save(roster)

    walk.go(operator, f"/plans/{plan_id}/")
    operator.click(f"a[href='/plans/{plan_id}/roster/import/']")
    operator.set_input_files(
        "#id_file",
        files=[
            {
                "name": "职业技能等级认定人员名册.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": roster.getvalue(),
            }
        ],
    )
    walk.submit(operator)
    operator.wait_for_url(re.compile(rf"/plans/{plan_id}/roster/import/\d+/$"))
    operator.wait_for_selector("button[name=mode][value=all]")
    walk.shoot(operator, "roster-checked")
    operator.click("button[name=mode][value=all]")
    operator.wait_for_url(f"{walk.url}/plans/{plan_id}/roster/")
    operator.wait_for_selector("text=已将 3 名考生导入人员名册")
    assert RosterEntry.objects.filter(plan_id=plan_id).count() == 3

    walk.go(operator, f"/plans/{plan_id}/")
    assert "平台可检查的各项条件均已满足" in operator.content()
    walk.shoot(operator, "plan-ready")
    operator.click(f"form[action='/plans/{plan_id}/submit/'] button[type=submit]")
    operator.wait_for_selector("text=实施计划已报市级")

    walk.decide(
        city, f"/plans/{plan_id}/", "acknowledge", "实施计划已确认", note="收悉，请按计划组织实施。"
    )

    # 7. The sessions are held; the operator types the scores into the grid (R-S2, R-S3).
    clock.day = SESSION_ON
    walk.go(operator, f"/plans/{plan_id}/scores/")
    rows = operator.locator("table.score-grid tbody tr")
    assert rows.count() == 3
    for index in range(3):
        row = rows.nth(index)
        name = row.locator("td.who").nth(1).inner_text().strip()
        cells = row.locator("input.score").all()
        assert len(cells) == 3
        for cell in cells:
            component = cell.get_attribute("aria-label").rsplit(" ", 1)[-1]
            cell.fill(str(SCORES[name][component]))
        if name == VETOED:
            row.locator("input[type=checkbox]").first.check()
    walk.submit(operator, "main form[method=post]")
    operator.wait_for_selector("text=已保存：3 名考生有变化")
    walk.shoot(operator, "scores")
    results = dict(RosterEntry.objects.filter(plan_id=plan_id).values_list("name", "result"))
    assert results == {
        "张伟丰": ExamineeResult.PASSED,
        "李秀梅": ExamineeResult.PASSED,
        "刘建军": ExamineeResult.FAILED,
    }
    # 30 % × 82 + 50 % × 88 + 20 % × 95 = 87.6
    assert RosterEntry.objects.get(plan_id=plan_id, name="张伟丰").total_score == Decimal("87.6")

    # 8. Publicity inside the enterprise for 5 working days (R-R1), then the result filing.
    clock.day = PUBLICISED_ON
    walk.go(operator, f"/plans/{plan_id}/results/")
    operator.click(f"form[action='/plans/{plan_id}/results/publish/'] button[type=submit]")
    operator.wait_for_selector(f"text=公示期至{PUBLICITY_ENDS_ON.isoformat()}")
    assert (
        operator.locator(
            f"form[action='/plans/{plan_id}/results/submit/'] button[disabled]"
        ).count()
        == 1
    )  # filing opens the day after the publicity ends
    walk.shoot(operator, "publicity")

    clock.day = RESULTS_FILED_ON
    walk.go(operator, f"/plans/{plan_id}/results/")
    operator.click(f"form[action='/plans/{plan_id}/results/submit/'] button[type=submit]")
    operator.wait_for_selector("text=认定结果已报送市级备案")

    walk.decide(city, f"/plans/{plan_id}/results/", "approve", "已准予结果备案")
    walk.shoot(city, "results-approved")

    # 9. The city sets the certificate number prefix (R-K2); the operator issues (R-K1) and the
    # batch PDF is printed by the Celery task.
    click_nav(city, "a[href='/certificates/prefixes/']")
    city.click(f"tr:has-text('{ENTERPRISE}') a")
    city.fill("#id_site_serial", "030001")
    walk.submit(city)
    city.wait_for_selector("text=证书编号前缀已设为 Y000044030001")

    walk.go(operator, f"/plans/{plan_id}/results/")
    operator.click(f"a[href='/plans/{plan_id}/certificates/issue/']")
    assert operator.input_value("#id_issued_on") == RESULTS_FILED_ON.isoformat()
    walk.shoot(operator, "issue")
    walk.submit(operator)
    operator.wait_for_url(re.compile(r"/certificates/batches/\d+/$"))
    operator.wait_for_selector("text=已核发 2 本证书")
    # Eager here, a worker in production: the page follows the printing and shows the link.
    operator.wait_for_selector("#batch-pdf a[href$='/pdf/']", timeout=60_000)
    walk.shoot(operator, "certificates")
    batch = IssueBatch.objects.get(result_batch__plan_id=plan_id)
    assert batch.status == IssueStatus.READY
    certificates = {c.holder_name: c.number for c in Certificate.objects.filter(batch=batch)}
    assert set(certificates) == {"张伟丰", "李秀梅"}  # no certificate after the veto
    number = certificates["张伟丰"]
    assert re.fullmatch(r"Y000044030001264\d{6}", number)  # R-K2: prefix, 26, level 4, serial

    with operator.expect_download() as download:
        operator.click("#batch-pdf a[href$='/pdf/']")
    batch_pdf = ARTIFACTS / "life-certificates.pdf"  # kept beside the screenshots
    download.value.save_as(batch_pdf)
    assert len(PdfReader(batch_pdf).pages) == 2  # one A4 page per certificate, in roster order
    text = pdf_text(batch_pdf.read_bytes())
    for expected in ("职业技能等级证书", "张伟丰", "李秀梅", number, ENTERPRISE, "数控车工"):
        assert expected in text, expected
    assert "刘建军" not in text

    # 10. An anonymous visitor verifies 张伟丰's certificate (R-K5) on a phone: valid, the name
    # masked, the answer on the first screen and nothing scrolling sideways.
    public = open_page()
    public.set_viewport_size({"width": 390, "height": 844})
    walk.go(public, "/")
    public.click("header .site-menu > summary")  # the phone's folded menu
    public.click("header a[href='/verify/']")
    public.fill("#id_number", number)
    public.fill("#id_name", "张伟丰")
    walk.submit(public, "main form.card")
    public.wait_for_selector("#verification-result")
    result = public.inner_text("#verification-result")
    assert "有效证书" in result
    assert "张*丰" in result and "张伟丰" not in result
    assert id_numbers["张伟丰"] not in public.content()
    assert ENTERPRISE in result
    assert public.locator("#verification-result").bounding_box()["y"] < 844
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    walk.shoot(public, "verified")
    assert open_page.errors == []  # no script error, failed resource or CSP refusal on the way
