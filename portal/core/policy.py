"""The policy in force for a bureau: the values of its own level and the levels above it.

Bureaus form province → city → district (a municipality is a city with nobody above it). Each
level may keep a `Policy` row; a value left empty there is inherited. A level's value counts only
where every level above it delegates that value: a province delegates everything unless it says
otherwise, a city nothing. Where no level sets a value the portal's default applies, which for
every threshold is "no minimum" (a new jurisdiction never inherits another city's rule).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.checklists import no_checklist
from portal.core.models import (
    Bureau,
    BureauLevel,
    Policy,
    default_excluded_scope_keywords,
    default_required_materials,
)

# The values a Policy row carries, with the value in force where no level sets one.
DEFAULTS: dict[str, Any] = {
    "min_insured_employees": 0,
    "min_enterprise_size": "none",
    "excluded_scope_keywords": default_excluded_scope_keywords(),
    "min_workstations": 0,
    "min_examiners": 0,
    "min_applicants": 0,
    "org_min_history_years": 0,
    "org_min_training_total": 0,
    "org_min_occupation_training": 0,
    "org_min_evaluation_percent": 0,
    "org_shortage_occupations_only": False,
    "shortage_occupations": [],
    "filing_open_all_year": False,
    "district_prereview": True,
    "review_working_days": 20,
    "correction_working_days": 10,
    "filing_validity_years": 3,
    "filing_confirmation": False,
    "required_materials": default_required_materials(),
    "plan_lead_working_days": 10,
    "min_plan_examiners": 1,
    "examinee_categories": ["employee"],
    "dispatched_min_months": 12,
    "publicity_working_days": 5,
    "result_filing_working_days": 15,
    "results_province_review": False,
    "removal_decided_by_province": False,
    "entrusted_agreement_approved_by_province": False,
    "annual_report_due": None,  # settings.ANNUAL_REPORT_DUE
    "expert_checklist": no_checklist(),
}
VALUE_NAMES: tuple[str, ...] = tuple(DEFAULTS)

# Powers a level may hand to the level below, beside the values.
POWERS: dict[str, Any] = {
    "application_windows": _("Set its own application windows inside this level's"),
    "random_draws": _("Draw random inspections among its own enterprises"),
}
DELEGABLE: tuple[str, ...] = (*VALUE_NAMES, *POWERS)

# Values that only mean something at a level with a level below it, or above the city.
PROVINCE_ONLY = frozenset(
    {
        "results_province_review",
        "removal_decided_by_province",
        "entrusted_agreement_approved_by_province",
    }
)


def default_delegation(level: str) -> frozenset[str]:
    """What a level hands down when it never said: a province lets its cities decide."""
    return frozenset(DELEGABLE) if level == BureauLevel.PROVINCE else frozenset()


@dataclass
class EffectivePolicy:
    """The values in force at `bureau`, each with the bureau that set it (None: the default)."""

    bureau: Bureau
    values: dict[str, Any]
    source: dict[str, Bureau | None]
    # What `bureau` itself may set, and what it may hand further down.
    settable: frozenset[str]
    powers: frozenset[str] = field(default_factory=frozenset)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def city(self) -> Bureau | None:
        return self.bureau.city

    @property
    def material_items(self) -> list:
        """R-F8: the jurisdiction's materials, each with its name and whether it is required."""
        from portal.core.materials import material_items

        return material_items(self.values["required_materials"])

    @property
    def size_rule(self) -> str:
        """The minimum size as a rank key ("" for no minimum)."""
        size = self.values["min_enterprise_size"]
        return "" if size in (None, "none") else size

    @property
    def size_label(self) -> str:
        from portal.core.models import EnterpriseSize

        return str(EnterpriseSize(self.size_rule).label) if self.size_rule else ""

    @property
    def annual_report_month_day(self) -> tuple[int, int]:
        from portal.env import check_month_day

        value = self.values["annual_report_due"] or settings.ANNUAL_REPORT_DUE
        return check_month_day("ANNUAL_REPORT_DUE", value)

    def annual_report_due_on(self, year: int) -> dt.date:
        month, day = self.annual_report_month_day
        return dt.date(year, month, day)


def effective_policy(bureau: Bureau, rows: dict[int, Policy] | None = None) -> EffectivePolicy:
    """The policy in force at `bureau`. `rows` (bureau id → Policy) spares the queries when a
    caller resolves many bureaus at once."""
    chain = bureau.chain()
    if rows is None:
        rows = {row.bureau_id: row for row in Policy.objects.filter(bureau__in=chain)}
    values = dict(DEFAULTS)
    source: dict[str, Bureau | None] = dict.fromkeys(DEFAULTS)
    allowed = frozenset(DELEGABLE)
    for level in chain:
        row = rows.get(level.pk)
        settable = allowed
        if row is not None:
            for name in VALUE_NAMES:
                value = getattr(row, name)
                if value is not None and name in allowed:
                    values[name] = value
                    source[name] = level
            handed = frozenset(row.delegated) if row.delegated is not None else None
        else:
            handed = None
        if handed is None:
            handed = default_delegation(level.level)
        allowed = allowed & handed
    powers = frozenset(name for name in POWERS if name in settable)
    return EffectivePolicy(
        bureau=bureau, values=values, source=source, settable=settable, powers=powers
    )


def policy_of_bureau(bureau: Bureau) -> EffectivePolicy:
    return effective_policy(bureau)


def policies_by_bureau(bureaus) -> dict[int, EffectivePolicy]:
    """The effective policy of each bureau in `bureaus`, reading every Policy row once."""
    bureaus = list(bureaus)
    ids = set()
    for bureau in bureaus:
        ids.update(level.pk for level in bureau.chain())
    rows = {row.bureau_id: row for row in Policy.objects.filter(bureau_id__in=ids)}
    return {bureau.pk: effective_policy(bureau, rows) for bureau in bureaus}


def policy_row(bureau: Bureau) -> Policy:
    """The bureau's own row (made empty when it has none: everything inherited)."""
    row, _created = Policy.objects.get_or_create(bureau=bureau)
    return row
