"""Flags that help a bureau choose what to inspect (R-M1): patterns worth a look, each explained.

A flag is a lead, not a verdict: a 100 % pass rate or a big roster can be honest. Every finder is
one or two aggregate queries (GROUP BY / HAVING or EXISTS) over the user's scope, so the page
stays quick with thousands of plans; Python only sorts out what the database grouped.

- 100 % pass rate on a submitted or approved result batch of at least PASS_ALL_MIN examinees;
- identical score patterns: at least IDENTICAL_MIN examinees of one plan, and IDENTICAL_SHARE of
  its roster, with exactly the same component scores;
- a roster at least JUMP_FACTOR times the median of the enterprise's previous plans (and at least
  JUMP_MIN examinees);
- R-P5a: one ID number with two valid certificates of one occupation and level in one year;
- R-C3: sessions held on or after the revocation of an examiner or supervisor the plan lists;
- R-M2: certificates issued on or after the cancellation of the enterprise's filing.
"""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    BatchStatus,
    ComponentKind,
    ExamineeResult,
    ExamineeScore,
    ExaminerStatus,
    ImplementationPlan,
    PlanStatus,
    ResultBatch,
    RosterEntry,
)
from assessments.rosters.reader.format import LEVEL_LABELS
from certificates.models import Certificate, CertificateStatus
from portal.core.masking import mask_id
from portal.core.roles import area_q
from supervision.models import Sanction, SanctionKind

PASS_ALL_MIN = 10
IDENTICAL_MIN = 3
IDENTICAL_SHARE = 0.2
JUMP_FACTOR = 3
JUMP_MIN = 30
# A page lists at most this many flags of one kind; the count says how many there are.
LIST_LIMIT = 50
BATCHES_FILED = [BatchStatus.SUBMITTED, BatchStatus.PROVINCE_REVIEW, BatchStatus.APPROVED]


@dataclass
class Flag:
    kind: str
    rule: str
    enterprise: str
    message: str
    links: list  # [(text, url or None), …]

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def _plan_link(plan_id: int, title: str) -> tuple[str, str]:
    return (title, reverse("plan_detail", args=[plan_id]))


# ---------------------------------------------------------------------------------------------
# The finders; `q(prefix)` is the scope (supervision.stats.builders.StatsScope.q).


def pass_all(*, q, year: int) -> list[Flag]:
    batches = (
        ResultBatch.objects.filter(
            q("plan__enterprise__"), status__in=BATCHES_FILED, submitted_on__year=year
        )
        .annotate(
            examinees=Count("plan__roster"),
            passed=Count("plan__roster", filter=Q(plan__roster__result=ExamineeResult.PASSED)),
        )
        .filter(examinees__gte=PASS_ALL_MIN, passed=F("examinees"))
        .values("plan_id", "plan__title", "plan__enterprise__name", "examinees", "status")
        .order_by("plan__enterprise__name", "plan_id")
    )
    return [
        Flag(
            kind="pass_all",
            rule="R-R2",
            enterprise=row["plan__enterprise__name"],
            message=_(
                "All %(n)s examinees of this result batch passed (100 %%); a batch of "
                "%(min)s or more where nobody fails is worth checking on site."
            )
            % {"n": row["examinees"], "min": PASS_ALL_MIN},
            links=[
                (
                    row["plan__title"],
                    reverse("result_batch", args=[row["plan_id"]]),
                )
            ],
        )
        for row in batches[:LIST_LIMIT]
    ]


def _year_plans(*, q, year: int):
    """Plans a bureau sees (not drafts) submitted in `year`."""
    return ImplementationPlan.objects.filter(q(), submitted_on__year=year).exclude(
        status=PlanStatus.DRAFT
    )


def identical_scores(*, q, year: int) -> list[Flag]:
    plans = _year_plans(q=q, year=year)
    # One column per component, then GROUP BY plan and the whole vector of scores.
    vector = {
        kind: Subquery(
            ExamineeScore.objects.filter(entry=OuterRef("pk"), component=kind).values("score")[:1]
        )
        for kind in ComponentKind.values
    }
    any_score = Exists(ExamineeScore.objects.filter(entry=OuterRef("pk")))
    groups = list(
        RosterEntry.objects.filter(plan__in=plans.values("pk"))
        .filter(any_score)
        .annotate(**{f"v_{kind}": expr for kind, expr in vector.items()})
        .values("plan_id", *[f"v_{kind}" for kind in vector])
        .annotate(n=Count("pk"))
        .filter(n__gte=IDENTICAL_MIN)
        .order_by("plan_id")
    )
    if not groups:
        return []
    sizes = dict(
        RosterEntry.objects.filter(plan_id__in={g["plan_id"] for g in groups})
        .order_by()
        .values_list("plan_id")
        .annotate(n=Count("pk"))
    )
    titles = {
        p["pk"]: p
        for p in ImplementationPlan.objects.filter(pk__in=sizes).values(
            "pk", "title", "enterprise__name"
        )
    }
    labels = dict(ComponentKind.choices)
    flags = []
    for group in groups:
        plan_id, n = group["plan_id"], group["n"]
        if n < IDENTICAL_SHARE * sizes[plan_id]:
            continue
        scores = "、".join(
            f"{labels[kind]} {group[f'v_{kind}']:g}"
            for kind in vector
            if group[f"v_{kind}"] is not None
        )
        flags.append(
            Flag(
                kind="identical_scores",
                rule="R-C1",
                enterprise=titles[plan_id]["enterprise__name"],
                message=_(
                    "%(n)s of the %(total)s examinees of this plan have exactly the same scores "
                    "(%(scores)s); identical score sheets may have been copied."
                )
                % {"n": n, "total": sizes[plan_id], "scores": scores},
                links=[_plan_link(plan_id, titles[plan_id]["title"])],
            )
        )
    return flags[:LIST_LIMIT]


