"""Excel downloads written with openpyxl in write-only mode, where no cell is ever a formula.

Anything a user typed may start with = + - @ (or a tab or a carriage return); Excel would run
it as a formula (formula injection, e.g. =HYPERLINK(…) in an enterprise name), so such strings
are written as text cells with the quote prefix, the way Excel itself stores text typed as '=….

Structural: every export makes its workbook with `new_workbook()` (or `workbook_bytes`), whose
sheets turn every appended value into a text-safe cell, whether the caller passes plain values
or cells; tests/core/test_files_exports.py fails on an `openpyxl.Workbook(` anywhere else.
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from portal.core.audit import audit_file_sent

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def text_cell(sheet, value) -> Cell:
    """A cell for one value; strings are always text, whatever they start with."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    elif isinstance(value, dt.datetime):
        raise TypeError("Convert datetimes to local dates or strings before export")
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        _force_text(cell)
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _force_text(cell: Cell) -> Cell:
    # openpyxl binds a string starting with "=" as a formula (data_type "f"); force text.
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


class TextSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows never hold a formula: every value goes through text_cell,
    and a cell made elsewhere holding a string is made text again."""

    def append(self, row) -> None:
        super().append([self._safe(value) for value in row])

    def _safe(self, value):
        if value is None:
            return None
        if isinstance(value, Cell):
            return _force_text(value) if isinstance(value.value, str) else value
        return text_cell(self, value)


class TextWorkbook(Workbook):
    """A write-only workbook of TextSheets."""

    def __init__(self) -> None:
        super().__init__(write_only=True)

    def create_sheet(self, title=None, index=None) -> TextSheet:
        sheet = TextSheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def new_workbook() -> TextWorkbook:
    """The workbook every export starts from; add sheets with create_sheet(title)."""
    return TextWorkbook()


def workbook_to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def append_bold_row(sheet, values: Iterable) -> None:
    """A row of text cells in bold: a header row, a title line."""
    cells = []
    for value in values:
        cell = text_cell(sheet, value)
        cell.font = HEADER_FONT
        cells.append(cell)
    sheet.append(cells)


def add_sheet(
    workbook: Workbook,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] | None = None,
    wrap: bool = False,
):
    """A sheet of `workbook`: a bold, frozen header row, then the rows as text cells (wrapped
    when `wrap`)."""
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    append_bold_row(sheet, headers)
    for row in rows:
        cells = []
        for value in row:
            cell = text_cell(sheet, value)
            if wrap:
                cell.alignment = WRAP
            cells.append(cell)
        sheet.append(cells)
    return sheet


def workbook_bytes(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int] | None = None,
) -> bytes:
    """One sheet: a bold, frozen header row, then the rows; returns the .xlsx file."""
    workbook = new_workbook()
    add_sheet(workbook, title=title, headers=headers, rows=rows, widths=widths, wrap=True)
    return workbook_to_bytes(workbook)


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    """A download of `content`; a Chinese file name travels as RFC 5987 filename*."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    audit_file_sent(filename)
    return response
