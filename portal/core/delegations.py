"""Experts delegated to evaluate one object (a filing, a scheme): a row per expert holding their
opinion, and the django-guardian object permission that scopes what they see."""

from guardian.shortcuts import assign_perm, remove_perm


def delegate_experts(*, obj, experts, actor, assignments, perm: str) -> list[str]:
    """Assign each expert not yet assigned; returns the names of those newly assigned.

    `assignments` is the related manager of the object's assignment rows (filing.expert_assignments,
    scheme.reviews); `perm` the object permission, e.g. "filings.evaluate_filing".
    """
    names = []
    for expert in experts:
        _row, created = assignments.get_or_create(expert=expert, defaults={"assigned_by": actor})
        if created:
            assign_perm(perm, expert, obj)
            names.append(expert.membership.full_name or expert.username)
    return names


def end_delegations(*, obj, assignments, perm: str) -> None:
    """The experts judged a version that is being returned: their rows and access end."""
    for row in assignments.select_related("expert"):
        remove_perm(perm, row.expert, obj)
        row.delete()
