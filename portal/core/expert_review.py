"""Expert review, one module for every object experts evaluate (a filing on site, R-F6; an
evaluation scheme, R-S5): the bureau assigns experts, each gets a row for their opinion and the
django-guardian object permission that scopes what they see, and the object moves to its review
status; each expert then records their own opinion. The pages share
templates/core/_expert_opinions.html."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.workflow import bump, locked, transition


class ExpertOpinion(models.Model):
    """One expert assigned to evaluate one object, and the opinion they give. A concrete model
    adds the object's foreign key, `expert` (with its related name) and `recommendation` (with
    its choices)."""

    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    score = models.PositiveSmallIntegerField(gettext_lazy("score"), null=True, blank=True)
    opinion = models.TextField(gettext_lazy("opinion"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["assigned_at", "id"]


def delegate_experts(*, obj, experts, actor, assignments, perm: str) -> list[str]:
    """Assign each expert not yet assigned; returns the names of those newly assigned.

    `assignments` is the related manager of the object's opinion rows (filing.expert_assignments,
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


def _lock(subject, statuses):
    return locked(subject, statuses=statuses)


@transaction.atomic
def experts_assign(
    *,
    subject,
    actor,
    experts: list,
    assignments: str,
    perm: str,
    waiting: str,
    reviewing: str,
    action: str,
    none_chosen: str,
    lock=_lock,
):
    """Sends `experts` to evaluate `subject`, which waits in status `waiting` (it moves to
    `reviewing`) or is already under review (more experts join). `assignments` names the
    subject's related manager of opinion rows; `lock(subject, statuses)` reads the subject's row
    again, locked, with its own related rows and refusal wording."""
    subject = lock(subject, [waiting, reviewing])
    if not experts:
        raise ServiceError(none_chosen)
    names = delegate_experts(
        obj=subject,
        experts=experts,
        actor=actor,
        assignments=getattr(subject, assignments),
        perm=perm,
    )
    note = _("Experts assigned: %(names)s") % {"names": "、".join(names)}
    if subject.status == waiting:
        transition(subject, actor=actor, to=reviewing, action=action, note=note)
    elif names:
        bump(subject)
        audit_record(obj=subject, actor=actor, action=action, note=note)
    return subject


@transaction.atomic
def opinion_record(
    *,
    subject,
    row: ExpertOpinion,
    actor,
    reviewing: str,
    values: dict,
    action: str,
    lock=_lock,
    detail: str = "",
) -> ExpertOpinion:
    """The assigned expert's own opinion on `subject` (under review in status `reviewing`):
    `values` are the opinion's fields; the subject's version grows and the audit row keeps the
    score, the recommendation and the opinion (and `detail`, e.g. the item scores). `lock` as for
    `experts_assign`."""
    subject = lock(subject, [reviewing])
    row = type(row)._default_manager.select_for_update().get(pk=row.pk)
    if row.expert_id != actor.pk:
        raise ServiceError(_("Only the assigned expert can give this opinion."))
    for field, value in values.items():
        setattr(row, field, value)
    row.submitted_at = timezone.now()
    row.save(update_fields=[*values, "submitted_at"])
    bump(subject)
    note = f"{row.score} {row.get_recommendation_display()}: {row.opinion}"
    if detail:
        note += f" ({detail})"
    audit_record(obj=subject, actor=actor, action=action, note=note)
    return row
