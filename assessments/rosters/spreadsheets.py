"""Roster workbooks in the official format (R-P5): the blank template, the export, the error report.

Rows in, bytes out, written with openpyxl in write-only mode through portal.core.xlsx, so no
typed value ever becomes a formula. The ID and phone columns are text columns: an ID number
typed into the template keeps its 18 digits.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from assessments.models import RosterEntry
from assessments.rosters.reader import (
    CATEGORY_HEADER,
    CATEGORY_LABELS,
    COLUMNS,
    HEADERS,
    LEVEL_LABELS,
    REASON_HEADER,
    Problem,
)
from assessments.rosters.reader.conditions import CONDITION_HEADERS
from assessments.rosters.reader.entrusted import CLIENT_CODE_HEADER
from assessments.rosters.reader.format import level_text
from portal.core.masking import mask_id
from portal.core.xlsx import (
    append_bold_row,
    new_workbook,
    text_cell,
    workbook_to_bytes,
)

TITLE = "职业技能等级认定人员名册"
WIDTHS = [6, 14, 24, 10, 12, 22, 6, 12, 15, 22, 10, 24, 12, 14, 12, 12, 16, 14, 14, 24, 12, 14]
CONDITION_WIDTHS = [14, 14, 10, 10, 30, 30]
TEXT_COLUMNS = {"id_number", "phone", "occupation_code", "certificate_number"}


def _roster_sheet(
    workbook: Workbook,
    *,
    title_rows: Sequence[str],
    headers: Sequence[str],
    rows: Iterable[Sequence],
    extra_widths: Sequence[int] = (),
) -> None:
    sheet = workbook.create_sheet(title=_("Roster")[:31])
    for index, width in enumerate([*WIDTHS[: len(headers)], *extra_widths], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for index, (key, _header) in enumerate(COLUMNS, start=1):
        if key in TEXT_COLUMNS:
            # Text format for the whole column: what is typed there stays as typed.
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    sheet.freeze_panes = f"A{len(title_rows) + 2}"
    for line in title_rows:
        append_bold_row(sheet, [line])
    append_bold_row(sheet, headers)
    for row in rows:
        sheet.append([text_cell(sheet, _cell_value(value)) for value in row])


def _cell_value(value):
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.isoformat(" ")
    return value


def _bytes(workbook: Workbook) -> bytes:
    return workbook_to_bytes(workbook)


def roster_template_xlsx(level_names: Iterable[tuple[str, int]] = ()) -> bytes:
    """The blank roster: the title, the 21 official columns, 人员类别 and the optional columns of
    the application conditions, and how to fill it; `level_names` are the scheme's own levels
    with the national level each maps to (R-S4)."""
    workbook = new_workbook()
    _roster_sheet(
        workbook,
        title_rows=[TITLE],
        headers=[*HEADERS, CATEGORY_HEADER, *CONDITION_HEADERS],
        rows=[],
        extra_widths=CONDITION_WIDTHS,
    )
    notes = workbook.create_sheet(title=_("How to fill it in")[:31])
    notes.column_dimensions["A"].width = 110
    for line in _template_notes(list(level_names)):
        notes.append([text_cell(notes, line)])
    return _bytes(workbook)


def _template_notes(level_names: list[tuple[str, int]]) -> list[str]:
    own = (
        [
            _("Levels this plan's evaluation scheme defines: %(names)s.")
            % {"names": "、".join(f"{name}（{level_text(level)}）" for name, level in level_names)}
        ]
        if level_names
        else []
    )
    return [
        # R-P5
        _("How to fill in the roster"),
        _(
            "Keep the columns of the first sheet in their order; rows above the header (a "
            "title) and empty rows are ignored. 序号 is renumbered in file order."
        ),
        _(
            "证件号: 18 characters for a 居民身份证 (GB 11643), typed as text; an ID number "
            "stored as a number has lost its last digits and is refused. A lower-case x is "
            "read as X."
        ),
        _("性别 and 出生日期 must agree with the ID number."),
        _("Dates: an Excel date, or text like 2018-01-01, 2018/1/1 or 2018年1月1日."),
        _("联系电话: an 11-digit mobile number, or a landline with its area code."),
        _("是否本企业职工: 是 or 否; when 否, fill in 所在单位 and 人员类别."),
        _("职业技能等级: %(levels)s.") % {"levels": "、".join(LEVEL_LABELS.values())},
        _(
            "Where the plan's evaluation scheme defines its own levels (特级技师, sub-levels …), "
            "职业技能等级 may name one of them; it is recorded as the national level it maps to, "
            "with the enterprise's level beside it."
        ),
        *own,
        _(
            # R-P3
            "人员类别: %(categories)s; the city's policy says which may be assessed. "
            "Dispatched workers need 入职时间 and a minimum time at the enterprise."
        )
        % {"categories": "、".join(CATEGORY_LABELS.values())},
        _(
            # R-P4
            "职业编码, 职业名称, 工种名称 and 职业技能等级 must be those of the plan, inside the "
            "approved filing scope."
        ),
        _(
            "委托评价人员 (entrusted evaluation): 所在单位 is the client enterprise's name as "
            "registered on the portal, and its approved entrusted evaluation agreement with your "
            "enterprise must cover the occupation, the level and the assessment date. You may add "
            "the optional column %(column)s after the last column to name the client by its "
            "unified social credit code instead."
        )
        % {"column": CLIENT_CODE_HEADER},
        _("No formulas: cells must hold values."),
        *condition_notes(),
    ]


def condition_notes() -> list[str]:
    """seed 004 §三(一)(二), seed 001 §七(一): the optional columns after the official ones."""
    return [
        _(
            "Application conditions (optional columns after 人员类别, in any order): the portal "
            "checks each row against the conditions of its level in the evaluation scheme. A "
            "column left out is not an error: the conditions that need it are reported to the "
            "reviewer as not verified (未核验)."
        ),
        _(
            "从事本职业（工种）时间: years, like 6, 6年, 6.5 or 6年3个月, or the date the examinee "
            "started in the occupation; 入职时间 counts the years since joining."
        ),
        _(
            "已获证书等级: the highest skill level certificate the examinee already holds, like "
            "五级/初级工; empty when none. 证书取得时间: the date it was issued."
        ),
        _("培训学时: the training hours completed before the assessment, like 120 or 120学时."),
        _(
            "破格申报: 是 for an exceptional application (competition placings, major "
            "contributions), else 否 or empty. An exceptional row needs 破格理由 (the reason) and "
            "破格依据 (the evidence, e.g. the award certificate or the document number)."
        ),
    ]


def roster_export_rows(entries: Iterable[RosterEntry], *, masked: bool = True) -> Iterable[list]:
    """The official columns; ID numbers masked unless a full export was asked for (PIPL)."""
    for entry in entries:
        yield [
            entry.seq,
            entry.institution_code,
            entry.institution_name,
            entry.name,
            entry.id_type,
            mask_id(entry.id_number) if masked else entry.id_number,
            entry.sex,
            entry.birth_date,
            entry.phone,
            entry.email,
            "是" if entry.is_employee else "否",
            entry.employer,
            entry.years_in_occupation,
            entry.position,
            entry.hired_on,
            entry.occupation_code,
            entry.occupation_name,
            entry.work_type_name,
            level_text(entry.level, entry.enterprise_level),
            entry.certificate_number,
            entry.issued_on,
            CATEGORY_LABELS.get(entry.category, entry.category),
        ]


def roster_export_xlsx(entries: Iterable[RosterEntry], *, masked: bool = True) -> bytes:
    """R-P5, R-K4: the roster in the official format, with 证书编号 and 发证日期 once issued.

    ID numbers are masked; the full export (masked=False) is an audited action of its own."""
    workbook = new_workbook()
    _roster_sheet(
        workbook,
        title_rows=[TITLE],
        headers=[*HEADERS, CATEGORY_HEADER],
        rows=roster_export_rows(entries, masked=masked),
    )
    return _bytes(workbook)


def roster_error_report_xlsx(
    *,
    headers: Sequence[str],
    rows: Iterable[tuple[int, Sequence, Sequence[Problem]]],
    file_problems: Sequence[Problem] = (),
    masked: bool = True,
    extra_headers: Sequence[str] = (),
) -> bytes:
    """The rows that have problems as they were in the file, and a 原因 column saying why.

    The report has the official header, so the corrected rows can be uploaded again. Its ID
    numbers are masked unless the full report was asked for (an audited action, PIPL).
    """
    id_column = HEADERS.index("证件号")
    title_rows = [_("%(title)s (rows with problems)") % {"title": TITLE}]
    title_rows += [_("File: %(problem)s") % {"problem": problem} for problem in file_problems]
    workbook = new_workbook()
    _roster_sheet(
        workbook,
        title_rows=title_rows,
        headers=[*headers, *extra_headers, REASON_HEADER],
        rows=(
            [
                *(
                    mask_id(str(value)) if masked and index == id_column and value else value
                    for index, value in enumerate(cells)
                ),
                "\n".join(
                    [_("Row %(row)s of the file.") % {"row": row}]
                    + [str(problem) for problem in problems]
                ),
            ]
            for row, cells, problems in rows
        ),
        extra_widths=[*[*CONDITION_WIDTHS, *[24] * len(extra_headers)][: len(extra_headers)], 80],
    )
    return _bytes(workbook)
