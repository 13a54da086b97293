"""Reads of entrusted evaluation agreements, scoped to the user (STYLE.md rule 3).

enterprise → the agreements it evaluates under, and (once submitted) those it is the client of;
district, city, province → those of an enterprise of their area on either side, and those
filed with their bureau. Drafts stay with the evaluating enterprise.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import (
    AgreementStatus,
    EntrustedAgreement,
    ExamineeCategory,
    ResultBatch,
    RosterEntry,
)
from portal.core.models import Role
from portal.core.roles import member_area_q, membership_of


def agreement_list_for_user(*, user) -> QuerySet[EntrustedAgreement]:
    agreements = EntrustedAgreement.objects.select_related(
        "evaluator", "client", "evaluator_bureau", "client_bureau"
    )
    membership = membership_of(user)
    if membership is None:
        return agreements.none()
    submitted = ~Q(status=AgreementStatus.DRAFT)
    if membership.role == Role.ENTERPRISE:
        own = membership.enterprise_id
        return agreements.filter(Q(evaluator_id=own) | (Q(client_id=own) & submitted))
    evaluator_area = member_area_q(membership, "evaluator__district")
    if evaluator_area is None:
        return agreements.none()
    client_area = member_area_q(membership, "client__district")
    filed_here = Q(evaluator_bureau_id=membership.bureau_id) | Q(
        client_bureau_id=membership.bureau_id
    )
    return agreements.filter(submitted & (evaluator_area | client_area | filed_here)).distinct()


def agreement_todo_for_user(*, user) -> QuerySet[EntrustedAgreement]:
    """What waits for this user: the client's confirmation, a bureau's approval, the
    evaluating enterprise's correction."""
    membership = membership_of(user)
    agreements = agreement_list_for_user(user=user)
    if membership is None:
        return agreements.none()
    if membership.role == Role.ENTERPRISE:
        own = membership.enterprise_id
        return agreements.filter(
            Q(evaluator_id=own, status=AgreementStatus.RETURNED)
            | Q(client_id=own, status=AgreementStatus.AWAITING_CLIENT)
        ).order_by("updated_at")
    if membership.role in (Role.CITY, Role.PROVINCE):
        bureau = membership.bureau_id
        return agreements.filter(
            Q(evaluator_bureau_id=bureau, evaluator_bureau_approved_on__isnull=True)
            | Q(client_bureau_id=bureau, client_bureau_approved_on__isnull=True),
            status=AgreementStatus.AWAITING_BUREAUS,
        ).order_by("confirmed_at")
    return agreements.none()


def approved_agreements_of(*, evaluator_id: int, on: dt.date | None = None):
    """The evaluating enterprise's approved agreements (in force on `on` when given), with
    what a roster check needs of them."""
    agreements = EntrustedAgreement.objects.filter(
        evaluator_id=evaluator_id, status=AgreementStatus.APPROVED
    ).select_related("client")
    if on is not None:
        agreements = agreements.filter(valid_from__lte=on, valid_until__gte=on)
    return agreements.prefetch_related(
        "schemes__scope_line__occupation", "schemes__scope_line__work_type"
    )


def entrusted_entries_for_client(*, enterprise_id: int) -> QuerySet[RosterEntry]:
    """The client's staff evaluated by other enterprises under its agreements, newest first;
    `published` tells whether the evaluating enterprise has publicised the results (R-R1): the
    client reads a result no earlier than the public does."""
    published = ResultBatch.objects.filter(plan=OuterRef("plan"), published_on__isnull=False)
    return (
        RosterEntry.objects.filter(
            entrusted_client_id=enterprise_id, category=ExamineeCategory.ENTRUSTED
        )
        .annotate(published=Exists(published))
        .select_related("plan", "plan__enterprise")
        .order_by("-plan__created_at", "plan_id", "seq")
    )
