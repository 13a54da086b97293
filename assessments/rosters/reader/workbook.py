"""The .xlsx container: checked before it is unpacked, read with python-calamine.

portal.core.uploads checks the ZIP (entries, unpacked size, ratios, names) and scans every part
for DOCTYPE and ENTITY declarations before anything parses it. The same streamed pass counts
the sheet's rows and looks for formula cells: calamine gives values only, so <f> elements are
found in the XML, and the sheet is parsed for them only when there is one.

A sheet with more rows than a file may hold is refused here, before calamine loads it whole:
its <row> elements are counted as the sheet streams by (its declared <dimension> may lie), and
only when they are more than the limit are the rows holding a value counted, up to the limit.

calamine makes a dense table from A1 to the farthest value: one cell at XFD50000 of a 2 KB file
would ask for 26 GB and abort the process. The scan notices a cell tag other than Excel's with
a reference within A1:Z37999, and only then the sheet is parsed for the farthest value.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from defusedxml import ElementTree
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from assessments.rosters.reader.format import RosterFileError
from portal.core.uploads import UploadRefused, XlsxPackage

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ROOT_TAG = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_ROOT_SEARCH = 64 * 1024
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
# What calamine may be given: 20,030 rows of 49 columns, about 120 MB at its peak.
MAX_SHEET_CELLS = 1_000_000
# The rest of a cell tag as Excel writes it, with a reference within A1:Z37999 (26 x 37,999
# cells, less than MAX_SHEET_CELLS) and none of its other attributes an r: any other cell tag
# may reach further (calamine takes the last r), and the sheet is parsed to find out.
_NEAR_CELL = (
    rb'[\s>/](?!r="[A-Z](?:[1-9]\d{0,3}|[12]\d{4}|3[0-7]\d{3})"'
    rb'(?:\s+(?:s|t|cm|vm|ph)="[^"]*")*\s*/?>)'
)
# calamine reads <c> by its local name, whatever its prefix.
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
# The header is taken to be the widest of the first rows holding a value; those above it are
# titles.
_HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class WorkbookInfo:
    sheet_path: str
    row_elements: int
    formulas: dict[tuple[int, int], str]  # (row number, column index from 0) → formula text


def inspect_workbook(
    data: bytes, *, field: str | None = None, max_rows: int | None = None
) -> WorkbookInfo:
    """Check the ZIP and every part before anything parses them; the first sheet's rows and
    formulas. `field` names the upload in messages (the roster by default); a sheet with more
    than `max_rows` rows holding a value below its header is refused."""
    field = field or _("Roster (.xlsx)")
    if data[:8] == _OLE_SIGNATURE:
        raise RosterFileError(
            _(
                "The file is an Excel 97–2003 workbook (.xls). Save it as an Excel workbook "
                "(.xlsx) and upload it again."
            )
        )
    try:
        package = XlsxPackage(data, field=field)
        sheet_path = _first_sheet_path(package)
        scanner = _SheetScanner()
        package.verify({sheet_path: scanner.feed})
        scanner.close()
        if max_rows is not None and scanner.rows > max_rows:
            _check_row_limit(package, sheet_path, scanner, field=field, limit=max_rows)
        if scanner.maybe_far:
            _check_extent(package, sheet_path, field=field)
        formulas = _formulas(package, sheet_path) if scanner.has_formula else {}
    except UploadRefused as error:
        raise RosterFileError(error.message) from None
    return WorkbookInfo(sheet_path=sheet_path, row_elements=scanner.rows, formulas=formulas)


def _check_row_limit(
    package: XlsxPackage, path: str, scanner: "_SheetScanner", *, field: str, limit: int
) -> None:
    """Refuse the sheet when more than `limit` rows below its header hold a value. Rows only
    formatted (Excel writes them for borders) do not count; the count stops past the limit."""
    row_tag = scanner.tag(b"row")
    values = (scanner.tag(b"v"), scanner.tag(b"is"))
    widths: list[int] = []  # value cells of the first rows holding a value
    counted = 0
    tail = b""

    def over(part: bytes) -> bool:
        nonlocal counted
        for row in part.split(row_tag)[1:]:
            cells = row.count(values[0]) + row.count(values[1])
            if not cells:
                continue
            counted += 1
            if len(widths) < _HEADER_SEARCH_ROWS:
                widths.append(cells)
            elif counted - widths.index(max(widths)) - 1 > limit:
                return True
        return bool(widths) and counted - widths.index(max(widths)) - 1 > limit

    for chunk in package.iter_member(package.info(path)):
        window = tail + chunk
        cut = window.rfind(row_tag)
        if cut <= 0:
            tail = window
            continue
        tail = window[cut:]
        if over(window[:cut]):
            break
    else:
        if not over(tail):
            return
    raise UploadRefused(
        _(
            "%(field)s: the sheet has %(rows)s rows, more than %(limit)s below its header; at "
            "most %(limit)s rows can be imported at once. Split the file and upload the parts "
            "one by one."
        )
        % {"field": field, "rows": scanner.rows, "limit": limit}
    )


def _check_extent(package: XlsxPackage, path: str, *, field: str) -> None:
    """Refuse the sheet when the table from A1 to its farthest value has more than
    MAX_SHEET_CELLS cells; formatted cells without a value do not count (calamine skips them)."""
    rows = columns = 0
    row = column = 0
    for event, element in _parse(package, path, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                number = element.get("r", "")
                row, column = (int(number) if number.isdigit() else row + 1), 0
            continue
        if tag == "c":
            match = _CELL_REF.match(element.get("r", ""))
            if match:
                row, column = int(match.group(2)), _column_index(match.group(1)) + 1
            else:
                column += 1
            if any(_local(child.tag) in ("v", "is") for child in element):
                rows, columns = max(rows, row), max(columns, column)
            element.clear()
        elif tag == "row":
            element.clear()
    if rows * columns > MAX_SHEET_CELLS:
        raise UploadRefused(
            _(
                "%(field)s: the values of the sheet reach row %(rows)s and column %(columns)s, "
                "far beyond what can be read (at most %(cells)s cells). Delete the cells outside "
                "the table and upload the file again."
            )
            % {"field": field, "rows": rows, "columns": columns, "cells": MAX_SHEET_CELLS}
        )


def _not_xlsx() -> str:
    return _(
        # R-P5
        "The file is not an Excel workbook (.xlsx); the roster must be uploaded in the official "
        "Excel format."
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first_sheet_path(package: XlsxPackage) -> str:
    """The part of the first sheet in workbook order: the one calamine reads as index 0."""
    try:
        workbook = ElementTree.fromstring(package.read_part("xl/workbook.xml"))
        relations = ElementTree.fromstring(package.read_part("xl/_rels/workbook.xml.rels"))
    except ElementTree.ParseError as error:
        raise RosterFileError(_not_xlsx()) from error
    sheet_ids = [
        value
        for element in workbook.iter()
        if _local(element.tag) == "sheet"
        for key, value in element.attrib.items()
        if _local(key) == "id"
    ]
    if not sheet_ids:
        raise RosterFileError(_("The workbook has no worksheet."))
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in relations.iter()
        if _local(element.tag) == "Relationship"
    }
    target = targets.get(sheet_ids[0], "")
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if package.info(path) is None:
        raise RosterFileError(_("The workbook has no worksheet."))
    return path


class _SheetScanner:
    """Counts <row> elements and notices <f> in the sheet's chunks, with bytes.count: a regular
    expression tried at every "<" of a 10,000-row sheet costs ten times more.

    The tags are those of the prefix the root <worksheet> uses (none, or x: and the like). The
    window is cut before its last "<", so that no tag is split between two chunks.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.has_formula = False
        self.maybe_far = False
        self._tail = b""
        self._row: bytes | None = None
        self._formula: re.Pattern | None = None
        self._ignored = False

    def feed(self, chunk: bytes) -> None:
        if self._ignored:
            return
        window = self._tail + chunk
        if self._row is None:
            root = _ROOT_TAG.search(window[:_ROOT_SEARCH])
            if root is None:
                # Not a worksheet (a chart sheet first, say): calamine says what it makes of it.
                self._ignored = len(window) > _ROOT_SEARCH
                self._tail = b"" if self._ignored else window
                return
            prefix = root.group(1) + b":" if root.group(1) else b""
            self._prefix = prefix
            self._row = b"<" + prefix + b"row"
            self._row_breaks = b"<" + prefix + b"rowBreaks"
            self._formula_start = b"<" + prefix + b"f"
            self._formula = re.compile(re.escape(self._formula_start) + rb"[\s/>]")
            # Under a prefixed root the cells may be written with any prefix, or none.
            start = rb"[<:]c" if prefix else rb"<c"
            self._far_cell = re.compile(start + _NEAR_CELL)
            self._prefixed_cells = not prefix
        cut = window.rfind(b"<")
        if cut <= 0:
            self._tail = window
            return
        self._count(window[:cut])
        self._tail = window[cut:]

    def tag(self, name: bytes) -> bytes:
        """The start of the sheet's element `name`, in the prefix its root uses."""
        return b"<" + getattr(self, "_prefix", b"") + name

    def close(self) -> None:
        if self._row is not None and not self._ignored:
            self._count(self._tail)
        self._tail = b""

    def _count(self, part: bytes) -> None:
        self.rows += part.count(self._row) - part.count(self._row_breaks)
        if not self.has_formula and self._formula_start in part:
            self.has_formula = self._formula.search(part) is not None
        if not self.maybe_far:
            self.maybe_far = self._far_cell.search(part) is not None or (
                self._prefixed_cells and b":c" in part and _PREFIXED_CELL.search(part) is not None
            )


