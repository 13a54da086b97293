"""The official format of the roster (R-P5, seed 004 附件3) and what reading it yields."""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from portal.core.errors import Problem

# R-P5: the 21 official columns, in order: (field of RosterEntry, header in the file).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号"),
    ("institution_code", "评价机构编码"),
    ("institution_name", "评价机构名称"),
    ("name", "姓名"),
    ("id_type", "证件类型"),
    ("id_number", "证件号"),
    ("sex", "性别"),
    ("birth_date", "出生日期"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
    ("is_employee", "是否本企业职工"),
    ("employer", "所在单位"),
    ("years_in_occupation", "从事本职业（工种）时间"),
    ("position", "所在岗位"),
    ("hired_on", "入职时间"),
    ("occupation_code", "职业编码"),
    ("occupation_name", "职业名称"),
    ("work_type_name", "工种名称"),
    ("level", "职业技能等级"),
    ("certificate_number", "证书编号"),
    ("issued_on", "发证日期"),
)
HEADERS = [header for _key, header in COLUMNS]
# R-P3: the official columns do not say who the examinee is; an optional 22nd column does.
CATEGORY_HEADER = "人员类别"
REASON_HEADER = "原因"
COLUMN_OF = {key: header for key, header in COLUMNS} | {"category": CATEGORY_HEADER}

# R-S4: how levels are written in the file and read back.
LEVEL_LABELS = {
    5: "五级/初级工",
    4: "四级/中级工",
    3: "三级/高级工",
    2: "二级/技师",
    1: "一级/高级技师",
}


def level_text(level: int, enterprise_level: str = "") -> str:
    """R-S4: the national level as the file writes it, the enterprise's own title beside it:
    一级/高级技师（企业等级：特级技师）. The roster reads this form back."""
    label = LEVEL_LABELS.get(level, str(level))
    return f"{label}（企业等级：{enterprise_level}）" if enterprise_level else label


# R-P3: the category as written in the file → ExamineeCategory value.
CATEGORY_LABELS = {
    "employee": "本企业职工",
    "affiliated": "关联企业职工",
    "dispatched": "劳务派遣人员",
    "student": "校企合作学生",
    "apprentice": "学徒",
    "outsourced": "劳务外包人员",
    "entrusted": "委托评价人员",
    "public": "社会人员",
    "college": "技工院校学生",
}
MAX_LENGTH = {
    "institution_code": 40,
    "institution_name": 100,
    "name": 50,
    "id_type": 20,
    "id_number": 18,
    "phone": 20,
    "email": 100,
    "employer": 100,
    "years_in_occupation": 20,
    "position": 50,
    "occupation_code": 12,
    "occupation_name": 60,
    "work_type_name": 60,
    "certificate_number": 30,
}
REQUIRED = (
    "name",
    "id_type",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "is_employee",
    "occupation_code",
    "occupation_name",
    "level",
)

SPACES = re.compile(r"\s+")


def header_key(value) -> str:
    """A header cell as compared: full-width forms folded, every space and line break removed."""
    return SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RosterFileError(Exception):
    """The upload is not a roster the portal can read at all; the message is for the user."""


def stored_problem(row: int, header: str, reason: str, rule: str) -> Problem:
    """A problem again from how the import row keeps it: [row, header, reason, rule]."""
    return Problem(reason, rule=rule, row=row, header=header)


@dataclass
class RosterRow:
    row: int
    cells: list  # the values as read, for the error report
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Not refusals: what the reviewer must verify (application conditions not checkable).
    warnings: list[Problem] = field(default_factory=list)
    # Optional columns after the official ones, by header key (read by the checks that need one).
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, key: str, reason: str, rule: str = "R-P5") -> None:
        self.problems.append(
            Problem(reason, rule=rule, row=self.row, header=COLUMN_OF.get(key, key))
        )


@dataclass
class ParsedRoster:
    rows: list[RosterRow]
    file_problems: list[Problem]
    header_row: int = 0
    has_category: bool = False
    # The optional columns of the application conditions found in the file, as written.
    extra_headers: list[str] = field(default_factory=list)

    @property
    def good_rows(self) -> list[RosterRow]:
        return [] if self.file_problems else [row for row in self.rows if row.ok]

    @property
    def bad_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def problems(self) -> list[Problem]:
        return self.file_problems + [p for row in self.rows for p in row.problems]

    @property
    def warnings(self) -> list[Problem]:
        return [p for row in self.rows for p in row.warnings]

    @property
    def headers(self) -> list[str]:
        return HEADERS + [CATEGORY_HEADER] if self.has_category else list(HEADERS)


@dataclass(frozen=True)
class Scope:
    """R-P4: the filed occupation of the plan and the levels it may assess."""

    occupation_code: str
    occupation_name: str
    work_type_name: str  # "" when the filed occupation has no work type
    levels: frozenset[int]


# R-P5a: for ID numbers, the entries of other plans of the enterprise for the plan's occupation
# in the same year: {id_number: [(level, plan title), ...]}.
PriorEntries = Callable[[list[str]], dict[str, list[tuple[int, str]]]]


@dataclass(frozen=True)
class RosterContext:
    scope: Scope
    admitted_categories: frozenset[str]
    dispatched_min_months: int
    reference_date: dt.date  # R-P3: the first session, or today when there is none yet
    city_name: str
    year: int
    prior_entries: PriorEntries
    # R-S4: the scheme's own level names → the national level each maps to.
    level_names: Mapping[str, int] = field(default_factory=dict)
    # seed 004 §三(一)(二): the scheme's application routes (reader.conditions.Route); none, no
    # condition is checked.
    application_routes: tuple = ()
    # R-M7: a social training evaluation organisation's examinees are not its employees.
    social_org: bool = False
    # Seed 004 §一(二): the approved entrusted evaluation agreements of the plan's enterprise
    # (assessments.rosters.reader.entrusted.AgreementCover).
    entrusted_agreements: tuple = ()


@dataclass(frozen=True)
class WorkbookInfo:
    sheet_path: str
    row_elements: int
    formulas: dict[tuple[int, int], str]  # (row number, column index from 0) → formula text
