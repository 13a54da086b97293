"""Score workbooks (R-S2, R-S3): the template pre-filled from the roster, its import, the export.

Rows in, bytes out; bytes in, rows out: no ORM. The workbook is checked and read with the roster
engine (rosters.reader.workbook: the ZIP checks, python-calamine, the scan for formulas).

The columns: 序号, 姓名, 证件号, one per component of the plan's evaluation scheme, 安全一票否决,
and 直接认定 with 直接认定依据 when the scheme provides for direct recognition. The export adds
加权总分, 认定结果 and 原因; an export can be imported again, extra columns are ignored.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from assessments.results.scoring import (
    EVIDENCE_MAX_LENGTH,
    RESULT_LABELS,
    Component,
    ScoreError,
    ScoreInput,
    mark,
    parse_score,
)
from assessments.rosters.reader.format import RosterFileError, blank, header_key, level_text
from assessments.rosters.reader.rows import cell_text
from assessments.rosters.reader.workbook import (
    WorkbookInfo,
    column_letter,
    inspect_workbook,
    read_cells,
)
from portal.core.errors import Problem
from portal.core.masking import is_masked, mask_id
from portal.core.xlsx import (
    HEADER_FONT,
    new_workbook,
    text_cell,
    workbook_bytes,
    workbook_to_bytes,
)

SEQ_HEADER, NAME_HEADER, ID_HEADER = "序号", "姓名", "证件号"
# The components as headed in the file: fixed Chinese words, like the official roster's headers.
COMPONENT_HEADERS = {
    "theory": "理论知识",
    "practical": "操作技能",
    "safety": "安全生产",
    "ethics": "职业道德",
    "performance": "工作业绩",
}
SAFETY_HEADER = "安全一票否决"
DIRECT_HEADER = "直接认定"
EVIDENCE_HEADER = "直接认定依据"
TOTAL_HEADER = "加权总分"
RESULT_HEADER = "认定结果"
REASON_HEADER = "原因"
# R-S4: the level as the roster has it, the enterprise's title beside it; shown, never read.
LEVEL_HEADER = "职业技能等级"
YES, NO = "是", "否"
_YES_WORDS = {"是", "Y", "YES", "TRUE", "1", "√", "✓", "✔"}
_NO_WORDS = {"否", "N", "NO", "FALSE", "0", "×"}

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 20_000
TITLE_ROWS = 2


class ScoreFileError(Exception):
    """The upload is not a workbook the portal can read at all; the message is for the user."""


@dataclass(frozen=True)
class ScoreLayout:
    """The columns of the plan's score sheet."""

    components: tuple[Component, ...]
    direct_allowed: bool

    @property
    def headers(self) -> list[str]:
        headers = [SEQ_HEADER, NAME_HEADER, ID_HEADER]
        headers += [COMPONENT_HEADERS[c.kind] for c in self.components]
        headers.append(SAFETY_HEADER)
        if self.direct_allowed:
            headers += [DIRECT_HEADER, EVIDENCE_HEADER]
        return headers

    @property
    def export_headers(self) -> list[str]:
        return [*self.headers, TOTAL_HEADER, RESULT_HEADER, REASON_HEADER]


@dataclass(frozen=True)
class Person:
    """An examinee of the roster, found by 证件号."""

    entry_id: int
    seq: int
    name: str


def masked_key(number: str, name: str) -> str:
    """How a row of a sheet the portal wrote finds its examinee: the sheets show ID numbers
    masked (PIPL), so the masked number and the name together name the person."""
    return f"{mask_id(number)}|{header_key(name)}"


def index_roster(people: Iterable[tuple[str, Person]]) -> dict[str, Person]:
    """By full ID number, and by masked number and name where that pair is unique."""
    index: dict[str, Person] = {}
    masked: dict[str, Person | None] = {}
    for number, person in people:
        index[number] = person
        key = masked_key(number, person.name)
        masked[key] = None if key in masked else person
    index.update((key, person) for key, person in masked.items() if person is not None)
    return index


