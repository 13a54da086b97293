"""What is due today: each rule is a function `(today) -> iterable of Due`.

A Due names its occasion in `subject_key` (the object, the deadline date and the threshold), so
the delivery rows it becomes are unique per occasion: a scan that runs twice reminds once, and a
deadline moved later is a new occasion that reminds again. "N working days before" is the range
today … add_working_days(today, N): a reminder the scan missed on its exact day (server down) is
still sent while it is useful. Without a working-day calendar the threshold falls back to calendar
days and says so in the log (the deadlines themselves are stored dates, never guessed here).
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Min, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import (
    EDITABLE_PLAN_STATUSES,
    BatchStatus,
    ImplementationPlan,
    ResultBatch,
)
from filings.models import EnterpriseStatus, Filing, FilingStatus
from portal.core import workdays
from portal.core.models import ApplicationWindow, Bureau, BureauLevel, Membership, Role
from portal.core.policy import policies_by_bureau
from portal.core.windows import windows_in_force
from supervision.annual.due import dues_by_district, owes_report_since
from supervision.models import (
    AnnualReport,
    AnnualReportStatus,
    Complaint,
    ComplaintStatus,
    Finding,
    FindingStatus,
)

logger = logging.getLogger(__name__)
User = get_user_model()

WINDOW_DAYS = 3  # working days before an application window closes
CORRECTION_DAYS = 3  # R-F7: before a returned filing's correction deadline
REVIEW_DAYS = 3  # R-F6: before the 20-working-day review clock runs out
CONFIRMATION_DAYS = 3  # seed 002 §六(三): a proposal waits for confirmation longer than this
PLAN_DAYS = 2  # R-P2: before the last day a plan can still reach the city in time
RESULT_FILING_DAYS = 3  # R-R1: before the result-filing deadline
ANNUAL_DAYS = 10  # R-M4: calendar days before the annual report is due
VALIDITY_DAYS = (90, 30)  # calendar days before a filing expires
RECTIFY_DAYS = 3  # R-M1: before a finding's rectification deadline
COMPLAINT_DAYS = 2  # R-M5: before a complaint's answer is due
# Plans further ahead than this cannot be near their last submission day (lead times are ~10
# working days); bounding them spares the scan calendar look-ups years ahead.
PLAN_HORIZON_DAYS = 120


@dataclass(frozen=True)
class Due:
    kind: str
    subject_key: str
    recipients: list = field(hash=False)
    title: str
    body: str
    url: str


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def working_days_ahead(today: dt.date, n: int) -> dt.date:
    """The last date counted as "within n working days" of today."""
    try:
        return workdays.add_working_days(today, n)
    except workdays.CalendarMissing as missing:
        logger.warning("reminders: %s; counting %s calendar days instead", missing, n)
        return today + dt.timedelta(days=n)


# Recipients ----------------------------------------------------------------------------------


def enterprise_users(enterprise_ids: Iterable[int]) -> dict[int, list]:
    """Active operators (Membership role enterprise) of each enterprise."""
    people: dict[int, list] = defaultdict(list)
    members = (
        Membership.objects.filter(
            role=Role.ENTERPRISE, enterprise_id__in=set(enterprise_ids), user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    for member in members:
        people[member.enterprise_id].append(member.user)
    return people


def bureau_staff(bureau_ids: Iterable[int], role: Role) -> dict[int, list]:
    """Active members of each bureau with `role`."""
    people: dict[int, list] = defaultdict(list)
    members = (
        Membership.objects.filter(role=role, bureau_id__in=set(bureau_ids), user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for member in members:
        people[member.bureau_id].append(member.user)
    return people


def reviewing_staff(filings: Iterable[Filing]) -> dict[int, list]:
    """R-F5: the city or provincial reviewers of each filing's reviewing bureau."""
    people: dict[int, list] = defaultdict(list)
    members = (
        Membership.objects.filter(
            role__in=[Role.CITY, Role.PROVINCE],
            bureau_id__in={f.reviewing_bureau_id for f in filings},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    for member in members:
        people[member.bureau_id].append(member.user)
    return people


# Rules ---------------------------------------------------------------------------------------


def _districts_following(bureau: Bureau) -> list[int]:
    """The districts in `bureau`'s area whose enterprises file within `bureau`'s windows (not a
    district's own delegated windows, nor a jurisdiction open all year)."""
    districts = Bureau.objects.filter(level=BureauLevel.DISTRICT).filter(
        Q(pk=bureau.pk) | Q(parent_id=bureau.pk) | Q(parent__parent_id=bureau.pk)
    )
    return [
        district.pk
        for district in districts.select_related("parent__parent")
        if (owner := windows_in_force(district)[0]) is not None and owner.pk == bureau.pk
    ]


def window_closing(today: dt.date) -> Iterator[Due]:
    """R-F4: an application window (its occurrence this year, for a yearly one) closes within 3
    working days; the active enterprises that file within it and still hold a draft filing are
    told to submit it."""
    limit = working_days_ahead(today, WINDOW_DAYS)
    followers: dict[int, list[int]] = {}
    for window in ApplicationWindow.objects.select_related("bureau"):
        occurrence = window.next_occurrence(today)
        if occurrence is None or not occurrence[0] <= today <= occurrence[1] <= limit:
            continue
        closes = occurrence[1]
        if window.bureau_id not in followers:
            followers[window.bureau_id] = _districts_following(window.bureau)
        drafts = Filing.objects.filter(
            enterprise__district_id__in=followers[window.bureau_id],
            status=FilingStatus.DRAFT,
            enterprise__status=EnterpriseStatus.ACTIVE,
        ).order_by("enterprise_id", "pk")
        first_draft: dict[int, int] = {}
        for enterprise_id, filing_id in drafts.values_list("enterprise_id", "pk"):
            first_draft.setdefault(enterprise_id, filing_id)
        people = enterprise_users(first_draft)
        for enterprise_id, filing_id in first_draft.items():
            yield Due(
                kind="window_closing",
                subject_key=f"window:{window.pk}:closes:{closes}",
                recipients=people.get(enterprise_id, []),
                title=_("The application window closes on %(day)s") % {"day": _d(closes)},
                body=_(
                    "Your filing application is still a draft. Applications are accepted until "
                    "%(day)s; submit it before then or wait for the next window."
                )
                % {"day": _d(closes)},
                url=reverse("filing_detail", kwargs={"pk": filing_id}),
            )


def correction_deadline(today: dt.date) -> Iterator[Due]:
    """R-F7: a returned filing must be corrected by its deadline: 3 working days before, and on
    the day."""
    limit = working_days_ahead(today, CORRECTION_DAYS)
    filings = list(
        Filing.objects.filter(
            status=FilingStatus.RETURNED,
            correction_deadline__gte=today,
            correction_deadline__lte=limit,
        ).select_related("enterprise")
    )
    people = enterprise_users(f.enterprise_id for f in filings)
    for filing in filings:
        deadline = filing.correction_deadline
        on_the_day = deadline == today
        yield Due(
            kind="correction_deadline",
            subject_key=f"filing:{filing.pk}:correct:{deadline}:{'day' if on_the_day else '3wd'}",
            recipients=people.get(filing.enterprise_id, []),
            title=(
                _("Today is the last day to correct your filing")
                if on_the_day
                else _("Correct your filing by %(day)s") % {"day": _d(deadline)}
            ),
            body=_(
                "The filing of %(enterprise)s was returned for correction. Correct it and submit "
                "it again by %(day)s."
            )
            % {"enterprise": filing.enterprise.name, "day": _d(deadline)},
            url=reverse("filing_detail", kwargs={"pk": filing.pk}),
        )


def review_clock(today: dt.date) -> Iterator[Due]:
    """R-F6: the 20-working-day review clock: "nearing" within 3 working days of its end, and
    "overdue" once it has run out; to whoever reviews the filing in its current status (the
    district for district pre-review, else the reviewing bureau: its city, or the provincial
    centre for a province-administered enterprise, also while a decision awaits confirmation)."""
    limit = working_days_ahead(today, REVIEW_DAYS)
    filings = list(
        Filing.objects.filter(
            status__in=[
                FilingStatus.DISTRICT_REVIEW,
                FilingStatus.CITY_REVIEW,
                FilingStatus.EXPERT_REVIEW,
                FilingStatus.CONFIRMATION,
            ],
            due_on__isnull=False,
            due_on__lte=limit,
        ).select_related("enterprise", "enterprise__district")
    )
    districts = bureau_staff(
        (f.enterprise.district_id for f in filings if f.status == FilingStatus.DISTRICT_REVIEW),
        Role.DISTRICT,
    )
    reviewers = reviewing_staff(f for f in filings if f.status != FilingStatus.DISTRICT_REVIEW)
    for filing in filings:
        if filing.status == FilingStatus.DISTRICT_REVIEW:
            recipients = districts.get(filing.enterprise.district_id, [])
        else:
            recipients = reviewers.get(filing.reviewing_bureau_id, [])
        overdue = filing.due_on < today
        values = {"enterprise": filing.enterprise.name, "day": _d(filing.due_on)}
        yield Due(
            kind="review_clock",
            subject_key=(
                f"filing:{filing.pk}:review:{filing.due_on}:{'overdue' if overdue else '3wd'}"
            ),
            recipients=recipients,
            title=(
                _("Review overdue: %(enterprise)s") % values
                if overdue
                else _("Review due by %(day)s: %(enterprise)s") % values
            ),
            body=(
                _(
                    # R-F6
                    "The review of the filing of %(enterprise)s was due on %(day)s (20 working "
                    "days from receipt). Decide on it as soon as possible."
                )
                if overdue
                else _(
                    # R-F6
                    "The review of the filing of %(enterprise)s is due on %(day)s (20 working "
                    "days from receipt)."
                )
            )
            % values,
            url=reverse("filing_detail", kwargs={"pk": filing.pk}),
        )


def province_result_review(today: dt.date) -> Iterator[Due]:
    """Seed 004 §三(三): the provincial review of results the city approved, "nearing" within 3
    working days of its due date and "overdue" once past it; to the province's reviewers."""
    limit = working_days_ahead(today, REVIEW_DAYS)
    batches = list(
        ResultBatch.objects.filter(
            status=BatchStatus.PROVINCE_REVIEW,
            province_due_on__isnull=False,
            province_due_on__lte=limit,
        ).select_related("plan__enterprise__district__parent")
    )
    staff = bureau_staff(
        (b.plan.enterprise.district.parent.parent_id for b in batches), Role.PROVINCE
    )
    for batch in batches:
        enterprise = batch.plan.enterprise
        overdue = batch.province_due_on < today
        values = {"enterprise": enterprise.name, "day": _d(batch.province_due_on)}
        yield Due(
            kind="province_result_review",
            subject_key=(
                f"batch:{batch.pk}:province:{batch.province_due_on}:"
                f"{'overdue' if overdue else '3wd'}"
            ),
            recipients=staff.get(enterprise.district.parent.parent_id, []),
            title=(
                _("Provincial review of results overdue: %(enterprise)s") % values
                if overdue
                else _("Provincial review of results due by %(day)s: %(enterprise)s") % values
            ),
            body=_(
                "The city approved the results of %(enterprise)s; the provincial review is due "
                "on %(day)s. Certificates wait for it."
            )
            % values,
            url=reverse("result_batch", kwargs={"pk": batch.plan_id}),
        )


def confirmation_waiting(today: dt.date) -> Iterator[Due]:
    """Seed 002 §六(三): a proposed decision waiting more than 3 working days for a second
    officer's confirmation: to the reviewing bureau's other officers."""
    filings = [
        filing
        for filing in Filing.objects.filter(
            status=FilingStatus.CONFIRMATION, proposed_on__lt=today
        ).select_related("enterprise")
        if working_days_ahead(filing.proposed_on, CONFIRMATION_DAYS) < today
    ]
    reviewers = reviewing_staff(filings)
    for filing in filings:
        values = {"enterprise": filing.enterprise.name, "day": _d(filing.proposed_on)}
        yield Due(
            kind="confirmation_waiting",
            subject_key=f"filing:{filing.pk}:confirmation:{filing.proposed_on}",
            recipients=[
                user
                for user in reviewers.get(filing.reviewing_bureau_id, [])
                if user.pk != filing.proposed_by_id
            ],
            title=_("A proposed filing decision awaits confirmation: %(enterprise)s") % values,
            body=_(
                "The decision on the filing of %(enterprise)s was proposed on %(day)s and waits "
                "for another officer to confirm it or send it back."
            )
            % values,
            url=reverse("filing_detail", kwargs={"pk": filing.pk}),
        )


def last_submission_day(first_session: dt.date, lead: int) -> dt.date:
    """R-P2: the latest day d with add_working_days(d, lead) <= first_session; raises
    CalendarMissing when a year in between has no calendar."""
    # add_working_days(d, lead) > d + lead - 1 days, so no later d can qualify.
    day = first_session - dt.timedelta(days=lead)
    while workdays.add_working_days(day, lead) > first_session:
        day -= dt.timedelta(days=1)
    return day


def plan_lead_time(today: dt.date) -> Iterator[Due]:
    """R-P2: a draft or returned plan must reach the city N working days before its first
    session: 2 working days before the last day it can still be submitted, and on that day."""
    plans = list(
        ImplementationPlan.objects.filter(status__in=EDITABLE_PLAN_STATUSES)
        .annotate(first_session=Min("sessions__date"))
        .filter(
            first_session__gt=today,
            first_session__lte=today + dt.timedelta(days=PLAN_HORIZON_DAYS),
        )
        .select_related("enterprise", "enterprise__district")
    )
    policies = policies_by_bureau({p.enterprise.district for p in plans})
    people = enterprise_users(p.enterprise_id for p in plans)
    for plan in plans:
        lead = policies[plan.enterprise.district_id].plan_lead_working_days
        try:
            last = last_submission_day(plan.first_session, lead)
        except workdays.CalendarMissing as missing:
            # The last day itself would be a guess: the plan's page reports the missing calendar.
            logger.warning("reminders: plan %s skipped: %s", plan.pk, missing)
            continue
        if last < today or last > working_days_ahead(today, PLAN_DAYS):
            continue
        on_the_day = last == today
        values = {"plan": plan.title, "day": _d(last), "first": _d(plan.first_session)}
        yield Due(
            kind="plan_lead_time",
            subject_key=f"plan:{plan.pk}:submit:{last}:{'day' if on_the_day else '2wd'}",
            recipients=people.get(plan.enterprise_id, []),
            title=(
                _("Submit the plan %(plan)s today") % values
                if on_the_day
                else _("Submit the plan %(plan)s by %(day)s") % values
            ),
            body=_(
                # R-P2
                "The first session of %(plan)s is on %(first)s. A plan must reach the city at "
                "least %(lead)s working days before: %(day)s is the last day to submit it."
            )
            % {**values, "lead": lead},
            url=reverse("plan_detail", kwargs={"pk": plan.pk}),
        )


def publicity_end(today: dt.date) -> Iterator[Due]:
    """R-R1: on the day the publicity of results ends, the enterprise is told to submit them
    for result filing."""
    batches = list(
        ResultBatch.objects.filter(
            status=BatchStatus.PUBLICISED, publicity_ends_on=today
        ).select_related("plan", "plan__enterprise")
    )
    people = enterprise_users(b.plan.enterprise_id for b in batches)
    for batch in batches:
        values = {"plan": batch.plan.title, "day": _d(batch.publicity_ends_on)}
        yield Due(
            kind="publicity_end",
            subject_key=f"batch:{batch.pk}:publicity:{batch.publicity_ends_on}:day",
            recipients=people.get(batch.plan.enterprise_id, []),
            title=_("Publicity of %(plan)s ends today") % values,
            body=_(
                # R-R1
                "The publicity of the results of %(plan)s ends on %(day)s. Then submit them to "
                "the city for result filing."
            )
            % values,
            url=reverse("result_batch", kwargs={"pk": batch.plan_id}),
        )


def result_filing_deadline(today: dt.date) -> Iterator[Due]:
    """R-R1: results reach the city within 15 working days after publicity: 3 working days
    before that deadline, and once it has passed."""
    limit = working_days_ahead(today, RESULT_FILING_DAYS)
    batches = list(
        ResultBatch.objects.filter(
            status__in=[BatchStatus.PUBLICISED, BatchStatus.RETURNED],
            filing_due_on__isnull=False,
            filing_due_on__lte=limit,
        ).select_related("plan", "plan__enterprise")
    )
    people = enterprise_users(b.plan.enterprise_id for b in batches)
    for batch in batches:
        due = batch.filing_due_on
        overdue = due < today
        values = {"plan": batch.plan.title, "day": _d(due)}
        yield Due(
            kind="result_filing_deadline",
            subject_key=f"batch:{batch.pk}:filing:{due}:{'overdue' if overdue else '3wd'}",
            recipients=people.get(batch.plan.enterprise_id, []),
            title=(
                _("Result filing overdue: %(plan)s") % values
                if overdue
                else _("Submit the results of %(plan)s by %(day)s") % values
            ),
            body=(
                _(
                    # R-R1
                    "The results of %(plan)s were due at the city for result filing on %(day)s. "
                    "Submit them now."
                )
                if overdue
                else _(
                    # R-R1
                    "The results of %(plan)s must reach the city for result filing by %(day)s."
                )
            )
            % values,
            url=reverse("result_batch", kwargs={"pk": batch.plan_id}),
        )


def annual_report_due(today: dt.date) -> Iterator[Due]:
    """R-M4: enterprises with a valid filing that have not submitted this year's report: 10 days
    before it is due, and once overdue. The due day is that of the enterprise's jurisdiction."""
    submitted = AnnualReport.objects.filter(
        year=today.year, status=AnnualReportStatus.SUBMITTED
    ).values("enterprise_id")
    # The enterprises R-M4 concerns: filed and valid today (as supervision.annual.selectors).
    districts = dict(
        Filing.objects.filter(
            status=FilingStatus.APPROVED,
            approved_on__lt=owes_report_since(today.year),
            valid_until__gte=today,
        )
        .exclude(enterprise_id__in=submitted)
        .values_list("enterprise_id", "enterprise__district_id")
    )
    dues = dues_by_district(districts.values(), today.year)
    enterprise_ids = {
        pk for pk, district in districts.items() if (dues[district] - today).days <= ANNUAL_DAYS
    }
    people = enterprise_users(enterprise_ids)
    url = reverse("annual_report_mine")
    for enterprise_id in sorted(enterprise_ids):
        due = dues[districts[enterprise_id]]
        overdue = due < today
        values = {"year": today.year, "day": _d(due)}
        yield Due(
            kind="annual_report_due",
            subject_key=f"annual:{enterprise_id}:{today.year}:{due}:"
            + ("overdue" if overdue else f"{ANNUAL_DAYS}d"),
            recipients=people.get(enterprise_id, []),
            title=(
                _("Your %(year)s annual report is overdue") % values
                if overdue
                else _("Your %(year)s annual report is due on %(day)s") % values
            ),
            body=(
                _(
                    # R-M4
                    "Each year-start a filed enterprise reports last year's work and this "
                    "year's assessment plan. The %(year)s report was due on %(day)s."
                )
                if overdue
                else _(
                    # R-M4
                    "Each year-start a filed enterprise reports last year's work and this "
                    "year's assessment plan. Submit the %(year)s report by %(day)s."
                )
            )
            % values,
            url=url,
        )


def filing_validity(today: dt.date) -> Iterator[Due]:
    """A filing expires on valid_until: 90 and 30 days before, so the enterprise files again in
    time (R-F9)."""
    longest = max(VALIDITY_DAYS)
    filings = list(
        Filing.objects.filter(
            status=FilingStatus.APPROVED,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=longest),
        ).select_related("enterprise")
    )
    people = enterprise_users(f.enterprise_id for f in filings)
    for filing in filings:
        days_left = (filing.valid_until - today).days
        threshold = min(n for n in VALIDITY_DAYS if days_left <= n)
        values = {"number": filing.number, "day": _d(filing.valid_until)}
        yield Due(
            kind="filing_validity",
            subject_key=f"filing:{filing.pk}:valid:{filing.valid_until}:{threshold}d",
            recipients=people.get(filing.enterprise_id, []),
            title=_("Your filing %(number)s expires on %(day)s") % values,
            body=_(
                "The filing %(number)s is valid until %(day)s. To go on assessing after that "
                "day, apply for a new filing in time."
            )
            % values,
            url=reverse("filing_detail", kwargs={"pk": filing.pk}),
        )


def rectification_due(today: dt.date) -> Iterator[Due]:
    """R-M1: an open finding must be rectified by its deadline: 3 working days before, and once
    overdue; to the inspected enterprise's users."""
    limit = working_days_ahead(today, RECTIFY_DAYS)
    findings = list(
        Finding.objects.filter(
            status=FindingStatus.OPEN, rectify_by__isnull=False, rectify_by__lte=limit
        ).select_related("inspection")
    )
    people = enterprise_users(f.inspection.enterprise_id for f in findings)
    for finding in findings:
        overdue = finding.rectify_by < today
        values = {"day": _d(finding.rectify_by)}
        yield Due(
            kind="rectification_due",
            subject_key=(
                f"finding:{finding.pk}:rectify:{finding.rectify_by}:"
                + ("overdue" if overdue else "3wd")
            ),
            recipients=people.get(finding.inspection.enterprise_id, []),
            title=(
                _("Rectification overdue since %(day)s") % values
                if overdue
                else _("Rectify an inspection finding by %(day)s") % values
            ),
            body=_(
                "An inspection found a problem to rectify by %(day)s. Report the rectification "
                "with its evidence on the portal."
            )
            % values,
            url=reverse("inspection_detail", kwargs={"pk": finding.inspection_id}),
        )


def complaint_answer_due(today: dt.date) -> Iterator[Due]:
    """R-M5: a complaint received or being handled must be answered by its due date: 2 working
    days before, and once overdue; to the responsible bureau's reviewers."""
    limit = working_days_ahead(today, COMPLAINT_DAYS)
    complaints = list(
        Complaint.objects.filter(
            status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING],
            answer_due_on__isnull=False,
            answer_due_on__lte=limit,
        ).select_related("bureau")
    )
    staff = {
        **bureau_staff(
            (c.bureau_id for c in complaints if c.bureau.level == BureauLevel.DISTRICT),
            Role.DISTRICT,
        ),
        **bureau_staff(
            (c.bureau_id for c in complaints if c.bureau.level == BureauLevel.CITY), Role.CITY
        ),
    }
    for complaint in complaints:
        overdue = complaint.answer_due_on < today
        values = {"reference": complaint.reference, "day": _d(complaint.answer_due_on)}
        yield Due(
            kind="complaint_answer_due",
            subject_key=(
                f"complaint:{complaint.pk}:answer:{complaint.answer_due_on}:"
                + ("overdue" if overdue else "2wd")
            ),
            recipients=staff.get(complaint.bureau_id, []),
            title=(
                _("Complaint %(reference)s: answer overdue") % values
                if overdue
                else _("Complaint %(reference)s: answer due by %(day)s") % values
            ),
            # R-M5
            body=_("The complainant is to be answered by %(day)s.") % values,
            url=reverse("complaint_detail", kwargs={"pk": complaint.pk}),
        )


RULES: list[Callable[[dt.date], Iterable[Due]]] = [
    window_closing,
    correction_deadline,
    review_clock,
    province_result_review,
    confirmation_waiting,
    plan_lead_time,
    publicity_end,
    result_filing_deadline,
    annual_report_due,
    filing_validity,
    rectification_due,
    complaint_answer_due,
]
