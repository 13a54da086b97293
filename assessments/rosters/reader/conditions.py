"""Each roster row against the application conditions of its level (申报条件, 破格条件; seed 004
§三(一)(二), seed 001 §七(一)). Pure: the scheme's routes come in the RosterContext.

A level's conditions are alternative routes, each a set of minimums. A row passes when it meets
every minimum of one route, fails when every route fails, and is reported as not verified (未核
验, a warning, not a refusal) when no route is met but some could not be checked: the column a
minimum needs is not in the file (the official 21 columns stay unchanged; the others are
optional) or the row leaves its cell empty. A scheme without routes checks nothing.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from django.utils.translation import gettext as _

from assessments.rosters.reader.format import (
    COLUMN_OF,
    COLUMNS,
    ParsedRoster,
    RosterContext,
    RosterRow,
    blank,
    header_key,
)
from assessments.rosters.reader.rows import (
    cell_text,
    parse_date,
    parse_enterprise_level,
    parse_level,
)
from filings.levels import SHORT_LEVEL_NAMES
from portal.core.errors import Problem

CONDITIONS = "申报条件"
# The optional columns a condition needs, after the 21 official ones, in any order.
CONDITION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("prior_certificate_level", "已获证书等级"),
    ("prior_certificate_on", "证书取得时间"),
    ("training_hours", "培训学时"),
    ("exceptional", "破格申报"),
    ("exceptional_reason", "破格理由"),
    ("exceptional_evidence", "破格依据"),
)
CONDITION_HEADERS = [header for _key, header in CONDITION_COLUMNS]
_HEADER_ALIASES = {
    "已获证书": "prior_certificate_level",
    "原证书等级": "prior_certificate_level",
    "已有证书等级": "prior_certificate_level",
    "已获证书取得时间": "prior_certificate_on",
    "原证书取得时间": "prior_certificate_on",
    "原证书发证日期": "prior_certificate_on",
    "已获证书发证日期": "prior_certificate_on",
    "取得证书时间": "prior_certificate_on",
    "培训课时": "training_hours",
    "是否破格": "exceptional",
    "是否破格申报": "exceptional",
    "破格原因": "exceptional_reason",
    "破格证明": "exceptional_evidence",
}
_HEADERS = {header_key(header): key for key, header in CONDITION_COLUMNS} | {
    header_key(header): key for header, key in _HEADER_ALIASES.items()
}
_HEADER_OF = dict(CONDITION_COLUMNS)
_OFFICIAL = len(COLUMNS)
_YEARS = re.compile(r"^(\d{1,2}(?:\.\d+)?)(?:年|周年)?(?:以上|多|余)?$")
_YEARS_MONTHS = re.compile(r"^(?:(\d{1,2})年)?(?:(\d{1,3})(?:个)?月)?$")
# 满6年, 累计6年, 6年(含)以上 … read as 6年; 三年, 十二年, 两年半 as 3年, 12年, 2.5年.
_FILLER = re.compile(r"^(?:累计|满|约)+|\(含\)")
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CHINESE_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CHINESE_NUMBER = re.compile(r"[零一二两三四五六七八九十]+")


def _arabic(match: re.Match) -> str:
    text = match.group(0)
    if "十" not in text:
        return "".join(str(_CHINESE_DIGITS[c]) for c in text)
    tens, _ten, ones = text.partition("十")
    return str(_CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0))


_HOURS = re.compile(r"^(\d+(?:\.\d+)?)(?:学时|课时|小时|h)?$", re.IGNORECASE)
_YES = {"是", "Y", "YES", "1", "破格", "TRUE"}
_NO = {"否", "N", "NO", "0", "FALSE", ""}


@dataclass(frozen=True)
class Route:
    """One way to apply for `level`: every minimum that is not None must be met."""

    level: int
    exceptional: bool = False
    min_years_in_occupation: Decimal | None = None
    min_years_employed: Decimal | None = None
    prior_certificate_level: int | None = None
    min_years_since_certificate: Decimal | None = None
    min_training_hours: int | None = None


class Outcome(Enum):
    MET = "met"
    UNKNOWN = "unknown"
    FAILED = "failed"


def level_name(level: int) -> str:
    return str(SHORT_LEVEL_NAMES.get(level, level))


def number(value: Decimal | int) -> str:
    return f"{Decimal(value).normalize():f}"


def route_text(route: Route) -> str:
    """What a route asks, e.g. 取得五级证书满4年且从事本职业满4年."""
    parts = []
    if route.min_years_in_occupation is not None:
        parts.append(
            _("%(years)s years in the occupation")
            % {"years": number(route.min_years_in_occupation)}
        )
    if route.min_years_employed is not None:
        parts.append(
            _("%(years)s years since joining the enterprise")
            % {"years": number(route.min_years_employed)}
        )
    if route.prior_certificate_level is not None:
        if route.min_years_since_certificate is not None:
            parts.append(
                _("%(years)s years since obtaining a %(level)s certificate")
                % {
                    "years": number(route.min_years_since_certificate),
                    "level": level_name(route.prior_certificate_level),
                }
            )
        else:
            parts.append(
                _("a %(level)s certificate") % {"level": level_name(route.prior_certificate_level)}
            )
    if route.min_training_hours is not None:
        parts.append(
            _("%(hours)s training hours before the assessment")
            % {"hours": number(route.min_training_hours)}
        )
    return _(" and ").join(parts)


def routes_text(routes: Iterable[Route]) -> str:
    return _(", or ").join(text for text in (route_text(route) for route in routes) if text)


def condition_columns(header: list) -> dict[str, int]:
    """Where the optional condition columns are in the header row (from the roster's first
    column), by key; the first of two with the same name counts."""
    found: dict[str, int] = {}
    for index, value in enumerate(header[_OFFICIAL:], start=_OFFICIAL):
        key = _HEADERS.get(header_key(value)) if not blank(value) else None
        if key and key not in found:
            found[key] = index
    return found


def years_between(start: dt.date, end: dt.date) -> Decimal:
    """Whole months from `start` to `end`, in years (one decimal place is what a minimum has)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return Decimal(max(months, 0)) / 12


