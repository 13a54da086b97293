"""The filing rules R-F1 … R-F4, R-F8 and the bans of R-M2/R-M3, checked against a city's policy.

Each failed rule is a Problem with its rule id and a Chinese (translated) reason, so the
enterprise sees every reason at once rather than the first one.
"""

import datetime as dt
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filings.models import Enterprise, Filing, OccupationKind
from portal.core.errors import Problem
from portal.core.models import ENTERPRISE_SIZE_RANK, EnterpriseSize
from portal.core.policy import EffectivePolicy, effective_policy
from portal.core.windows import window_problem


def policy_for(enterprise: Enterprise) -> EffectivePolicy:
    """The policy in force where the enterprise is registered (its district and above)."""
    return effective_policy(enterprise.district)


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def active_ban(enterprise: Enterprise, today: dt.date):
    """R-M2, R-M3: the sanction whose ban is still running, the longest first."""
    return enterprise.sanctions.filter(ban_until__gte=today).order_by("-ban_until").first()


def ban_problems(enterprise: Enterprise, today: dt.date) -> list[Problem]:
    sanction = active_ban(enterprise, today)
    if sanction is None:
        return []
    rule = "R-M2" if sanction.kind == "cancelled" else "R-M3"
    return [
        Problem(
            _(
                "The enterprise was sanctioned on %(date)s (%(kind)s: %(reason)s) and may not "
                "file again until %(until)s."
            )
            % {
                "date": _d(sanction.decided_on),
                "kind": sanction.get_kind_display(),
                "reason": sanction.reason,
                "until": _d(sanction.ban_until),
            },
            rule=rule,
        )
    ]


def window_problems(enterprise: Enterprise, today: dt.date) -> list[Problem]:
    """R-F4: outside every window the enterprise is told when the next one opens."""
    message = window_problem(enterprise.district, today)
    return [Problem(message, rule="R-F4")] if message else []


def enterprise_problems(filing: Filing, policy: EffectivePolicy) -> list[Problem]:
    """R-F1: the enterprise as a whole."""
    problems = []
    if not filing.independent_legal_person:
        problems.append(
            Problem(_("The enterprise must be an independent legal person."), rule="R-F1")
        )
    scope = filing.business_scope or ""
    if not scope.strip():
        problems.append(Problem(_("The business scope must be filled in."), rule="R-F1"))
    hits = [word for word in policy.excluded_scope_keywords if word and word in scope]
    if hits:
        problems.append(
            Problem(
                _(
                    "The business scope must not include training, evaluation or consulting; "
                    "it mentions: %(words)s."
                )
                % {"words": "、".join(hits)},
                rule="R-F1",
            )
        )
    if not filing.good_credit:
        problems.append(Problem(_("The enterprise must have a good credit record."), rule="R-F1"))
    insured = filing.insured_employees or 0
    if insured < policy.min_insured_employees:
        problems.append(
            Problem(
                _("At least %(min)s insured employees are required; %(n)s were declared.")
                % {"min": policy.min_insured_employees, "n": insured},
                rule="R-F1",
            )
        )
    required_rank = ENTERPRISE_SIZE_RANK.get(policy.size_rule, 0)
    if ENTERPRISE_SIZE_RANK.get(filing.enterprise_size, 0) < required_rank:
        problems.append(
            Problem(
                _("The enterprise must be of size %(size)s or larger.")
                % {"size": EnterpriseSize(policy.size_rule).label},
                rule="R-F1",
            )
        )
    if not filing.has_pay_linkage:
        problems.append(
            Problem(_("Rules linking skill grades to pay must be in place."), rule="R-F1")
        )
    if not filing.has_dedicated_staff:
        problems.append(Problem(_("Dedicated assessment staff must be in place."), rule="R-F1"))
    return problems


