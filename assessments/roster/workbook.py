"""The .xlsx container: checked before it is unpacked, read with python-calamine.

Calamine gives values only, so formula cells are found by scanning the sheet's XML for <f>
elements first: one streamed pass that finds none in the usual case, a parse only when it does.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from assessments.roster.format import RosterFileError

# An .xlsx is a ZIP: a small upload can unpack to gigabytes.
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_OVERLAP = 64
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass(frozen=True)
class WorkbookInfo:
    sheet_path: str
    row_elements: int
    formulas: dict[tuple[int, int], str]  # (row number, column index from 0) → formula text


def inspect_workbook(data: bytes) -> WorkbookInfo:
    """Check the ZIP before anything is unpacked, find the first sheet, its rows and formulas."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterFileError(
            _(
                "The file is an Excel 97–2003 workbook (.xls). Save it as an Excel workbook "
                "(.xlsx) and upload it again."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise RosterFileError(_not_xlsx()) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise RosterFileError(
                _(
                    "The file holds %(count)s parts; an Excel roster has at most %(limit)s. It "
                    "is refused as unsafe."
                )
                % {"count": len(entries), "limit": MAX_ZIP_ENTRIES}
            )
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > MAX_UNCOMPRESSED_BYTES:
            raise RosterFileError(
                _(
                    "The file unpacks to %(size)s MB; a roster may unpack to at most %(limit)s "
                    "MB. It is refused as unsafe."
                )
                % {
                    "size": unpacked // (1024 * 1024),
                    "limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
                }
            )
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            raise RosterFileError(_not_xlsx())
        sheet_path = _first_sheet_path(archive, names)
        row_elements, formulas = _scan_sheet(archive, sheet_path)
    return WorkbookInfo(sheet_path=sheet_path, row_elements=row_elements, formulas=formulas)


def _not_xlsx() -> str:
    return _(
        "The file is not an Excel workbook (.xlsx); the roster must be uploaded in the official "
        "Excel format (R-P5)."
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first_sheet_path(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The part of the first sheet in workbook order: the one calamine reads as index 0."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as error:
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
    if path not in names:
        raise RosterFileError(_("The workbook has no worksheet."))
    return path


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> tuple[int, dict[tuple[int, int], str]]:
    """Count <row> elements and look for <f> in one streamed pass; parse only if one is there."""
    rows = 0
    has_formula = False
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            # The last bytes are searched again with the next chunk, so that a tag cut in two
            # is still seen; a row tag is counted where it starts, once.
            window = tail + chunk
            limit = max(len(window) - _OVERLAP, 0)
            rows += sum(1 for match in _ROW_TAG.finditer(window) if match.start() < limit)
            has_formula = has_formula or _FORMULA_TAG.search(window) is not None
            tail = window[limit:]
        rows += len(_ROW_TAG.findall(tail))
    if not has_formula:
        return rows, {}
    formulas: dict[tuple[int, int], str] = {}
    with archive.open(path) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if _local(element.tag) != "c":
                continue
            formula = next((child for child in element if _local(child.tag) == "f"), None)
            if formula is not None:
                match = _CELL_REF.match(element.get("r", ""))
                if match:
                    key = (int(match.group(2)), _column_index(match.group(1)))
                    formulas[key] = (formula.text or "").strip() or "…"
            element.clear()
    return rows, formulas


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


def read_cells(data: bytes) -> list[list]:
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
