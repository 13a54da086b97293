"""R-P5: reading the official roster as real files contain it, and the rules of each row.

These need no plan: the rules of the file itself. Files are written by openpyxl and by hand
(tests/assessments/factories.py: inline strings, formulas, numbers and Excel serial dates).
"""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from assessments.rosters import reader as roster
from assessments.rosters.reader import HEADERS, RosterFileError, read_roster
from tests.assessments.factories import (
    ExcelDate,
    Formula,
    as_list,
    hand_roster,
    hand_xlsx,
    id_number,
    roster_xlsx,
    row_values,
)


def problems(parsed, row: int) -> list[str]:
    return [str(p) for p in parsed.problems if p.row == row]


def only_row(parsed):
    assert len(parsed.rows) == 1, [r.row for r in parsed.rows]
    return parsed.rows[0]


# The file: header, title rows, blank rows ------------------------------------------------------


def test_r_p5_a_title_row_above_the_header_and_line_breaks_in_header_cells_are_accepted():
    parsed = read_roster(hand_roster([row_values(1), row_values(2)]))
    assert parsed.file_problems == []
    assert parsed.header_row == 3
    assert [row.row for row in parsed.rows] == [4, 5]
    assert parsed.good_rows == parsed.rows
    assert parsed.rows[0].values["name"] == "张1"


def test_r_p5_blank_trailing_rows_and_rows_numbered_only_are_skipped():
    data = roster_xlsx([row_values(1), row_values(2)], blank_tail=30)
    parsed = read_roster(data)
    assert [row.row for row in parsed.rows] == [3, 4]
    numbered_only = hand_xlsx(
        {1: HEADERS, 2: as_list(row_values(1), category=False), 3: [2], 4: [3]}
    )
    assert [row.row for row in read_roster(numbered_only).rows] == [2]


def test_r_p5_the_22nd_column_is_the_examinee_category_and_is_optional():
    with_category = read_roster(roster_xlsx([row_values(1)]))
    without = read_roster(roster_xlsx([row_values(1)], category=False))
    assert with_category.has_category and not without.has_category
    assert only_row(without).values["category"] == "employee"
    assert only_row(without).ok


def test_r_p5_a_header_out_of_order_is_refused_naming_the_column():
    header = list(HEADERS)
    header[4], header[5] = header[5], header[4]
    parsed = read_roster(hand_xlsx({1: header, 2: as_list(row_values(1), category=False)}))
    messages = [str(p) for p in parsed.file_problems]
    assert (
        "E：表头第 E 列应为“证件类型”，实为“证件号”；各列须为官方规定的 21 列且顺序一致。"
        in messages
    )
    assert parsed.good_rows == []


def test_r_p5_a_sheet_without_the_official_header_is_refused():
    parsed = read_roster(hand_xlsx({1: ["姓名", "身份证号", "电话"], 2: ["张三", "1101", "138"]}))
    assert len(parsed.file_problems) == 1
    assert "前 30 行中未找到官方名册的表头" in parsed.file_problems[0].message
    assert parsed.good_rows == []


def test_r_p5_a_header_without_rows_is_refused():
    parsed = read_roster(roster_xlsx([]))
    assert [p.message for p in parsed.file_problems] == ["名册表头下方没有考生数据行。"]


# The container ---------------------------------------------------------------------------------


def test_r_p5_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(RosterFileError, match="该文件不是 Excel 工作簿（.xlsx）"):
        roster.inspect_workbook(b"name,id\n\xe5\xbc\xa0,1\n")


def test_r_p5_an_old_xls_workbook_is_refused_with_what_to_do():
    with pytest.raises(RosterFileError, match=r"请另存为 Excel 工作簿（.xlsx）后重新上传"):
        roster.inspect_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_r_p5_a_zip_with_too_many_parts_is_refused_before_it_is_unpacked(settings):
    data = hand_xlsx({1: HEADERS}, extra_parts=settings.UPLOAD_ZIP_MAX_ENTRIES)
    with pytest.raises(RosterFileError, match="出于安全考虑拒绝接收"):
        roster.inspect_workbook(data)


