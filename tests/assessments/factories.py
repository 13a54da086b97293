"""Plans, rosters and roster files for the roster tests (R-P3 … R-P5a).

Files are built here, not read from fixtures: with openpyxl (`roster_xlsx`), and by hand with
zipfile and XML strings (`hand_xlsx`) for what openpyxl does not write: inline strings, a
formula with its cached value, an ID number typed as a number, dates as Excel serials.
"""

import datetime as dt
import io
import itertools
import zipfile
from xml.sax.saxutils import escape

import factory
from openpyxl import Workbook
from stdnum.cn import ric

from assessments.models import EvaluationScheme, ImplementationPlan, RosterEntry, RosterImport
from assessments.rosters.reader import CATEGORY_HEADER, HEADERS, column_letter
from filings.models import Occupation, WorkType
from tests.support.factories import ScopeLineFactory, approved_filing

_serial = itertools.count(1)


def id_number(n: int, *, born: str = "19900101", region: str = "440305", sex: str = "男") -> str:
    """A resident ID number with a correct GB 11643 check character; the 17th digit gives sex."""
    order = (n * 2 + (1 if sex == "男" else 0)) % 1000
    body = f"{region}{born}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def birth_of(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def approved_scheme(
    enterprise,
    *,
    code: str = "6-18-01-01",
    name: str = "车工",
    work_type: str | None = None,
    levels=(5, 4, 3),
) -> EvaluationScheme:
    """An approved scheme on a scope line of an approved filing of `enterprise`."""
    occupation, _created = Occupation.objects.get_or_create(code=code, defaults={"name": name})
    filing = approved_filing(
        enterprise,
        f"4403R{next(_serial):08d}",
        approved_on=dt.date(2025, 1, 6),
        valid_until=dt.date(2099, 12, 31),
    )
    line = ScopeLineFactory(
        filing=filing,
        occupation=occupation,
        work_type=WorkType.objects.get_or_create(occupation=occupation, name=work_type)[0]
        if work_type
        else None,
        levels=list(levels),
    )
    return EvaluationScheme.objects.create(
        enterprise=enterprise,
        scope_line=line,
        status="approved",
        standard_name="车工国家职业技能标准",
        levels=list(levels),
        methods=["theory_exam", "practical"],
    )


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan for levels 5 and 4 of an approved scheme of its enterprise."""

    class Meta:
        model = ImplementationPlan

    scheme = factory.LazyAttribute(lambda plan: approved_scheme(plan.enterprise))
    title = factory.Sequence(lambda n: f"2026年第{n + 1}期车工认定")
    levels = [5, 4]
    status = "draft"


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterEntry

    seq = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"考生{n}")
    id_number = factory.Sequence(lambda n: id_number(n))
    sex = "男"
    birth_date = factory.LazyAttribute(lambda entry: birth_of(entry.id_number))
    phone = "13800138000"
    occupation_code = "6-18-01-01"
    occupation_name = "车工"
    level = 4


def row_values(n: int = 1, **overrides) -> dict:
    """One valid row for a plan of 6-18-01-01 车工, levels 5 and 4, keyed by header."""
    number = overrides.pop("证件号", None) or id_number(n)
    try:
        sex, birth = ("男" if int(number[16]) % 2 else "女"), birth_of(number)
    except (TypeError, ValueError, IndexError):  # a malformed number, on purpose
        sex, birth = "男", dt.date(1990, 1, 1)
    values = {
        "序号": n,
        "评价机构编码": "Y0001",
        "评价机构名称": "南山精密机械有限公司",
        "姓名": f"张{n}",
        "证件类型": "居民身份证",
        "证件号": number,
        "性别": sex,
        "出生日期": birth,
        "联系电话": "13800138000",
        "电子邮箱": "",
        "是否本企业职工": "是",
        "所在单位": "南山精密机械有限公司",
        "从事本职业（工种）时间": "5年",
        "所在岗位": "车工",
        "入职时间": dt.date(2015, 3, 1),
        "职业编码": "6-18-01-01",
        "职业名称": "车工",
        "工种名称": "",
        "职业技能等级": "四级/中级工",
        "证书编号": "",
        "发证日期": None,
        CATEGORY_HEADER: "本企业职工",
    }
    values.update(overrides)
    return values


def as_list(values: dict, *, category: bool = True) -> list:
    headers = [*HEADERS, CATEGORY_HEADER] if category else HEADERS
    return [values[header] for header in headers]


def roster_xlsx(
    rows: list[dict] | int, *, title: bool = True, category: bool = True, blank_tail: int = 0
) -> bytes:
    """A roster written by openpyxl: a title row, the header, the rows, blank rows after."""
    if isinstance(rows, int):
        rows = [row_values(n) for n in range(1, rows + 1)]
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["职业技能等级认定人员名册"])
    sheet.append([*HEADERS, CATEGORY_HEADER] if category else HEADERS)
    for values in rows:
        sheet.append(as_list(values, category=category))
    for _blank in range(blank_tail):
        sheet.append([None] * len(HEADERS))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Hand-written .xlsx --------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
# Style 1 is the built-in date format 14 (m/d/yyyy): a number in such a cell is an Excel date.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


class Formula:
    def __init__(self, formula: str, cached: str) -> None:
        self.formula, self.cached = formula, cached


class ExcelDate:
    """A date stored the way Excel stores it: a serial number in a date-formatted cell."""

    def __init__(self, day: dt.date) -> None:
        self.serial = (day - dt.date(1899, 12, 30)).days


def _cell(reference: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Formula):
        return (
            f'<c r="{reference}" t="str"><f>{escape(value.formula)}</f>'
            f"<v>{escape(value.cached)}</v></c>"
        )
    if isinstance(value, ExcelDate):
        return f'<c r="{reference}" s="1"><v>{value.serial}</v></c>'
    if isinstance(value, dt.date):
        return _cell(reference, ExcelDate(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def hand_xlsx(
    rows: dict[int, list], *, extra_parts: int = 0, raw_rows: str = "", dimension: str = ""
) -> bytes:
    """A minimal workbook written by hand: {row number: [cell values from column A]}, then
    `raw_rows` as they are; `dimension` is the range the sheet declares (none by default)."""
    xml_rows = []
    for number in sorted(rows):
        cells = "".join(
            _cell(f"{column_letter(index)}{number}", value)
            for index, value in enumerate(rows[number])
        )
        xml_rows.append(f'<row r="{number}">{cells}</row>')
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{''.join(xml_rows)}{raw_rows}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for index in range(extra_parts):
            archive.writestr(f"xl/media/extra{index}.bin", b"")
    return buffer.getvalue()


def hand_roster(rows: list[dict], *, header: list[str] | None = None, title: bool = True) -> bytes:
    """A hand-written roster: a title row, the header in row 3 with line breaks, the rows."""
    header = header or [h.replace("序号", "序\n号").replace("时间", "\n时间") for h in HEADERS]
    header = [*header, CATEGORY_HEADER]
    sheet: dict[int, list] = {}
    if title:
        sheet[1] = ["职业技能等级认定人员名册"]
    sheet[3] = header
    for offset, values in enumerate(rows):
        sheet[4 + offset] = as_list(values)
    return hand_xlsx(sheet)


def checked_roster_job(*, plan, actor) -> RosterImport:
    """An upload of `plan`'s roster, checked and waiting on its preview page (one bad row)."""
    from assessments.rosters import services as roster_services

    rows = [row_values(1), row_values(2, 联系电话="12345")]
    job = roster_services.roster_upload(
        plan=plan, actor=actor, data=roster_xlsx(rows), filename="名册.xlsx"
    )
    assert job.phase == "checked", job.message
    return job


__all__ = [
    "ExcelDate",
    "Formula",
    "PlanFactory",
    "RosterEntryFactory",
    "approved_scheme",
    "as_list",
    "birth_of",
    "checked_roster_job",
    "hand_roster",
    "hand_xlsx",
    "id_number",
    "roster_xlsx",
    "row_values",
]
