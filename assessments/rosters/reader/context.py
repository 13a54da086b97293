"""Checks that need the plan, the city's policy and the enterprise's other rosters.

R-P3 who may be assessed, R-P4 inside the approved filing scope, R-P5a once a year.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from assessments.rosters.reader.entrusted import check_entrusted
from assessments.rosters.reader.format import (
    CATEGORY_LABELS,
    COLUMN_OF,
    LEVEL_LABELS,
    RosterContext,
    RosterRow,
    header_key,
    level_text,
)
from assessments.rosters.reader.rows import OCCUPATION_CODE


def check_against_context(rows: Iterable[RosterRow], context: RosterContext) -> None:
    """R-P3 (who may be assessed), R-P4 (inside the filed scope), R-P5a (once a year)."""
    rows = list(rows)
    scope = context.scope
    levels_text = "、".join(LEVEL_LABELS[level] for level in sorted(scope.levels, reverse=True))
    for row in rows:
        _check_category_policy(row, context)
        values = row.values
        code = values["occupation_code"]
        if code and OCCUPATION_CODE.match(code) and code != scope.occupation_code:
            row.add(
                "occupation_code",
                _(
                    # R-P4
                    "%(value)s is not the occupation of this plan (%(code)s %(name)s, inside the "
                    "approved filing scope)."
                )
                % {"value": code, "code": scope.occupation_code, "name": scope.occupation_name},
                "R-P4",
            )
        elif (
            code == scope.occupation_code
            and values["occupation_name"]
            and header_key(values["occupation_name"]) != header_key(scope.occupation_name)
        ):
            row.add(
                "occupation_name",
                # R-P4
                _("“%(value)s” is not the name of occupation %(code)s, which is “%(name)s”.")
                % {
                    "value": values["occupation_name"],
                    "code": code,
                    "name": scope.occupation_name,
                },
                "R-P4",
            )
        work_type = values["work_type_name"]
        if header_key(work_type) != header_key(scope.work_type_name):
            if scope.work_type_name and not work_type:
                reason = _(
                    # R-P4
                    "Required: this plan's filed occupation has the work type “%(expected)s”."
                ) % {"expected": scope.work_type_name}
            elif scope.work_type_name:
                reason = _(
                    # R-P4
                    "“%(value)s” is not the work type of this plan's filed occupation, which is "
                    "“%(expected)s”."
                ) % {"value": work_type, "expected": scope.work_type_name}
            else:
                reason = _(
                    # R-P4
                    "This plan's filed occupation has no work type; leave the column empty."
                )
            row.add("work_type_name", reason, "R-P4")
        level = values["level"]
        if level is not None and level not in scope.levels:
            row.add(
                "level",
                _(
                    # R-P4
                    "%(level)s is not one of this plan's levels in the approved scope: %(levels)s."
                )
                % {
                    "level": level_text(level, values.get("enterprise_level", "")),
                    "levels": levels_text,
                },
                "R-P4",
            )
    check_entrusted(rows, context)
    check_once_a_year(rows, context)


def _check_category_policy(row: RosterRow, context: RosterContext) -> None:
    category = row.values["category"]
    if category is None:
        return
    if category not in context.admitted_categories and context.social_org:
        row.add(
            "category",
            _(
                "%(category)s may not be assessed by a social training evaluation organisation, "
                "which assesses members of the public; admitted: %(admitted)s."
            )
            % {
                "category": CATEGORY_LABELS[category],
                "admitted": "、".join(
                    label
                    for value, label in CATEGORY_LABELS.items()
                    if value in context.admitted_categories
                ),
            },
            "R-M7",
        )
        return
    if category not in context.admitted_categories:
        row.add(
            "category",
            _(
                # R-P3
                "%(category)s may not be assessed under the policy of %(city)s; admitted: "
                "%(admitted)s."
            )
            % {
                "category": CATEGORY_LABELS[category],
                "city": context.city_name,
                "admitted": "、".join(
                    label
                    for value, label in CATEGORY_LABELS.items()
                    if value in context.admitted_categories
                ),
            },
            "R-P3",
        )
        return
    if category != "dispatched":
        return
    months = context.dispatched_min_months
    hired = row.values["hired_on"]
    if hired is None:
        if not any(p.header == COLUMN_OF["hired_on"] for p in row.problems):
            row.add(
                "hired_on",
                _(
                    # R-P3
                    "A dispatched worker needs 入职时间: dispatched workers may be assessed after "
                    "%(months)s months at the enterprise."
                )
                % {"months": months},
                "R-P3",
            )
        return
    if _add_months(hired, months) > context.reference_date:
        row.add(
            "hired_on",
            _(
                "%(hired)s is less than %(months)s months before %(date)s, the assessment date; "
                # R-P3
                "dispatched workers may be assessed after %(months)s months at the enterprise."
            )
            % {
                "hired": hired.isoformat(),
                "months": months,
                "date": context.reference_date.isoformat(),
            },
            "R-P3",
        )


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_once_a_year(rows: list[RosterRow], context: RosterContext) -> None:
    """R-P5a: one person, one certificate per occupation and level a year."""
    candidates = [row for row in rows if row.values["id_number"] and row.values["level"]]
    if not candidates:
        return
    prior = context.prior_entries([row.values["id_number"] for row in candidates])
    if not prior:
        return
    occupation = f"{context.scope.occupation_code} {context.scope.occupation_name}"
    for row in candidates:
        for level, title in prior.get(row.values["id_number"], []):
            if level == row.values["level"]:
                row.add(
                    "id_number",
                    _(
                        # R-P5a
                        "Already on the roster of “%(plan)s” of this enterprise for %(occupation)s"
                        " at %(level)s in %(year)s: one person, one certificate per occupation and"
                        " level a year."
                    )
                    % {
                        "plan": title,
                        "occupation": occupation,
                        "level": LEVEL_LABELS[level],
                        "year": context.year,
                    },
                    "R-P5a",
                )
                break