def _parse(package: XlsxPackage, path: str, *, events: tuple[str, ...]) -> Iterator:
    """The sheet's parse events; the sheet was scanned, so defusedxml parses it safely. XML the
    parser refuses (a repeated attribute, a tag left open) is a file the portal cannot read."""
    stream = io.BytesIO(package.read_part(path))
    try:
        yield from ElementTree.iterparse(stream, events=events)
    except ElementTree.ParseError as error:
        raise RosterFileError(
            _("The workbook could not be read: %(error)s") % {"error": error}
        ) from None


def _formulas(package: XlsxPackage, path: str) -> dict[tuple[int, int], str]:
    """(row, column) → formula text."""
    formulas: dict[tuple[int, int], str] = {}
    for _event, element in _parse(package, path, events=("end",)):
        if _local(element.tag) != "c":
            continue
        formula = next((child for child in element if _local(child.tag) == "f"), None)
        if formula is not None:
            match = _CELL_REF.match(element.get("r", ""))
            if match:
                key = (int(match.group(2)), _column_index(match.group(1)))
                formulas[key] = (formula.text or "").strip() or "…"
        element.clear()
    return formulas


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_cells(data: bytes, info: WorkbookInfo) -> list[list]:
    """The first sheet's values. `info` comes from inspect_workbook(data): nothing reaches
    python-calamine that was not checked first (the argument is there so none forgets)."""
    if not isinstance(info, WorkbookInfo):
        raise TypeError("read_cells needs the WorkbookInfo of inspect_workbook(data)")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError as error:
        raise RosterFileError(
            _("The workbook could not be read: %(error)s") % {"error": error}
        ) from error
    except Exception as error:  # calamine raises its own types for broken XML or ZIP parts
        raise RosterFileError(
            _("The workbook could not be read: %(error)s") % {"error": error}
        ) from error