def roster_jump(*, q, year: int) -> list[Flag]:
    big = (
        _year_plans(q=q, year=year)
        .annotate(n=Count("roster"))
        .filter(n__gte=JUMP_MIN)
        .values("enterprise_id")
    )
    rows = list(
        ImplementationPlan.objects.filter(q(), enterprise_id__in=big)
        .exclude(status=PlanStatus.DRAFT)
        .annotate(n=Count("roster"))
        .filter(n__gt=0)
        .values("pk", "title", "enterprise_id", "enterprise__name", "submitted_on", "n")
        .order_by("enterprise_id", "submitted_on", "pk")
    )
    flags = []
    earlier: dict[int, list[int]] = {}
    for row in rows:
        previous = earlier.setdefault(row["enterprise_id"], [])
        submitted = row["submitted_on"]
        if previous and row["n"] >= JUMP_MIN and submitted and submitted.year == year:
            median = statistics.median(previous)
            if row["n"] >= JUMP_FACTOR * median:
                flags.append(
                    Flag(
                        kind="roster_jump",
                        rule="R-P3",
                        enterprise=row["enterprise__name"],
                        message=_(
                            "This plan's roster has %(n)s examinees, %(factor)s times the median "
                            "(%(median)s) of the enterprise's %(count)s earlier plans; check that "
                            "every examinee may be assessed here."
                        )
                        % {
                            "n": row["n"],
                            "factor": f"{row['n'] / median:.1f}",
                            "median": f"{median:g}",
                            "count": len(previous),
                        },
                        links=[_plan_link(row["pk"], row["title"])],
                    )
                )
        previous.append(row["n"])
    return flags[:LIST_LIMIT]


def one_person_one_certificate(*, scope, year: int) -> list[Flag]:
    """R-P5a across the whole city (a province: across its cities): a district sees the cases
    that touch its enterprises."""
    valid = Certificate.objects.filter(
        area_q(scope.wide, "enterprise__district"),
        status=CertificateStatus.VALID,
        issued_on__year=year,
    )
    # The same person is the same keyed hash: ID numbers are encrypted at rest.
    groups = (
        valid.order_by()
        .values("id_hash", "occupation_code", "level")
        .annotate(n=Count("pk"), mine=Count("pk", filter=scope.q()))
        .filter(n__gte=2, mine__gte=1)
        .order_by("id_hash", "occupation_code", "level")[:LIST_LIMIT]
    )
    groups = list(groups)
    if not groups:
        return []
    wanted = Q()
    for g in groups:
        wanted |= Q(id_hash=g["id_hash"], occupation_code=g["occupation_code"], level=g["level"])
    certificates: dict[tuple, list] = {}
    for c in valid.filter(wanted).select_related("enterprise").order_by("issued_on", "pk"):
        certificates.setdefault((c.id_hash, c.occupation_code, c.level), []).append(c)
    flags = []
    for g in groups:
        found = certificates.get((g["id_hash"], g["occupation_code"], g["level"]), [])
        if not found:
            continue
        flags.append(
            Flag(
                kind="one_person_one_certificate",
                rule="R-P5a",
                enterprise="、".join(sorted({c.enterprise.name for c in found})),
                message=_(
                    "ID number %(id)s holds %(n)s valid certificates of %(occupation)s, %(level)s "
                    "issued in %(year)s; one person is certified once per occupation and level "
                    "a year."
                )
                % {
                    "id": mask_id(found[0].id_number),
                    "n": len(found),
                    "occupation": f"{found[0].occupation_code} {found[0].occupation_name}",
                    "level": LEVEL_LABELS.get(g["level"], g["level"]),
                    "year": year,
                },
                links=[
                    (
                        f"{c.number}（{c.enterprise.name}，{_d(c.issued_on)}）",
                        # A district opens only its own enterprises' certificates.
                        reverse("certificate_detail", args=[c.pk])
                        if scope.role != "district" or c.enterprise.district_id == scope.bureau.pk
                        else None,
                    )
                    for c in found
                ],
            )
        )
    return flags