@dataclass
class ParsedScores:
    rows: list[ScoreInput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# Writing -----------------------------------------------------------------------------------


def entry_values(entry, layout: ScoreLayout) -> list:
    """One examinee in the sheet's columns; `entry` is a RosterEntry with its scores fetched."""
    scores = {score.component: score.score for score in entry.scores.all()}
    values = [entry.seq, entry.name, mask_id(entry.id_number)]
    values += [scores.get(c.kind) for c in layout.components]
    values.append(YES if entry.safety_violation else NO)
    if layout.direct_allowed:
        values += [YES if entry.direct_recognition else NO, entry.direct_recognition_evidence]
    return values


def scheme_summary(layout: ScoreLayout) -> str:
    parts = []
    for c in layout.components:
        part = _("%(kind)s: weight %(weight)s %%, pass mark %(mark)s") % {
            "kind": c.label,
            "weight": mark(c.weight),
            "mark": mark(c.pass_mark),
        }
        if c.veto:
            part += _(", one-vote veto")
        parts.append(part)
    return "；".join(parts)


def score_template_xlsx(*, title: str, layout: ScoreLayout, entries: Iterable) -> bytes:
    """The sheet to fill in: the roster's examinees, what is recorded so far, and how to fill it."""
    headers = layout.headers
    workbook = new_workbook()
    sheet = workbook.create_sheet(title=_("Scores")[:31])
    headers = [*headers, LEVEL_HEADER]
    widths = [6, 10, 22] + [10] * len(layout.components) + [12]
    widths += [10, 40] if layout.direct_allowed else []
    widths.append(30)
    for index, width in enumerate(widths[: len(headers)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # Text format for the whole column: an ID number typed there keeps its 18 characters.
    sheet.column_dimensions[get_column_letter(3)].number_format = "@"
    sheet.freeze_panes = f"D{TITLE_ROWS + 2}"
    for line in (_("%(title)s: scores") % {"title": title}, scheme_summary(layout)):
        cell = text_cell(sheet, line)
        cell.font = HEADER_FONT
        sheet.append([cell])
    sheet.append([_bold(sheet, header) for header in headers])
    for entry in entries:
        values = [*entry_values(entry, layout), level_text(entry.level, entry.enterprise_level)]
        sheet.append([text_cell(sheet, value) for value in values])
    notes = workbook.create_sheet(title=_("How to fill it in")[:31])
    notes.column_dimensions["A"].width = 110
    for line in _template_notes(layout):
        notes.append([text_cell(notes, line)])
    return workbook_to_bytes(workbook)


def _bold(sheet, value):
    cell = text_cell(sheet, value)
    cell.font = HEADER_FONT
    return cell


def _template_notes(layout: ScoreLayout) -> list[str]:
    notes = [
        # R-S2, R-S3
        _("How to fill in the score sheet"),
        _(
            "Keep the header row. 姓名 and 证件号 name the examinee and must be those of the "
            "plan's roster. Rows may be removed: an examinee who is not in the file keeps what "
            "is recorded."
        ),
        _(
            "Scores: a number from 0 to 100 with at most two decimals, one column per component "
            "of the evaluation scheme (%(components)s). An empty cell removes the score; the "
            "result stays pending until every component has one."
        )
        % {"components": scheme_summary(layout)},
        _(
            # R-S3
            "安全一票否决: 是 when the examinee committed a serious safety violation on the job "
            "in the period; where the scheme carries the one-vote veto, the examinee fails "
            "whatever the scores. Otherwise 否 or empty."
        ),
    ]
    if layout.direct_allowed:
        notes.append(
            _(
                # R-S2
                "直接认定: 是 for a candidate for direct recognition (competition winners, major "
                "contributors); 直接认定依据 then says on what evidence."
            )
        )
    notes.append(
        _(
            "职业技能等级 shows the examinee's level on the roster, with the enterprise's own "
            "level beside it where the scheme defines one; it is not read back."
        )
    )
    notes.append(
        _(
            "No formulas: cells must hold values. Nothing is imported unless every row is "
            "correct; every problem is listed with its row and column."
        )
    )
    return notes


def score_export_xlsx(*, title: str, layout: ScoreLayout, entries: Iterable) -> bytes:
    """The results in the grid's columns, with the weighted total, the result and the reason."""
    rows = (
        [
            *entry_values(entry, layout),
            entry.total_score,
            str(RESULT_LABELS.get(entry.result, entry.result)),
            entry.result_reason,
            level_text(entry.level, entry.enterprise_level),
        ]
        for entry in entries
    )
    widths = [6, 10, 22] + [10] * len(layout.components) + [12]
    widths += [10, 40] if layout.direct_allowed else []
    widths += [10, 10, 60, 30]
    return workbook_bytes(
        title=_("%(title)s results") % {"title": title},
        headers=[*layout.export_headers, LEVEL_HEADER],
        rows=rows,
        widths=widths,
    )


# Reading -----------------------------------------------------------------------------------


def check_workbook(data: bytes) -> WorkbookInfo:
    """The checks of the roster engine (the ZIP, every XML part), before anything is parsed."""
    if data[:2] != b"PK" and data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ScoreFileError(
            _(
                "The file is not an Excel workbook (.xlsx); download the score template, fill "
                "it in and upload it."
            )
        )
    try:
        return inspect_workbook(data, field=_("Score sheet (.xlsx)"), max_rows=MAX_ROWS)
    except RosterFileError as error:
        raise ScoreFileError(str(error)) from None


def read_scores(
    data: bytes,
    *,
    layout: ScoreLayout,
    roster: Mapping[str, Person],
    info: WorkbookInfo | None = None,
) -> ParsedScores:
    """Every row of the first sheet checked against the scheme and the roster (by 证件号).

    Raises ScoreFileError when the upload is not a workbook the portal can read.
    """
    info = info or check_workbook(data)
    try:
        cells = read_cells(data, info)
    except RosterFileError as error:
        raise ScoreFileError(str(error)) from None
    parsed = ParsedScores()
    found = _find_header(cells)
    if found is None:
        parsed.problems.append(
            Problem(
                _(
                    "No header row was found in the first %(rows)s rows: a row with the columns "
                    "%(columns)s. Download the score template and fill it in."
                )
                % {"rows": HEADER_SEARCH_ROWS, "columns": "、".join(layout.headers)},
                rule="R-S2",
                row=0,
            )
        )
        return parsed
    header_index, keys = found
    header_row = header_index + 1
    columns = _map_columns(keys, layout, header_row, parsed.problems)
    headers_by_index = {index: header for header, index in columns.items()}
    for (row, column), formula in sorted(info.formulas.items()):
        parsed.problems.append(
            Problem(
                _(
                    "Cell %(cell)s contains a formula (=%(formula)s); a score sheet takes values "
                    "only. Copy the cells and paste them as values."
                )
                % {"cell": f"{column_letter(column)}{row}", "formula": formula[:60]},
                rule="R-S2",
                row=row,
                column=column_letter(column),
                header=headers_by_index.get(column, ""),
            )
        )
    data_rows = cells[header_index + 1 :]
    if len(data_rows) > MAX_ROWS:
        parsed.problems.append(
            Problem(
                _("The file has %(count)s rows; at most %(limit)s can be imported at once.")
                % {"count": len(data_rows), "limit": MAX_ROWS},
                rule="R-S2",
                row=0,
            )
        )
        return parsed
    if any(problem.row == header_row for problem in parsed.problems):
        return parsed  # without the columns, the rows cannot be read
    _check_unused_components(data_rows, keys, layout, header_row, parsed.problems)
    reader = _RowReader(layout=layout, roster=roster, columns=columns, problems=parsed.problems)
    for offset, raw in enumerate(data_rows):
        row = reader.read(header_row + 1 + offset, raw)
        if row is not None:
            parsed.rows.append(row)
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(
            Problem(_("The file has no examinee rows below the header."), rule="R-S2", row=0)
        )
    if parsed.problems:
        parsed.rows = []  # nothing is written unless every row is clean
    return parsed


def _find_header(cells: list[list]) -> tuple[int, list[str]] | None:
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        keys = ["" if blank(value) else header_key(value) for value in row]
        if NAME_HEADER in keys and ID_HEADER in keys:
            return index, keys
    return None


def _map_columns(
    keys: list[str], layout: ScoreLayout, header_row: int, problems: list[Problem]
) -> dict[str, int]:
    """Header → column index of the columns the sheet must have; a problem for each missing."""
    wanted = [NAME_HEADER, ID_HEADER, *layout.headers[3:]]
    columns: dict[str, int] = {}
    for header in wanted:
        positions = [index for index, key in enumerate(keys) if key == header]
        if not positions:
            problems.append(
                Problem(
                    _(
                        "The column “%(header)s” is missing from the header row; the columns are "
                        "%(columns)s."
                    )
                    % {"header": header, "columns": "、".join(layout.headers)},
                    rule="R-S2",
                    row=header_row,
                    header=header,
                )
            )
        elif len(positions) > 1:
            problems.append(
                Problem(
                    _("The column “%(header)s” appears twice, in columns %(columns)s.")
                    % {
                        "header": header,
                        "columns": "、".join(column_letter(p) for p in positions),
                    },
                    rule="R-S2",
                    row=header_row,
                    column=column_letter(positions[1]),
                    header=header,
                )
            )
        else:
            columns[header] = positions[0]
    if not layout.direct_allowed and DIRECT_HEADER in keys:
        columns[DIRECT_HEADER] = keys.index(DIRECT_HEADER)  # read only to refuse a 是 there
    return columns


def _check_unused_components(
    rows: list[list], keys: list[str], layout: ScoreLayout, header_row: int, problems: list
) -> None:
    """A filled column for a component the scheme does not have would be silently lost."""
    used = {COMPONENT_HEADERS[c.kind] for c in layout.components}
    for header in COMPONENT_HEADERS.values():
        if header in used or header not in keys:
            continue
        index = keys.index(header)
        filled = next(
            (
                offset
                for offset, raw in enumerate(rows)
                if index < len(raw) and not blank(raw[index])
            ),
            None,
        )
        if filled is not None:
            problems.append(
                Problem(
                    _(
                        # R-S2
                        "The plan's evaluation scheme has no component “%(header)s”; its "
                        "components are %(components)s. Leave the column empty or remove "
                        "it."
                    )
                    % {
                        "header": header,
                        "components": "、".join(c.label for c in layout.components),
                    },
                    rule="R-S2",
                    row=header_row + 1 + filled,
                    column=column_letter(index),
                    header=header,
                )
            )


@dataclass
class _RowReader:
    layout: ScoreLayout
    roster: Mapping[str, Person]
    columns: dict[str, int]
    problems: list[Problem]
    seen: dict[int, int] = field(default_factory=dict)  # roster entry → row

    def _cell(self, raw: Sequence, header: str):
        index = self.columns.get(header)
        if index is None or index >= len(raw):
            return None
        return raw[index]

    def _problem(self, row: int, header: str, reason: str, rule: str = "R-S2") -> None:
        index = self.columns.get(header)
        letter = column_letter(index) if index is not None else ""
        self.problems.append(Problem(reason, rule=rule, row=row, column=letter, header=header))

    def read(self, row: int, raw: Sequence) -> ScoreInput | None:
        if all(blank(self._cell(raw, header)) for header in self.columns):
            return None  # blank rows, also those numbered in 序号 only
        person = self._person(row, raw)
        result = ScoreInput(entry_id=person.entry_id if person else 0)
        for component in self.layout.components:
            header = COMPONENT_HEADERS[component.kind]
            try:
                result.scores[component.kind] = parse_score(self._cell(raw, header))
            except ScoreError as error:
                self._problem(row, header, str(error))
        result.safety_violation = self._flag(row, raw, SAFETY_HEADER, "R-S3")
        direct = self._flag(row, raw, DIRECT_HEADER, "R-S2")
        if direct and not self.layout.direct_allowed:
            self._problem(
                row,
                DIRECT_HEADER,
                # R-S2
                _("The plan's evaluation scheme does not provide for direct recognition."),
            )
        elif direct:
            evidence = cell_text(self._cell(raw, EVIDENCE_HEADER))
            if not evidence:
                self._problem(
                    row,
                    EVIDENCE_HEADER,
                    _(
                        # R-S2
                        "Required for a candidate for direct recognition: say on what evidence."
                    ),
                )
            elif len(evidence) > EVIDENCE_MAX_LENGTH:
                self._problem(
                    row,
                    EVIDENCE_HEADER,
                    _("%(length)s characters; at most %(limit)s are allowed.")
                    % {"length": len(evidence), "limit": EVIDENCE_MAX_LENGTH},
                )
            result.direct_recognition, result.evidence = True, evidence
        return result if person else None

    def _person(self, row: int, raw: Sequence) -> Person | None:
        value = self._cell(raw, ID_HEADER)
        name = cell_text(self._cell(raw, NAME_HEADER))
        if isinstance(value, int | float) and not isinstance(value, bool):
            self._problem(
                row,
                ID_HEADER,
                _(
                    "The ID number is stored as a number and has lost digits; type it as text "
                    "(format the column as text, or start it with an apostrophe)."
                ),
            )
            return None
        number = cell_text(value).replace(" ", "").upper()
        if not number:
            self._problem(row, ID_HEADER, _("Required: the examinee's ID number on the roster."))
            return None
        person = self.roster.get(number)
        if person is None and is_masked(number):
            person = self.roster.get(masked_key(number, name))
        if person is None:
            self._problem(
                row,
                ID_HEADER,
                _(
                    "%(number)s is not on the plan's roster; scores can be recorded only for "
                    "examinees of the roster."
                )
                % {"number": mask_id(number)},
            )
            return None
        if person.entry_id in self.seen:
            self._problem(
                row,
                ID_HEADER,
                _("The same examinee is already on row %(row)s; each examinee is on one row.")
                % {"row": self.seen[person.entry_id]},
            )
            return None
        self.seen[person.entry_id] = row
        if header_key(name) != header_key(person.name):
            self._problem(
                row,
                NAME_HEADER,
                _("“%(name)s” is not the name on the roster for %(number)s, which is “%(roster)s”.")
                % {"name": name, "number": mask_id(number), "roster": person.name},
            )
            return None
        return person

    def _flag(self, row: int, raw: Sequence, header: str, rule: str) -> bool:
        value = self._cell(raw, header)
        if isinstance(value, bool):
            return value
        text = cell_text(value).replace(" ", "").upper()
        if not text or text in _NO_WORDS:
            return False
        if text in _YES_WORDS:
            return True
        self._problem(
            row,
            header,
            _("“%(value)s” is neither 是 nor 否.") % {"value": cell_text(value)[:20]},
            rule,
        )
        return False
