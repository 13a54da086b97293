"""What each policy value is called, what kind of value it takes and how it reads on a page.

The settings form, the settings page, the preset confirmation and the audit notes all read this
table, so a value is labelled and shown the same way everywhere. The labels of the examinee
categories repeat those of assessments' ExamineeCategory (portal.core may not import it); the
test tests/core/test_policy_settings.py keeps the two tables equal.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import checklists
from portal.core.materials import items_shown
from portal.core.models import Bureau, BureauLevel, EnterpriseSize, MaterialKind
from portal.core.policy import PROVINCE_ONLY, VALUE_NAMES, EffectivePolicy

INT, BOOL, SIZE, KEYWORDS, MATERIALS, CATEGORIES, MONTH_DAY, CHECKLIST = (
    "int",
    "bool",
    "size",
    "keywords",
    "materials",
    "categories",
    "month_day",
    "checklist",
)
LISTS = frozenset({KEYWORDS, MATERIALS, CATEGORIES})
MONTH_DAY_PATTERN = re.compile(r"^(\d{2})-(\d{2})$")

# R-P3: assessments.models.ExamineeCategory, same values and words.
EXAMINEE_CATEGORIES: tuple[tuple[str, Any], ...] = (
    ("employee", gettext_lazy("Insured employee of the enterprise")),
    ("affiliated", gettext_lazy("Employee of an affiliated enterprise in the city")),
    ("dispatched", gettext_lazy("Dispatched worker (after 1 year at the enterprise)")),
    ("student", gettext_lazy("School-enterprise cooperation student")),
    ("apprentice", gettext_lazy("Apprentice")),
    ("outsourced", gettext_lazy("Outsourced worker")),
    ("entrusted", gettext_lazy("Employee of another enterprise (entrusted evaluation)")),
    ("public", gettext_lazy("Member of the public")),
    ("college", gettext_lazy("Student of the technical college")),
)
# R-M7: the examinees of a social training evaluation organisation, never a city's choice for
# enterprises.
ORG_EXAMINEE_CATEGORIES = frozenset({"public", "college"})

# The notices the presets cite, as a clerk knows them (presets.source_of gives "seed 001 §…").
NOTICES: dict[str, Any] = {
    "seed 000": gettext_lazy("Pingshan district notice"),
    "seed 001": gettext_lazy("Shenzhen notice"),
    "seed 002": gettext_lazy("Beijing notice 京人社职鉴发〔2020〕3号"),
    "seed 003": gettext_lazy("Foshan notice"),
    "seed 004": gettext_lazy("Shandong notice (泰人社函〔2020〕16号)"),
}


@dataclass(frozen=True)
class ValueField:
    name: str
    label: Any
    kind: str
    min_value: int | None = None
    max_value: int | None = None
    # For a list typed as text: how to write it, instead of the keywords' example, and the
    # pattern each item must match.
    example: Any = None
    pattern: str = ""


FIELDS: dict[str, ValueField] = {
    field.name: field
    for field in (
        ValueField(
            "min_insured_employees",
            # R-F1
            gettext_lazy("Minimum insured employees"),
            INT,
            0,
            1_000_000,
        ),
        # R-F1
        ValueField("min_enterprise_size", gettext_lazy("Minimum enterprise size"), SIZE),
        ValueField(
            "excluded_scope_keywords",
            # R-F1
            gettext_lazy("Business scope keywords that exclude an enterprise"),
            KEYWORDS,
        ),
        ValueField(
            "min_workstations",
            # R-F2
            gettext_lazy("Minimum workstations per occupation"),
            INT,
            0,
            10_000,
        ),
        ValueField(
            # R-F2
            "min_examiners",
            gettext_lazy("Minimum examiners per occupation"),
            INT,
            0,
            10_000,
        ),
        ValueField(
            "min_applicants",
            # R-F2
            gettext_lazy("Minimum applying employees per occupation"),
            INT,
            0,
            1_000_000,
        ),
        ValueField(
            "org_min_history_years",
            gettext_lazy("Social training evaluation organisations: minimum years of history"),
            INT,
            0,
            100,
        ),
        ValueField(
            "org_min_training_total",
            gettext_lazy(
                "Social training evaluation organisations: minimum training and evaluation "
                "person-times in total"
            ),
            INT,
            0,
            100_000_000,
        ),
        ValueField(
            "org_min_occupation_training",
            gettext_lazy(
                "Social training evaluation organisations: minimum person-times per occupation"
            ),
            INT,
            0,
            100_000_000,
        ),
        ValueField(
            "org_min_evaluation_percent",
            gettext_lazy(
                "Social training evaluation organisations: minimum share of evaluation (%)"
            ),
            INT,
            0,
            100,
        ),
        ValueField(
            "org_shortage_occupations_only",
            gettext_lazy(
                "Social training evaluation organisations file only shortage occupations with a "
                "national standard"
            ),
            BOOL,
        ),
        ValueField(
            "shortage_occupations",
            gettext_lazy("Shortage occupations published by the city (occupation codes)"),
            KEYWORDS,
            example=gettext_lazy(
                "Separate the occupation codes with 、 or commas, e.g. 6-18-01-01、4-07-05-04."
            ),
            pattern=r"\d-\d{2}-\d{2}-\d{2}",
        ),
        ValueField(
            "filing_open_all_year", gettext_lazy("Filing applications accepted all year"), BOOL
        ),
        ValueField(
            "district_prereview",
            # R-F5
            gettext_lazy("District bureaus pre-review filings of their enterprises"),
            BOOL,
        ),
        ValueField(
            # R-F6
            "review_working_days",
            gettext_lazy("Review period in working days"),
            INT,
            1,
            250,
        ),
        ValueField(
            "correction_working_days",
            # R-F7
            gettext_lazy("Correction period in working days"),
            INT,
            1,
            250,
        ),
        ValueField(
            # R-F7
            "filing_validity_years",
            gettext_lazy("Filing validity in years"),
            INT,
            1,
            10,
        ),
        ValueField(
            "filing_confirmation",
            gettext_lazy("A second officer confirms and publishes each filing decision"),
            BOOL,
        ),
        ValueField(
            "required_materials",
            # R-F8
            gettext_lazy("Filing materials, required or optional"),
            MATERIALS,
        ),
        ValueField(
            "plan_lead_working_days",
            gettext_lazy("Working days an implementation plan must reach the bureau in advance"),
            INT,
            1,
            250,
        ),
        ValueField(
            "min_plan_examiners",
            gettext_lazy("Minimum examiners per implementation plan"),
            INT,
            1,
            1_000,
        ),
        ValueField("examinee_categories", gettext_lazy("Who may be assessed"), CATEGORIES),
        ValueField(
            "dispatched_min_months",
            gettext_lazy("Months a dispatched worker must have worked at the enterprise"),
            INT,
            0,
            120,
        ),
        ValueField(
            "publicity_working_days",
            gettext_lazy("Publicity period of results in working days"),
            INT,
            1,
            250,
        ),
        ValueField(
            "result_filing_working_days",
            gettext_lazy("Working days after the publicity to file the results"),
            INT,
            1,
            250,
        ),
        ValueField(
            "results_province_review",
            gettext_lazy("The provincial centre reviews results after the city"),
            BOOL,
        ),
        ValueField(
            "removal_decided_by_province",
            gettext_lazy("The province decides removals and bans on the city's report"),
            BOOL,
        ),
        ValueField(
            "entrusted_agreement_approved_by_province",
            gettext_lazy("The provincial centre approves entrusted evaluation agreements"),
            BOOL,
        ),
        ValueField(
            "annual_report_due", gettext_lazy("Annual report due date (month-day)"), MONTH_DAY
        ),
        ValueField(
            "expert_checklist",
            gettext_lazy("Items the experts score, with their points"),
            CHECKLIST,
        ),
    )
}
assert tuple(FIELDS) == VALUE_NAMES, "every policy value needs its row here"

POWER_LABELS: dict[str, Any] = {
    "application_windows": gettext_lazy("Its own application windows inside this level's"),
    "random_draws": gettext_lazy("Random inspections among its own enterprises"),
}


def material_choices() -> list[tuple[str, str]]:
    """Every kind of material, "other" (其他材料) too: a jurisdiction may require it."""
    return list(MaterialKind.choices)


def choices_of(kind: str) -> list[tuple[str, Any]]:
    if kind == MATERIALS:
        return material_choices()
    if kind == CATEGORIES:
        return [
            (key, label) for key, label in EXAMINEE_CATEGORIES if key not in ORG_EXAMINEE_CATEGORIES
        ]
    if kind == SIZE:
        return [("none", gettext_lazy("No minimum")), *EnterpriseSize.choices]
    return []


def owns_province_values(bureau: Bureau) -> bool:
    """A province, or a municipality (a city with nobody above it)."""
    return bureau.level == BureauLevel.PROVINCE or bureau.is_municipality


def shown_names(bureau: Bureau) -> list[str]:
    """The values shown at `bureau`: province-only ones only at the top of a jurisdiction."""
    top = owns_province_values(bureau)
    return [name for name in VALUE_NAMES if top or name not in PROVINCE_ONLY]


def check_month_day(value: str) -> str | None:
    """The "MM-DD" value when it is a day every year has (so not 02-29), else None."""
    import datetime as dt

    match = MONTH_DAY_PATTERN.match(value.strip())
    if not match:
        return None
    try:
        dt.date(2023, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None
    return value.strip()


def shown(name: str, value: Any) -> str:
    """The value as a page shows it; None reads "inherited" (an empty own value)."""
    if value is None:
        return _("inherited")
    kind = FIELDS[name].kind
    if kind == BOOL:
        return _("Yes") if value else _("No")
    if kind == MATERIALS:
        return items_shown(value) or "—"
    if kind in (SIZE, CATEGORIES):
        labels = {key: str(label) for key, label in choices_of(kind)}
        if kind == SIZE:
            return labels.get(value or "none", value)
        return "、".join(labels.get(item, item) for item in value) or "—"
    if kind == KEYWORDS:
        return "、".join(value) or "—"
    if kind == CHECKLIST:
        return checklists.summary(value)
    return str(value)


def in_force(policy: EffectivePolicy, name: str) -> Any:
    """The value in force, the annual report's default day filled in."""
    value = policy.values[name]
    if name == "annual_report_due" and value is None:
        return settings.ANNUAL_REPORT_DUE
    if name == "min_enterprise_size" and value is None:
        return "none"
    return value