# Seed 004 附件1, 一 and the cover: who applies, who is in charge, who fills the form in.
APPLICATION_FORM_FIELDS = [
    "registration_authority",
    "principal_name",
    "principal_title",
    "principal_phone",
    "contact_title",
    "contact_mobile",
    "filled_in_by",
    "filler_phone",
]
# Mainland mobile numbers: 11 digits, 1 then 3–9 (seed 004 附件1, 联系人手机).
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def application_form_problems(filing: Filing) -> list[Problem]:
    """Seed 004 附件1: the application form's basic information is complete (a draft saved
    before the form asked for it may lack some)."""
    problems = []
    for name in APPLICATION_FORM_FIELDS:
        label = Filing._meta.get_field(name).verbose_name
        value = (getattr(filing, name) or "").strip()
        if not value:
            problems.append(
                Problem(
                    _("“%(field)s” of the application form is not filled in.") % {"field": label},
                    rule="R-F8",
                )
            )
        elif name == "contact_mobile" and not MOBILE_PATTERN.match(value):
            problems.append(Problem(mobile_error(label, value), rule="R-F8"))
    return problems


def mobile_error(label, value: str) -> str:
    return _(
        "“%(field)s” must be a mainland mobile number: 11 digits starting with 13–19; "
        "“%(value)s” is not."
    ) % {"field": label, "value": value}


def pledge_problem(enterprise: Enterprise) -> Problem:
    return Problem(
        _(
            "Tick the pledge of the applicant: the legal representative %(name)s answers for "
            "the truth and validity of what is filled in and provided."
        )
        % {"name": enterprise.legal_representative},
        rule="R-F8",
    )


def scope_line_problems(filing: Filing, policy: EffectivePolicy) -> list[Problem]:
    """R-F2 and R-F3, per scope line."""
    lines = list(filing.scope_lines.select_related("occupation", "work_type"))
    if not lines:
        return [Problem(_("Add at least one occupation to the scope."), rule="R-F3")]
    with_work_types = set(
        filing.scope_lines.filter(occupation__work_types__isnull=False).values_list(
            "occupation_id", flat=True
        )
    )
    problems = []
    for line in lines:
        label = f"{line.occupation.code} {line.occupation.name}"
        if line.work_type:
            label += f"（{line.work_type.name}）"

        def add(rule: str, message: str, label: str = label) -> None:
            problems.append(Problem(f"{label}: {message}", rule=rule))

        if line.occupation.kind != OccupationKind.SKILL:
            add("R-F2", _("only skill-type occupations of the national classification qualify."))
        if line.occupation.access_type:
            add("R-F2", _("access-type qualifications cannot be self-assessed."))
        if not line.related_to_main_business:
            add(
                "R-F2",
                _("the occupation must relate to the main business or front-line production."),
            )
        if line.workstations < policy.min_workstations:
            add(
                "R-F2",
                _("at least %(min)s workstations are required; %(n)s were declared.")
                % {"min": policy.min_workstations, "n": line.workstations},
            )
        if line.examiners < policy.min_examiners:
            add(
                "R-F2",
                _("at least %(min)s examiners are required; %(n)s were declared.")
                % {"min": policy.min_examiners, "n": line.examiners},
            )
        if line.applicants < policy.min_applicants:
            add(
                "R-F2",
                _("at least %(min)s employees must apply; %(n)s were declared.")
                % {"min": policy.min_applicants, "n": line.applicants},
            )
        if not line.levels:
            add("R-F3", _("choose at least one level."))
        if line.work_type is None and line.occupation_id in with_work_types:
            add("R-F3", _("this occupation has work types; choose one."))
    return problems


def material_problems(filing: Filing, policy: EffectivePolicy) -> list[Problem]:
    """R-F8: every material the city requires is uploaded."""
    present = set(filing.materials.values_list("kind", flat=True))
    return [
        Problem(_("Missing material: %(kind)s.") % {"kind": item.name}, rule="R-F8")
        for item in policy.material_items
        if item.required and item.kind not in present
    ]


def submission_problems(filing: Filing, today: dt.date) -> list[Problem]:
    """Everything that stands between this filing and its submission."""
    enterprise = filing.enterprise
    problems = ban_problems(enterprise, today)
    if enterprise.status != "active":
        problems.append(
            Problem(
                _("The enterprise account has not been activated by its district bureau yet."),
                rule="R-F5",
            )
        )
    policy = policy_for(enterprise)
    problems += window_problems(enterprise, today)
    problems += application_form_problems(filing)
    problems += enterprise_problems(filing, policy)
    problems += scope_line_problems(filing, policy)
    problems += material_problems(filing, policy)
    return problems
