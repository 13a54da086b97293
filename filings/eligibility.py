"""The filing rules R-F1 … R-F4, R-F8, the bans of R-M2/R-M3 and the conditions of social training
evaluation organisations (R-M7), checked against a city's policy.

Each failed rule is a Problem with its rule id and a Chinese (translated) reason, so the
enterprise sees every reason at once rather than the first one.
"""

import datetime as dt
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filings.models import Enterprise, Filing, OccupationKind, StandardType
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


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (29 February counts from 28 February)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def organisation_problems(filing: Filing, policy: EffectivePolicy, today: dt.date) -> list[Problem]:
    """R-M7, seed 003 §二(一)2: a social training evaluation organisation's history and scale."""
    problems = []
    if not filing.business_scope.strip():
        problems.append(Problem(_("The business scope must be filled in."), rule="R-M7"))
    if not filing.good_credit:
        problems.append(Problem(_("The organisation must have a good credit record."), rule="R-M7"))
    if not filing.has_dedicated_staff:
        problems.append(Problem(_("Dedicated assessment staff must be in place."), rule="R-M7"))
    since = filing.evaluating_since
    if since is None:
        problems.append(
            Problem(_("Enter since when the organisation has trained and evaluated."), rule="R-M7")
        )
    elif years_between(since, today) < policy.org_min_history_years:
        problems.append(
            Problem(
                _(
                    "At least %(min)s consecutive years of training and evaluation are required; "
                    "since %(since)s that is %(n)s years."
                )
                % {
                    "min": policy.org_min_history_years,
                    "since": _d(since),
                    "n": years_between(since, today),
                },
                rule="R-M7",
            )
        )
    total = filing.training_total or 0
    if total < policy.org_min_training_total:
        problems.append(
            Problem(
                _(
                    "At least %(min)s person-times of training and evaluation in total are "
                    "required; %(n)s were declared."
                )
                % {"min": policy.org_min_training_total, "n": total},
                rule="R-M7",
            )
        )
    evaluated = filing.evaluation_total or 0
    if evaluated > total:
        problems.append(
            Problem(
                _(
                    "The evaluation person-times (%(evaluated)s) cannot exceed the training and "
                    "evaluation person-times in total (%(total)s)."
                )
                % {"evaluated": evaluated, "total": total},
                rule="R-M7",
            )
        )
    elif policy.org_min_evaluation_percent and evaluated * 100 < (
        policy.org_min_evaluation_percent * total
    ):
        share = f"{evaluated * 100 / total:.1f}" if total else "0"
        problems.append(
            Problem(
                _(
                    "Evaluation must be at least %(min)s%% of the training and evaluation "
                    "person-times; %(evaluated)s of %(total)s is %(share)s%%."
                )
                % {
                    "min": policy.org_min_evaluation_percent,
                    "evaluated": evaluated,
                    "total": total,
                    "share": share,
                },
                rule="R-M7",
            )
        )
    return problems


def organisation_line_problems(line, policy: EffectivePolicy) -> list[str]:
    """R-M7, seed 003 §二(一)2, §三(二): one scope line of a social training organisation."""
    problems = []
    if line.training_count < policy.org_min_occupation_training:
        problems.append(
            _(
                "at least %(min)s person-times of training and evaluation in this occupation are "
                "required; %(n)s were declared."
            )
            % {"min": policy.org_min_occupation_training, "n": line.training_count}
        )
    if policy.org_shortage_occupations_only:
        if line.occupation.code not in (policy.shortage_occupations or []):
            problems.append(
                _(
                    "only the shortage occupations the city publishes may be filed; "
                    "%(code)s is not on the list of %(city)s."
                )
                % {"code": line.occupation.code, "city": policy.city.name}
            )
        if line.standard_type != StandardType.NATIONAL:
            problems.append(_("the occupation needs a national occupational skill standard."))
    return problems


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
    organisation = filing.enterprise.is_social_org
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
        if organisation:
            for message in organisation_line_problems(line, policy):
                add("R-M7", message)
        elif not line.related_to_main_business:
            add(
                "R-F2",
                _("the occupation must relate to the main business or front-line production."),
            )
        if not organisation and line.workstations < policy.min_workstations:
            add(
                "R-F2",
                _("at least %(min)s workstations are required; %(n)s were declared.")
                % {"min": policy.min_workstations, "n": line.workstations},
            )
        if not organisation and line.examiners < policy.min_examiners:
            add(
                "R-F2",
                _("at least %(min)s examiners are required; %(n)s were declared.")
                % {"min": policy.min_examiners, "n": line.examiners},
            )
        if not organisation and line.applicants < policy.min_applicants:
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
    if enterprise.is_social_org:
        problems += organisation_problems(filing, policy, today)
    else:
        problems += enterprise_problems(filing, policy)
    problems += scope_line_problems(filing, policy)
    problems += material_problems(filing, policy)
    return problems