def set_by(policy: EffectivePolicy, name: str) -> str:
    """Who set the value in force: "Set by 广东省" or "Portal default"."""
    source = policy.source.get(name)
    if source is None:
        return _("Portal default")
    return _("Set by %(bureau)s") % {"bureau": source.name}


def citation(source: str) -> str:
    """ "seed 001 §一(一)(2)" as a clerk reads it: the notice's name and its section."""
    for key, notice in NOTICES.items():
        if source.startswith(key):
            return f"{notice} {source[len(key) :].strip()}".strip()
    return source


@dataclass(frozen=True)
class ValueRow:
    """One value on the settings page: label, value in force, who set it, the notice."""

    name: str
    label: Any
    value: str
    set_by: str
    settable: bool
    source: str


def value_rows(bureau: Bureau, policy: EffectivePolicy) -> list[ValueRow]:
    from portal.core.presets import source_of

    return [
        ValueRow(
            name=name,
            label=FIELDS[name].label,
            value=shown(name, in_force(policy, name)),
            set_by=set_by(policy, name),
            settable=name in policy.settable,
            source=citation(source_of(bureau, name)),
        )
        for name in shown_names(bureau)
    ]


# Seed 002: Beijing is a municipality; Shenzhen's and Foshan's notices are those of a city under
# a province.
MUNICIPAL_PRESETS = frozenset({"beijing"})


def presets_offered(level: str, *, municipality: bool = False) -> list:
    """The presets for a bureau of `level` (a municipality, or a city under a province)."""
    from portal.core.presets import presets_for

    return [
        preset
        for preset in presets_for(level)
        if level != BureauLevel.CITY or (preset.key in MUNICIPAL_PRESETS) == municipality
    ]


def presets_for_bureau(bureau: Bureau) -> list:
    return presets_offered(bureau.level, municipality=bureau.is_municipality)
