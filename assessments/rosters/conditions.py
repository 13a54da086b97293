"""The database side of the application conditions on the roster (seed 004 §三(一)(二)): what an
imported row keeps of them, what the preview and the reviewers' pages show apart (the
exceptional rows, the rows whose conditions could not be verified)."""

from collections.abc import Callable

from assessments.models import ImplementationPlan
from assessments.rosters.reader import ParsedRoster, RosterRow
from assessments.rosters.reader.rows import cell_text
from portal.core.masking import mask_id

ENTRY_FIELDS = {
    "prior_certificate_level": None,
    "prior_certificate_on": None,
    "training_hours": None,
    "exceptional": False,
    "exceptional_reason": "",
    "exceptional_evidence": "",
    "conditions_unverified": "",
}
SHOWN = 200


def condition_cells(row: RosterRow) -> list:
    """The row's cells of the optional condition columns, in the file's order (error report)."""
    return list(row.values.get("condition_cells", {}).values())


def entry_values(row: RosterRow) -> dict:
    """The fields of RosterEntry the condition check filled (their defaults when it did not)."""
    return {key: row.values.get(key, default) for key, default in ENTRY_FIELDS.items()}


def conditions_preview(
    parsed: ParsedRoster, *, name: int, id_number: int, short: Callable[[str], str]
) -> dict:
    """For the preview page: the rows that apply out of the ordinary (破格) and those whose
    conditions the reviewer must verify, each [row, name, masked ID, text]."""

    def who(row: RosterRow) -> list:
        return [
            row.row,
            short(cell_text(row.cells[name])),
            short(mask_id(cell_text(row.cells[id_number]))),
        ]

    exceptional = [row for row in parsed.rows if row.values.get("exceptional")]
    unverified = [row for row in parsed.rows if row.warnings]
    return {
        "exceptional_count": len(exceptional),
        "exceptional_rows": [
            [
                *who(row),
                short(row.values.get("exceptional_reason", "")),
                short(row.values.get("exceptional_evidence", "")),
            ]
            for row in exceptional[:SHOWN]
        ],
        "unverified_count": len(unverified),
        "unverified_rows": [
            [*who(row), short("；".join(w.message for w in row.warnings))]
            for row in unverified[:SHOWN]
        ],
    }


def preview_context(preview: dict) -> dict:
    return {
        "exceptional_count": preview.get("exceptional_count", 0),
        "exceptional_rows": [
            dict(zip(["row", "name", "id_number", "reason", "evidence"], item, strict=False))
            for item in preview.get("exceptional_rows", [])
        ],
        "unverified_count": preview.get("unverified_count", 0),
        "unverified_rows": [
            dict(zip(["row", "name", "id_number", "text"], item, strict=False))
            for item in preview.get("unverified_rows", [])
        ],
    }


def roster_conditions_context(plan: ImplementationPlan) -> dict:
    """For the roster and plan pages: the exceptional examinees listed apart, and those whose
    conditions the reviewer must verify."""
    entries = plan.roster.order_by("seq")
    return {
        "exceptional_entries": list(entries.filter(exceptional=True)[:SHOWN]),
        "exceptional_total": entries.filter(exceptional=True).count(),
        "unverified_entries": list(entries.exclude(conditions_unverified="")[:SHOWN]),
        "unverified_total": entries.exclude(conditions_unverified="").count(),
    }
