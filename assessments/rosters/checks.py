"""The database side of the roster checks (R-P3 … R-P5a): what a plan's rows are checked
against, and the check of a file for a plan."""

import datetime as dt
from collections import defaultdict

from django.db.models import Min
from django.utils import timezone

from assessments.agreements.selectors import approved_agreements_of
from assessments.models import (
    ImplementationPlan,
    RosterEntry,
)
from assessments.plans.selectors import first_session_date
from assessments.rosters.reader import (
    ParsedRoster,
    RosterContext,
    Scope,
    WorkbookInfo,
    read_roster,
)
from assessments.rosters.reader.entrusted import AgreementCover
from assessments.schemes.conditions import scheme_routes
from filings.eligibility import policy_for
from portal.core.crypto import id_digest
from portal.core.policy_fields import ORG_EXAMINEE_CATEGORIES

_ID_QUERY_BATCH = 2000


def plan_year(plan: ImplementationPlan, first_session: dt.date | None = None) -> int:
    """R-P5a: the year of a plan is that of its first session, else of its creation."""
    if first_session is not None:
        return first_session.year
    return timezone.localtime(plan.created_at).year


def roster_context(plan: ImplementationPlan) -> RosterContext:
    line = plan.scheme.scope_line
    policy = policy_for(plan.enterprise)
    first_session = first_session_date(plan)
    year = plan_year(plan, first_session)
    # R-P4: the plan's levels, never beyond the filed scope line.
    levels = set(line.levels)
    if plan.levels:
        levels &= {int(level) for level in plan.levels}
    scope = Scope(
        occupation_code=line.occupation.code,
        occupation_name=line.occupation.name,
        work_type_name=line.work_type.name if line.work_type else "",
        levels=frozenset(levels),
    )

    def prior_entries(id_numbers: list[str]) -> dict[str, list[tuple[int, str]]]:
        return _prior_entries(
            plan=plan, occupation_code=scope.occupation_code, year=year, ids=id_numbers
        )

    return RosterContext(
        scope=scope,
        admitted_categories=admitted_categories(plan.enterprise, policy),
        dispatched_min_months=policy.dispatched_min_months,
        reference_date=first_session or timezone.localdate(),
        city_name=policy.city.name,
        year=year,
        prior_entries=prior_entries,
        level_names=dict(
            plan.scheme.level_mappings.values_list("enterprise_level", "national_level")
        ),
        application_routes=scheme_routes(plan.scheme),
        social_org=plan.enterprise.is_social_org,
        entrusted_agreements=entrusted_covers(plan.enterprise_id),
    )


def entrusted_covers(enterprise_id: int) -> tuple[AgreementCover, ...]:
    """Seed 004 §一(二): what the enterprise's approved entrusted evaluation agreements allow."""
    return tuple(
        AgreementCover(
            client_id=agreement.client_id,
            client_name=agreement.client.name,
            client_credit_code=agreement.client.credit_code.upper(),
            occupations=frozenset(
                (
                    scheme.scope_line.occupation.code,
                    scheme.scope_line.work_type.name if scheme.scope_line.work_type else "",
                )
                for scheme in agreement.schemes.all()
            ),
            levels=frozenset(int(level) for level in agreement.levels),
            valid_from=agreement.valid_from,
            valid_until=agreement.valid_until,
        )
        for agreement in approved_agreements_of(evaluator_id=enterprise_id)
    )


def admitted_categories(enterprise, policy) -> frozenset[str]:
    """R-P3 by the city's policy for an enterprise; R-M7: a social training evaluation
    organisation assesses members of the public and its own technical-college students."""
    if enterprise.is_social_org:
        return ORG_EXAMINEE_CATEGORIES
    return frozenset(policy.examinee_categories or []) - ORG_EXAMINEE_CATEGORIES


def _prior_entries(
    *, plan: ImplementationPlan, occupation_code: str, year: int, ids: list[str]
) -> dict[str, list[tuple[int, str]]]:
    """R-P5a: entries of the enterprise's other plans of the year for the same occupation.

    Found by the keyed hash of the ID number (the number itself is encrypted at rest)."""
    found: list[tuple[str, int, int]] = []
    numbers = {id_digest(number): number for number in set(ids)}
    unique = sorted(numbers)
    for start in range(0, len(unique), _ID_QUERY_BATCH):
        chunk = unique[start : start + _ID_QUERY_BATCH]
        found += (
            RosterEntry.objects.filter(
                plan__enterprise_id=plan.enterprise_id,
                occupation_code=occupation_code,
                id_hash__in=chunk,
            )
            .exclude(plan_id=plan.pk)
            .values_list("id_hash", "level", "plan_id")
        )
    if not found:
        return {}
    plans = {
        other.pk: other
        for other in ImplementationPlan.objects.filter(
            pk__in={plan_id for _id, _level, plan_id in found}
        ).annotate(first_session=Min("sessions__date"))
    }
    prior: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for digest, level, plan_id in found:
        other = plans[plan_id]
        if plan_year(other, other.first_session) == year:
            prior[numbers[digest]].append((level, other.title))
    return prior


def roster_check(
    *, plan: ImplementationPlan, data: bytes, info: WorkbookInfo | None = None, progress=None
) -> ParsedRoster:
    """Every rule of R-P3, R-P4, R-P5, R-P5a on the file; raises RosterFileError if unreadable."""
    return read_roster(data, roster_context(plan), info=info, progress=progress)