def _revocation_rows(*, plans, year: int | None = None) -> list[dict]:
    """(plan, person, first session, sessions) for each revoked person a plan lists, with the
    plan's sessions dated on or after the revocation (R-C3). Two queries: examiners, supervisors."""
    rows = []
    for relation, role in (("examiners", _("examiner")), ("supervisors", _("supervisor"))):
        through = getattr(ImplementationPlan, relation).through
        sessions = Q(implementationplan__sessions__date__gte=F("examiner__revoked_on"))
        if year is not None:
            sessions &= Q(implementationplan__sessions__date__year=year)
        found = (
            through.objects.filter(
                implementationplan__in=plans.values("pk"),
                examiner__status=ExaminerStatus.REVOKED,
                examiner__revoked_on__isnull=False,
            )
            .filter(sessions)
            .values(
                "implementationplan_id",
                "implementationplan__title",
                "implementationplan__enterprise__name",
                "examiner_id",
                "examiner__name",
                "examiner__revoked_on",
            )
            .annotate(
                sessions=Count("implementationplan__sessions", distinct=True),
                first=Min("implementationplan__sessions__date"),
            )
            .order_by("implementationplan_id", "examiner_id")
        )
        rows.extend({**row, "role": role} for row in found)
    return rows


def _revocation_message(row: dict) -> str:
    return _(
        "%(role)s %(name)s was revoked on %(revoked)s, yet the plan lists them for %(n)s "
        "session(s) on or after that day, the first on %(first)s."
    ) % {
        "role": row["role"],
        "name": row["examiner__name"],
        "revoked": _d(row["examiner__revoked_on"]),
        "n": row["sessions"],
        "first": _d(row["first"]),
    }


def examiner_revoked(*, q, year: int) -> list[Flag]:
    plans = ImplementationPlan.objects.filter(q()).exclude(status=PlanStatus.DRAFT)
    return [
        Flag(
            kind="examiner_revoked",
            rule="R-C3",
            enterprise=row["implementationplan__enterprise__name"],
            message=_revocation_message(row),
            links=[
                _plan_link(row["implementationplan_id"], row["implementationplan__title"]),
            ],
        )
        for row in _revocation_rows(plans=plans, year=year)[:LIST_LIMIT]
    ]


def _cancellations():
    return Sanction.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        kind=SanctionKind.CANCELLED,
        decided_on__lte=OuterRef("issued_on"),
    ).order_by("decided_on")


def issued_after_cancellation(*, q, year: int) -> list[Flag]:
    found = (
        Certificate.objects.filter(q(), issued_on__year=year)
        .filter(Exists(_cancellations()))
        .annotate(cancelled_on=Subquery(_cancellations().values("decided_on")[:1]))
        .select_related("enterprise")
        .order_by("enterprise__name", "issued_on", "pk")
    )
    return [
        Flag(
            kind="issued_after_cancellation",
            rule="R-M2",
            enterprise=c.enterprise.name,
            message=_(
                "Certificate issued on %(issued)s although the enterprise's filing was cancelled "
                "on %(cancelled)s; a cancelled enterprise may not issue certificates."
            )
            % {"issued": _d(c.issued_on), "cancelled": _d(c.cancelled_on)},
            links=[(c.number, reverse("certificate_detail", args=[c.pk]))],
        )
        for c in found[:LIST_LIMIT]
    ]


KINDS = {
    "pass_all": gettext_lazy("Everybody passed"),
    "identical_scores": gettext_lazy("Identical score patterns"),
    "roster_jump": gettext_lazy("Sudden jump in roster size"),
    "one_person_one_certificate": gettext_lazy("One person, one certificate"),
    "examiner_revoked": gettext_lazy("Revoked examiner in a session"),
    "issued_after_cancellation": gettext_lazy("Certificates after a cancellation"),
}


def flags_for(*, scope, year: int) -> list[Flag]:
    """Every flag of the scope and year, grouped by kind in a fixed order."""
    q = scope.q
    return [
        *pass_all(q=q, year=year),
        *identical_scores(q=q, year=year),
        *roster_jump(q=q, year=year),
        *one_person_one_certificate(scope=scope, year=year),
        *examiner_revoked(q=q, year=year),
        *issued_after_cancellation(q=q, year=year),
    ]


# ---------------------------------------------------------------------------------------------
# Warnings on the detail pages of a plan and a certificate


def plan_revocation_warnings(plan) -> list[str]:
    """R-C3: why this plan's sessions ran with a revoked examiner or supervisor (any year)."""
    plans = ImplementationPlan.objects.filter(pk=plan.pk)
    return [_revocation_message(row) for row in _revocation_rows(plans=plans)]


def certificate_cancellation_warnings(certificate) -> list[str]:
    """R-M2: the certificate was issued on or after its enterprise's filing was cancelled."""
    sanction = (
        Sanction.objects.filter(
            enterprise_id=certificate.enterprise_id,
            kind=SanctionKind.CANCELLED,
            decided_on__lte=certificate.issued_on,
        )
        .order_by("decided_on")
        .first()
    )
    if sanction is None:
        return []
    message = _(
        # R-M2
        "Issued on %(issued)s, after the enterprise's filing was cancelled on %(cancelled)s: "
        "a cancelled enterprise may not issue certificates."
    ) % {"issued": _d(certificate.issued_on), "cancelled": _d(sanction.decided_on)}
    return [message]