def test_r_p5_a_zip_that_unpacks_too_big_is_refused_before_it_is_unpacked(settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 4096
    data = roster_xlsx(20)
    with pytest.raises(
        RosterFileError, match="解压后为 .*最多允许 4.0\xa0KB。出于安全考虑拒绝接收"
    ):
        roster.inspect_workbook(data)


def test_r_p5_a_zip_without_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(RosterFileError, match="该文件不是 Excel 工作簿"):
        roster.inspect_workbook(buffer.getvalue())


def test_the_row_count_is_known_before_the_file_is_parsed():
    assert roster.inspect_workbook(roster_xlsx(40)).row_elements == 42  # title, header, rows


# Formulas -------------------------------------------------------------------------------------


def test_r_p5_a_formula_cell_is_refused_with_its_cell_and_column():
    rows = [row_values(1), row_values(2, 姓名=Formula('CONCAT("张","三")', "张三"))]
    parsed = read_roster(hand_roster(rows))
    assert problems(parsed, 5) == [
        '姓名：单元格 D5 含有公式（=CONCAT("张","三")），名册不接受公式。'
        "请复制这些单元格并“只粘贴数值”。"
    ]
    assert [row.row for row in parsed.good_rows] == [4]


def test_r_p5_a_formula_typed_into_an_openpyxl_workbook_is_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    values = as_list(row_values(1), category=False)
    values[8] = "=13800138000+0"
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = read_roster(buffer.getvalue())
    assert any("单元格 I2 含有公式（=13800138000+0）" in p for p in problems(parsed, 2))


def test_r_p5_a_formula_above_the_header_refuses_the_file():
    sheet = {
        1: [Formula("TODAY()", "46000")],
        2: HEADERS,
        3: as_list(row_values(1), category=False),
    }
    parsed = read_roster(hand_xlsx(sheet))
    assert [p.header for p in parsed.file_problems] == ["A1"]
    assert parsed.good_rows == []


# ID numbers (GB 11643) -------------------------------------------------------------------------


def test_r_p5_an_id_number_stored_as_a_number_is_refused_because_its_digits_are_lost():
    number = id_number(1)
    parsed = read_roster(hand_roster([row_values(1, 证件号=int(number))]))
    assert problems(parsed, 4) == [
        "证件号：以数字格式保存，Excel 只保留 15 位有效数字，末尾几位已经丢失。"
        "请把该列设为文本格式后重新录入证件号。"
    ]


def test_r_p5_a_lower_case_x_in_an_id_number_is_normalised():
    number = next(id_number(n) for n in range(300) if id_number(n).endswith("X"))
    parsed = read_roster(hand_roster([row_values(1, 证件号=number.lower())]))
    row = only_row(parsed)
    assert row.ok, problems(parsed, 4)
    assert row.values["id_number"] == number


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("44030519900101001", "居民身份证号码应为 18 位（GB 11643），此号码为 17 位。"),
        ("4403051990010100AX", "居民身份证号码前 17 位应为数字，最后一位为数字或 X（GB 11643）。"),
        ("440305199013010011", "第 7–14 位（19901301）不是有效的出生日期（GB 11643）。"),
    ],
)
def test_r_p5_a_malformed_id_number_is_refused(typed, reason):
    parsed = read_roster(
        hand_roster([row_values(1, 证件号=typed, 性别="男", 出生日期="1990-01-01")])
    )
    assert f"证件号：{reason}" in problems(parsed, 4)


def test_r_p5_an_id_number_with_a_wrong_check_character_is_refused():
    good = id_number(1)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    parsed = read_roster(hand_roster([row_values(1, 证件号=good) | {"证件号": wrong}]))
    assert problems(parsed, 4) == [
        "证件号：校验码（最后一位）与前 17 位不符（GB 11643）：号码有误。"
    ]


def test_r_p5_sex_and_birth_date_must_agree_with_the_id_number():
    number = id_number(1, born="19851203", sex="女")
    values = row_values(1, 证件号=number, 性别="男", 出生日期=dt.date(1985, 12, 4))
    parsed = read_roster(hand_roster([values]))
    assert problems(parsed, 4) == [
        "性别：“男”与证件号不符：证件号第 17 位表明为“女”。",
        "出生日期：1985-12-04 与证件号中的出生日期（1985-12-03）不符。",
    ]


def test_r_p5_the_same_person_twice_in_the_file_is_refused_on_the_second_row():
    number = id_number(7)
    parsed = read_roster(hand_roster([row_values(1, 证件号=number), row_values(2, 证件号=number)]))
    assert problems(parsed, 4) == []
    assert problems(parsed, 5) == ["证件号：与第 4 行的证件号重复；同一人在名册中只能出现一次。"]


def test_another_id_type_is_not_held_to_gb_11643():
    values = row_values(1, 证件类型="护照", 证件号="E12345678", 性别="男")
    assert only_row(read_roster(hand_roster([values]))).ok


# Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        ExcelDate(dt.date(2018, 1, 1)),
        "2018-01-01",
        "2018/1/1",
        "2018年1月1日",
        "2018.1.1",
        " 2018-1-1 ",
    ],
)
def test_r_p5_dates_are_read_as_excel_dates_or_as_text(written):
    parsed = read_roster(hand_roster([row_values(1, 入职时间=written)]))
    row = only_row(parsed)
    assert row.ok, problems(parsed, 4)
    assert row.values["hired_on"] == dt.date(2018, 1, 1)


def test_r_p5_a_birth_date_in_an_openpyxl_date_cell_is_read():
    number = id_number(3, born="19790615")
    row = only_row(read_roster(roster_xlsx([row_values(1, 证件号=number)])))
    assert row.ok and row.values["birth_date"] == dt.date(1979, 6, 15)


@pytest.mark.parametrize("written", ["2018-13-01", "去年", "2018年2月30日"])
def test_r_p5_what_is_not_a_date_is_refused(written):
    parsed = read_roster(hand_roster([row_values(1, 入职时间=written)]))
    assert problems(parsed, 4) == [
        f"入职时间：“{written}”不是日期："
        "请写成 2018-01-01、2018/1/1 或 2018年1月1日，或使用 Excel 日期格式。"
    ]


# Required fields, phone, e-mail, level, yes/no, categories ------------------------------------


def test_r_p5_required_fields_are_named():
    values = row_values(1, 姓名="", 联系电话="", 职业技能等级="")
    assert problems(read_roster(hand_roster([values])), 4) == [
        "姓名：必填。",
        "联系电话：必填。",
        "职业技能等级：必填。",
    ]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("138 0013 8000", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("0755-86001234", "0755-86001234"),
        (13800138000, "13800138000"),
    ],
)
def test_r_p5_phone_numbers_are_accepted_as_people_write_them(written, kept):
    row = only_row(read_roster(hand_roster([row_values(1, 联系电话=written)])))
    assert row.ok and row.values["phone"] == kept


@pytest.mark.parametrize("written", ["12345", "23800138000", "138001380001"])
def test_r_p5_what_is_not_a_phone_number_is_refused(written):
    assert problems(read_roster(hand_roster([row_values(1, 联系电话=written)])), 4) == [
        f"联系电话：“{written}”不是有效的电话号码："
        "应为以 1 开头的 11 位手机号码，或带区号的固定电话，如 0755-12345678。"
    ]


def test_r_p5_an_email_address_is_checked_when_given():
    parsed = read_roster(hand_roster([row_values(1, 电子邮箱="wang@"), row_values(2, 电子邮箱="")]))
    assert problems(parsed, 4) == ["电子邮箱：“wang@”不是有效的电子邮箱地址。"]
    assert problems(parsed, 5) == []


@pytest.mark.parametrize(
    ("written", "level"),
    [("四级/中级工", 4), ("四级", 4), ("中级工", 4), ("4", 4), (4, 4), ("五级（初级工）", 5)],
)
def test_r_p5_levels_are_read_as_written(written, level):
    row = only_row(read_roster(hand_roster([row_values(1, 职业技能等级=written)])))
    assert row.ok and row.values["level"] == level


def test_r_p5_what_is_not_a_level_is_refused():
    assert problems(read_roster(hand_roster([row_values(1, 职业技能等级="六级")])), 4) == [
        "职业技能等级：“六级”不是职业技能等级："
        "请填写 五级/初级工、四级/中级工、三级/高级工、二级/技师 或 一级/高级技师。"
    ]


def test_r_p5_an_examinee_from_outside_names_the_unit_and_the_category():
    values = row_values(1, 是否本企业职工="否", 所在单位="", 人员类别="")
    assert problems(read_roster(hand_roster([values])), 4) == [
        "所在单位：“是否本企业职工”为“否”时必填：请填写考生所在单位。",
        "人员类别：“是否本企业职工”为“否”时必填：请注明劳务派遣人员、关联企业职工等类别；"
        "文件没有“人员类别”列的，请在“发证日期”后添加该列。",
    ]


def test_r_p5_the_yes_no_column_and_the_category_must_be_known_words():
    values = row_values(1, 是否本企业职工="可能", 人员类别="临时工")
    assert problems(read_roster(hand_roster([values])), 4) == [
        "是否本企业职工：应为“是”或“否”。",
        "人员类别：“临时工”不是有效的人员类别，请填写其中之一：本企业职工、关联企业职工、劳务派遣人员、"
        "校企合作学生、学徒、劳务外包人员、委托评价人员、社会人员、技工院校学生。",
    ]


def test_r_p5_too_long_a_value_is_refused_before_the_database_would():
    parsed = read_roster(hand_roster([row_values(1, 姓名="张" * 51)]))
    assert problems(parsed, 4) == ["姓名：共 51 个字符，最多 50 个。"]
