"""The official roster 职业技能等级认定人员名册 (R-P5, seed 004 附件3): bytes in, rows out.

Pure: no ORM. What depends on the database (the plan's filed scope for R-P4, the city's policy
for R-P3, the rosters of the enterprise's other plans for R-P5a) comes in a RosterContext that
the caller builds (assessments.rosters.services).

Reading uses python-calamine, which is an order of magnitude faster than openpyxl; it gives
values only, so formula cells are found by scanning the sheet's XML for <f> elements first.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.rosters.reader.conditions import attach_condition_cells, check_conditions
from assessments.rosters.reader.context import check_against_context
from assessments.rosters.reader.entrusted import extra_columns
from assessments.rosters.reader.format import (
    CATEGORY_HEADER,
    CATEGORY_LABELS,
    COLUMN_OF,
    COLUMNS,
    HEADERS,
    LEVEL_LABELS,
    REASON_HEADER,
    ParsedRoster,
    PriorEntries,
    Problem,
    RosterContext,
    RosterFileError,
    RosterRow,
    Scope,
    blank,
    header_key,
    stored_problem,
)
from assessments.rosters.reader.rows import cell_text, check_row, parse_date, parse_level
from assessments.rosters.reader.workbook import (
    WorkbookInfo,
    column_letter,
    inspect_workbook,
    read_cells,
)

HEADER_SEARCH_ROWS = 30
PROGRESS_EVERY = 500

__all__ = [
    "CATEGORY_HEADER",
    "CATEGORY_LABELS",
    "COLUMNS",
    "COLUMN_OF",
    "HEADERS",
    "LEVEL_LABELS",
    "REASON_HEADER",
    "ParsedRoster",
    "PriorEntries",
    "Problem",
    "stored_problem",
    "RosterContext",
    "RosterFileError",
    "RosterRow",
    "Scope",
    "WorkbookInfo",
    "column_letter",
    "inspect_workbook",
    "parse_date",
    "parse_level",
    "read_roster",
]

_HEADER_KEYS = [header_key(header) for header in HEADERS]
_CATEGORY_KEY = header_key(CATEGORY_HEADER)


def _find_header(cells: list[list]) -> tuple[int, int] | None:
    """(row index, column index) of 序号 in the first row that looks like the official header."""
    wanted = set(_HEADER_KEYS)
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        keys = [header_key(value) for value in row]
        if _HEADER_KEYS[0] in keys and len(wanted.intersection(keys)) > len(wanted) // 2:
            return index, keys.index(_HEADER_KEYS[0])
    return None


def read_roster(
    data: bytes,
    context: RosterContext | None = None,
    *,
    info: WorkbookInfo | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedRoster:
    """Every row of the first sheet checked; without a context only the rules of the file itself.

    Raises RosterFileError when the upload is not a workbook the portal can read, or holds more
    rows than settings.ROSTER_MAX_ROWS (found before the sheet is parsed).
    """
    limit = settings.ROSTER_MAX_ROWS
    info = info or inspect_workbook(data, max_rows=limit)
    cells = read_cells(data, info)
    found = _find_header(cells)
    if found is None:
        return ParsedRoster(rows=[], file_problems=[_no_header_problem()])
    header_index, start = found
    header_cells = [header_key(value) for value in cells[header_index][start:]]
    file_problems = [
        Problem(
            _(
                # R-P5
                "Column %(letter)s of the header should be “%(expected)s” but is “%(found)s”; "
                "the columns must be the 21 official ones in order."
            )
            % {
                "letter": column_letter(start + offset),
                "expected": HEADERS[offset],
                "found": header_cells[offset] if offset < len(header_cells) else "",
            },
            rule="R-P5",
            row=header_index + 1,
            header=column_letter(start + offset),
        )
        for offset, expected in enumerate(_HEADER_KEYS)
        if (header_cells[offset] if offset < len(header_cells) else "") != expected
    ]
    has_category = len(header_cells) > len(HEADERS) and header_cells[len(HEADERS)] == _CATEGORY_KEY
    width = len(HEADERS) + (1 if has_category else 0)
    extras = extra_columns(header_cells, width)
    parsed = ParsedRoster(
        rows=[], file_problems=file_problems, header_row=header_index + 1, has_category=has_category
    )
    for (row_number, column), formula in sorted(info.formulas.items()):
        if row_number <= header_index + 1 or not start <= column < start + width:
            parsed.file_problems.append(_formula_problem(row_number, column, formula, None))
    data_rows = cells[header_index + 1 :]
    total = len(data_rows)
    seen: dict[str, int] = {}
    for offset, raw in enumerate(data_rows):
        if progress and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        row_number = header_index + 2 + offset
        row_cells = list(raw[start : start + width])
        row_cells += [""] * (width - len(row_cells))
        formulas = [
            _formula_problem(row_number, start + column, info.formulas[key], column)
            for column in range(width)
            if (key := (row_number, start + column)) in info.formulas
        ]
        if not formulas and all(blank(value) for value in row_cells[1:]):
            continue  # blank rows, also those pre-numbered in 序号 only
        row = RosterRow(row=row_number, cells=row_cells, problems=formulas)
        row.extra = {key: cell_text(_cell(raw, start + index)) for key, index in extras.items()}
        check_row(
            row,
            has_category,
            context.level_names if context else None,
            social_org=context is not None and context.social_org,
        )
        number = row.values.get("id_number")
        if number:
            if number in seen:
                row.add(
                    "id_number",
                    _(
                        "The same ID number is already on row %(row)s; a person is on the "
                        "roster once."
                    )
                    % {"row": seen[number]},
                )
            else:
                seen[number] = row.row
        parsed.rows.append(row)
    if len(parsed.rows) > limit:
        parsed.file_problems.append(
            Problem(
                _("The roster has %(count)s rows; at most %(limit)s can be imported at once.")
                % {"count": len(parsed.rows), "limit": limit},
                rule="R-P5",
                row=0,
            )
        )
    elif not parsed.rows and not parsed.file_problems:
        parsed.file_problems.append(
            Problem(_("The roster has no examinee rows below the header."), rule="R-P5", row=0)
        )
    attach_condition_cells(parsed, header=cells[header_index][start:], cells=cells, start=start)
    if context is not None and not parsed.file_problems:
        check_against_context(parsed.rows, context)
        check_conditions(parsed.rows, context)
    if progress:
        progress(total, total)
    return parsed


def _cell(raw, index: int):
    return raw[index] if index < len(raw) else ""


def _no_header_problem() -> Problem:
    return Problem(
        _(
            # R-P5
            "No header row of the official roster was found in the first %(rows)s rows: a row "
            "with the 21 columns %(columns)s."
        )
        % {"rows": HEADER_SEARCH_ROWS, "columns": "、".join(HEADERS)},
        rule="R-P5",
        row=0,
    )


def _formula_problem(row: int, column: int, formula: str, offset: int | None) -> Problem:
    reference = f"{column_letter(column)}{row}"
    label = reference if offset is None else (HEADERS + [CATEGORY_HEADER])[offset]
    return Problem(
        _(
            "Cell %(cell)s contains a formula (=%(formula)s); formulas are not accepted. Copy the "
            "cells and paste them as values only."
        )
        % {"cell": reference, "formula": formula[:60]},
        rule="R-P5",
        row=row,
        header=label,
    )