def parse_years(value, reference: dt.date) -> Decimal | None:
    """从事本职业（工种）时间 as years: 6, 6年, 6.5, 6年以上, 6年3个月, 18个月; or the date the
    examinee started in the occupation (2015-03-01), counted to the assessment."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value)) if 0 <= value < 100 else None
    if isinstance(value, dt.date):
        return years_between(
            value if not isinstance(value, dt.datetime) else value.date(), reference
        )
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    text = _CHINESE_NUMBER.sub(_arabic, _FILLER.sub("", text))
    if text.endswith("年半"):
        text = text[:-2] + ".5年"
    match = _YEARS.match(text)
    if match:
        return Decimal(match.group(1))
    match = _YEARS_MONTHS.match(text)
    if match and any(match.groups()):
        years, months = (int(part or 0) for part in match.groups())
        return Decimal(years) + Decimal(months) / 12
    day = parse_date(text)
    if day is None and re.match(r"^\d{4}[-/.年]\d{1,2}月?$", text):
        year, month = re.findall(r"\d+", text)
        try:
            day = dt.date(int(year), int(month), 1)
        except ValueError:
            day = None
    return years_between(day, reference) if day is not None else None


def _hours(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value)) if value >= 0 else None
    match = _HOURS.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))))
    if not match:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern allows digits only
        return None


@dataclass
class _Facts:
    """What one row says about the conditions; None where it says nothing (column or cell)."""

    years_in_occupation: Decimal | None
    hired_on: dt.date | None
    certificate_column: bool
    certificate_level: int | None
    certificate_on: dt.date | None
    hours: Decimal | None
    reference: dt.date

    @property
    def employed_years(self) -> Decimal | None:
        return None if self.hired_on is None else years_between(self.hired_on, self.reference)

    @property
    def certificate_years(self) -> Decimal | None:
        if self.certificate_on is None:
            return None
        return years_between(self.certificate_on, self.reference)


def attach_condition_cells(parsed: ParsedRoster, *, header: list, cells: list, start: int) -> None:
    """Keep the optional condition columns of the file: their headers as written on `parsed`
    (the error report repeats them) and each row's cells under values["condition_cells"].
    `header` is the header row from the roster's first column, `cells` the sheet (a row's cells
    are cells[row.row - 1][start:])."""
    columns = condition_columns(header)
    parsed.extra_headers = [str(header[index]) for index in columns.values()]
    for row in parsed.rows:
        raw = cells[row.row - 1][start:] if row.row - 1 < len(cells) else []
        row.values["condition_cells"] = {
            key: raw[index] if index < len(raw) else None for key, index in columns.items()
        }


def check_conditions(rows: Iterable[RosterRow], context: RosterContext) -> None:
    """Every row against the routes of its level (after attach_condition_cells)."""
    routes = tuple(context.application_routes)
    if not routes:
        return
    for row in rows:
        extra = row.values.get("condition_cells", {})
        _check_row(row, context, routes, set(extra), extra)


def _check_row(
    row: RosterRow, context: RosterContext, routes: tuple[Route, ...], columns: dict, extra: dict
) -> None:
    values = row.values
    problems_before = len(row.problems)
    facts = _read_facts(row, context, columns, extra)
    level = values.get("level")
    if len(row.problems) > problems_before or level is None:
        return
    exceptional = values["exceptional"]
    if exceptional:
        level_routes = [route for route in routes if route.level == level and route.exceptional]
        if not level_routes:
            if any(route.level == level for route in routes):
                row.add(
                    CONDITIONS,
                    _(
                        "The scheme has no exceptional conditions for %(level)s: apply under "
                        "the ordinary conditions and write 否 in 破格申报."
                    )
                    % {"level": level_name(level)},
                    "R-P1",
                )
            return
        for key in ("exceptional_reason", "exceptional_evidence"):
            if not values[key]:
                row.add(
                    _HEADER_OF[key],
                    _(
                        "Required for an exceptional application (破格): %(what)s; if the file "
                        "lacks the column %(column)s, add it after the official columns."
                    )
                    % {
                        "what": _("the reason, e.g. a competition placing or a major contribution")
                        if key == "exceptional_reason"
                        else _("the evidence, e.g. the award certificate or the document number"),
                        "column": _HEADER_OF[key],
                    },
                    "R-P1",
                )
    else:
        level_routes = [route for route in routes if route.level == level and not route.exceptional]
    # Exceptional routes without minimums ask only for the reason and the evidence.
    level_routes = [route for route in level_routes if route_text(route)]
    if not level_routes:
        return
    outcomes = [(route, _route_outcome(route, facts)) for route in level_routes]
    if any(outcome == Outcome.MET for _route, outcome in outcomes):
        return
    asked = (
        _("An exceptional application (破格) for %(level)s needs %(conditions)s")
        if exceptional
        else _("Applying for %(level)s needs %(conditions)s")
    ) % {"level": level_name(level), "conditions": routes_text(level_routes)}
    said = _facts_text(facts, level_routes, context)
    if any(outcome == Outcome.UNKNOWN for _route, outcome in outcomes):
        missing = _missing_text(facts, level_routes, columns)
        text = _("Not verified: %(asked)s; this row: %(said)s (%(missing)s).") % {
            "asked": asked,
            "said": said,
            "missing": missing,
        }
        row.warnings.append(_warning(row, text))
        values["conditions_unverified"] = text
        return
    row.add(
        CONDITIONS, _("%(asked)s; this row: %(said)s.") % {"asked": asked, "said": said}, "R-P1"
    )


def _warning(row: RosterRow, text: str) -> Problem:
    return Problem(text, rule="R-P1", row=row.row, header=CONDITIONS)


def _read_facts(row: RosterRow, context: RosterContext, columns: dict, extra: dict) -> _Facts:
    values = row.values
    reference = context.reference_date
    years_text = values.get("years_in_occupation", "")
    years = None
    if years_text:
        years = parse_years(years_text, reference)
        if years is None:
            row.add(
                "years_in_occupation",
                _(
                    "“%(value)s” is not a number of years: write it like 6, 6年, 6.5 or 6年3个月, "
                    "or the date the examinee started in the occupation."
                )
                % {"value": years_text},
                "R-P1",
            )
    level_value = extra.get("prior_certificate_level")
    certificate_level = None
    if not blank(level_value):
        certificate_level = parse_level(level_value)
        if certificate_level is None:
            # R-S4: the level as the portal prints it, the enterprise's own title beside it.
            own = parse_enterprise_level(level_value, context.level_names)
            national = re.split(r"[（(]", cell_text(level_value))[0]
            certificate_level = own[0] if own else parse_level(national)
        if certificate_level is None:
            row.add(
                _HEADER_OF["prior_certificate_level"],
                _(
                    "“%(value)s” is not a skill level: write 五级/初级工, 四级/中级工, "
                    "三级/高级工, 二级/技师 or 一级/高级技师, or leave it empty when the examinee "
                    "holds none."
                )
                % {"value": cell_text(level_value)},
                "R-P1",
            )
    on_value = extra.get("prior_certificate_on")
    certificate_on = None
    if not blank(on_value):
        certificate_on = parse_date(on_value)
        if certificate_on is None:
            row.add(
                _HEADER_OF["prior_certificate_on"],
                _(
                    "“%(value)s” is not a date; write it like 2018-01-01, 2018/1/1 or "
                    "2018年1月1日, or use an Excel date."
                )
                % {"value": cell_text(on_value)},
                "R-P1",
            )
        elif certificate_on > reference:
            row.add(
                _HEADER_OF["prior_certificate_on"],
                _("%(date)s is after %(reference)s, the assessment date.")
                % {"date": certificate_on.isoformat(), "reference": reference.isoformat()},
                "R-P1",
            )
        elif blank(level_value) and "prior_certificate_level" in columns:
            row.add(
                _HEADER_OF["prior_certificate_level"],
                _("Required when 证书取得时间 is filled: the level of that certificate."),
                "R-P1",
            )
    hours_value = extra.get("training_hours")
    hours = None
    if not blank(hours_value):
        hours = _hours(hours_value)
        if hours is None:
            row.add(
                _HEADER_OF["training_hours"],
                _("“%(value)s” is not a number of training hours: write it like 120 or 120学时.")
                % {"value": cell_text(hours_value)},
                "R-P1",
            )
    flag = unicodedata.normalize("NFKC", cell_text(extra.get("exceptional"))).upper()
    if flag not in _YES and flag not in _NO:
        row.add(
            _HEADER_OF["exceptional"],
            _("Must be 是 or 否 (or empty, which is 否)."),
            "R-P1",
        )
    values["prior_certificate_level"] = certificate_level
    values["prior_certificate_on"] = certificate_on
    values["training_hours"] = hours
    values["exceptional"] = flag in _YES
    values["exceptional_reason"] = cell_text(extra.get("exceptional_reason"))
    values["exceptional_evidence"] = cell_text(extra.get("exceptional_evidence"))
    values["conditions_unverified"] = ""
    return _Facts(
        years_in_occupation=years,
        hired_on=values.get("hired_on"),
        certificate_column="prior_certificate_level" in columns,
        certificate_level=certificate_level,
        certificate_on=certificate_on,
        hours=hours,
        reference=reference,
    )


def _at_least(value: Decimal | None, minimum) -> Outcome:
    if minimum is None:
        return Outcome.MET
    if value is None:
        return Outcome.UNKNOWN
    return Outcome.MET if value >= Decimal(minimum) else Outcome.FAILED


def _route_outcome(route: Route, facts: _Facts) -> Outcome:
    outcomes = [
        _at_least(facts.years_in_occupation, route.min_years_in_occupation),
        _at_least(facts.hours, route.min_training_hours),
    ]
    if route.min_years_employed is not None:
        outcomes.append(
            Outcome.UNKNOWN
            if facts.hired_on is None
            else _at_least(facts.employed_years, route.min_years_employed)
        )
    if route.prior_certificate_level is not None:
        if not facts.certificate_column:
            outcomes.append(Outcome.UNKNOWN)
        elif facts.certificate_level is None or (
            facts.certificate_level > route.prior_certificate_level
        ):
            outcomes.append(Outcome.FAILED)
        elif route.min_years_since_certificate is not None:
            outcomes.append(_at_least(facts.certificate_years, route.min_years_since_certificate))
    if Outcome.FAILED in outcomes:
        return Outcome.FAILED
    return Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.MET


def _facts_text(facts: _Facts, routes: list[Route], context: RosterContext) -> str:
    """What the row says on the minimums the routes ask, e.g. 从事本职业3年、未填已获证书."""
    asks = _asked(routes)
    parts = []
    if "occupation" in asks:
        parts.append(
            _("in the occupation for %(years)s years")
            % {"years": _round(facts.years_in_occupation)}
            if facts.years_in_occupation is not None
            else _("%(column)s not filled in") % {"column": COLUMN_OF["years_in_occupation"]}
        )
    if "employed" in asks:
        parts.append(
            _("joined %(years)s years ago") % {"years": _round(facts.employed_years)}
            if facts.hired_on is not None
            else _("%(column)s not filled in") % {"column": COLUMN_OF["hired_on"]}
        )
    if "certificate" in asks:
        if not facts.certificate_column:
            parts.append(
                _("the roster has no column %(column)s")
                % {"column": _HEADER_OF["prior_certificate_level"]}
            )
        elif facts.certificate_level is None:
            parts.append(_("no certificate held"))
        elif facts.certificate_on is not None:
            parts.append(
                _("a %(level)s certificate obtained %(years)s years ago")
                % {
                    "level": level_name(facts.certificate_level),
                    "years": _round(facts.certificate_years),
                }
            )
        else:
            parts.append(
                _("a %(level)s certificate") % {"level": level_name(facts.certificate_level)}
            )
    if "hours" in asks:
        parts.append(
            _("%(hours)s training hours") % {"hours": _round(facts.hours)}
            if facts.hours is not None
            else _("%(column)s not filled in") % {"column": _HEADER_OF["training_hours"]}
        )
    return _(", ").join(parts)


def _missing_text(facts: _Facts, routes: list[Route], columns: dict) -> str:
    """Which columns or cells kept the row from being verified."""
    asks = _asked(routes)
    missing = []
    if "occupation" in asks and facts.years_in_occupation is None:
        missing.append(COLUMN_OF["years_in_occupation"])
    if "employed" in asks and facts.hired_on is None:
        missing.append(COLUMN_OF["hired_on"])
    if "certificate" in asks:
        if not facts.certificate_column:
            missing.append(_HEADER_OF["prior_certificate_level"])
        if facts.certificate_on is None and any(
            route.min_years_since_certificate is not None for route in routes
        ):
            missing.append(_HEADER_OF["prior_certificate_on"])
    if "hours" in asks and facts.hours is None:
        missing.append(_HEADER_OF["training_hours"])
    return _("%(columns)s missing or empty: to be verified by the reviewer") % {
        "columns": "、".join(missing)
    }


def _asked(routes: list[Route]) -> set[str]:
    asks = set()
    for route in routes:
        if route.min_years_in_occupation is not None:
            asks.add("occupation")
        if route.min_years_employed is not None:
            asks.add("employed")
        if route.prior_certificate_level is not None:
            asks.add("certificate")
        if route.min_training_hours is not None:
            asks.add("hours")
    return asks


def _round(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return number(value.quantize(Decimal("0.1")))
