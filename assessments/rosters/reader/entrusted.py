"""Entrusted examinees (委托评价人员, seed 004 §一(二)): a row of this category names a client
enterprise whose approved agreement with the plan's enterprise covers the row's occupation,
level and the assessment date, or it is refused naming the missing agreement.

The client is named by the optional column 委托企业统一社会信用代码 where the file has it and the
cell is filled, else by 所在单位 (the client's name as registered). Pure: the approved agreements
come in the RosterContext (assessments.rosters.checks builds them).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.rosters.reader.format import (
    COLUMN_OF,
    LEVEL_LABELS,
    RosterContext,
    RosterRow,
    header_key,
)

# Optional, after the official 21 columns (and 人员类别 where present), tolerated when absent.
CLIENT_CODE_HEADER = "委托企业统一社会信用代码"
CLIENT_CODE_KEY = header_key(CLIENT_CODE_HEADER)


@dataclass(frozen=True)
class AgreementCover:
    """What one approved agreement of the plan's enterprise allows."""

    client_id: int
    client_name: str
    client_credit_code: str
    occupations: frozenset[tuple[str, str]]  # (occupation code, work type name or "")
    levels: frozenset[int]
    valid_from: dt.date
    valid_until: dt.date

    def covers(self, *, code: str, work_type: str, level: int | None, on: dt.date) -> bool:
        occupation = (code, header_key(work_type))
        return (
            occupation in {(c, header_key(w)) for c, w in self.occupations}
            and (level is None or level in self.levels)
            and self.valid_from <= on <= self.valid_until
        )


def extra_columns(header_cells: list[str], width: int) -> dict[str, int]:
    """The header keys of the columns after the official ones (and 人员类别), by position."""
    return {key: index for index, key in enumerate(header_cells) if index >= width and key}


def check_entrusted(rows: Iterable[RosterRow], context: RosterContext) -> None:
    if "entrusted" not in context.admitted_categories:
        return  # the category check already refuses the row
    for row in rows:
        if row.values.get("category") == "entrusted":
            _check_row(row, context)


def _check_row(row: RosterRow, context: RosterContext) -> None:
    values = row.values
    code = (row.extra.get(CLIENT_CODE_KEY) or "").strip().upper()
    covers = context.entrusted_agreements
    if code:
        mine = [cover for cover in covers if cover.client_credit_code == code]
        named, column = code, CLIENT_CODE_HEADER
    else:
        employer = values.get("employer") or ""
        if not employer:
            if any(problem.header == COLUMN_OF["employer"] for problem in row.problems):
                return  # already asked for: 是否本企业职工 is 否
            row.add(
                "employer",
                _(
                    "Required for an entrusted examinee: the name of the client enterprise as "
                    "registered on the portal (or fill the column %(column)s)."
                )
                % {"column": CLIENT_CODE_HEADER},
                "R-P3",
            )
            return
        key = header_key(employer)
        mine = [cover for cover in covers if header_key(cover.client_name) == key]
        named, column = employer, "employer"
    if not mine:
        row.add(
            column,
            _(
                "Entrusted examinees must come from an enterprise that has an approved entrusted "
                "evaluation agreement with this enterprise; “%(client)s” has none."
            )
            % {"client": named},
            "R-P3",
        )
        return
    level = values.get("level")
    occupation_code = values.get("occupation_code") or context.scope.occupation_code
    work_type = values.get("work_type_name") or ""
    on = context.reference_date
    for cover in mine:
        if cover.covers(code=occupation_code, work_type=work_type, level=level, on=on):
            values["entrusted_client_id"] = cover.client_id
            return
    occupation = values.get("occupation_name") or context.scope.occupation_name
    if work_type:
        occupation = f"{occupation}（{work_type}）"
    row.add(
        column,
        _(
            "Entrusted examinees must come from an enterprise that has an approved entrusted "
            "evaluation agreement with this enterprise; “%(client)s” has no approved agreement "
            "covering %(occupation)s %(level)s on %(date)s."
        )
        % {
            "client": mine[0].client_name,
            "occupation": occupation,
            "level": LEVEL_LABELS[level].split("/")[0] if level in LEVEL_LABELS else "",
            "date": on.isoformat(),
        },
        "R-P3",
    )
