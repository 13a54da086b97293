"""Who hears of each step of a filing (R-F5 … R-F7) and of an evaluation scheme (R-S5)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import SchemeReview
from filings.models import ExpertAssignment, FilingStatus
from portal.core.models import Role
from supervision.models import Notification
from supervision.notifications import recipients as who
from supervision.notifications.events import Notice, announces
from supervision.notifications.topics import Topic

FILING = "filings.filing"
SCHEME = "assessments.evaluationscheme"


def _d(day) -> str:
    return date_format(day, "Y-m-d") if day else ""


def _filing_url(filing) -> str:
    return reverse("filing_detail", kwargs={"pk": filing.pk})


def _reviewers(filing) -> list:
    """The officers of the bureau that decides the filing (its city or the province)."""
    return who.staff(filing.reviewing_bureau, [Role.CITY, Role.PROVINCE])


def _named(filing) -> dict:
    return {"enterprise": filing.enterprise.name}


def _experts_not_yet_told(rows, *, kind: str, url: str) -> list:
    """The experts of the pending opinion `rows` not told since they were assigned: one who
    joins those already sent is told and the others are not told again, while one sent again
    to a corrected version (the rows of the returned one are gone) is told again."""
    rows = list(rows)
    told = {}  # expert → latest notice of this kind on this page (one query for all)
    for user_id, created_at in Notification.objects.filter(
        user_id__in=[row.expert_id for row in rows], kind=kind, url=url
    ).values_list("user_id", "created_at"):
        told[user_id] = max(created_at, told.get(user_id, created_at))
    ids = [
        row.expert_id
        for row in rows
        if row.expert_id not in told or told[row.expert_id] < row.assigned_at
    ]
    return who.users(ids)


@announces(FILING, "submit", topic=Topic.FILING, url=_filing_url)
def filing_submitted(filing, event) -> list[Notice]:
    if filing.status == FilingStatus.DISTRICT_REVIEW:
        return [
            Notice(
                who.district_staff(filing.enterprise),
                _("%(enterprise)s submitted a filing: please pre-review it") % _named(filing),
            )
        ]
    body = _("Review due on %(date)s.") % {"date": _d(filing.due_on)} if filing.due_on else ""
    return [
        Notice(
            _reviewers(filing),
            _("%(enterprise)s submitted a filing: please review it") % _named(filing),
            body,
        )
    ]


@announces(FILING, "district_forward", topic=Topic.FILING, url=_filing_url)
def filing_forwarded(filing, event) -> list[Notice]:
    return [
        Notice(
            _reviewers(filing),
            _("The district passed on the filing of %(enterprise)s: please review it")
            % _named(filing),
            filing.district_opinion,
        ),
        Notice(
            who.operators(filing.enterprise),
            _("Your filing passed the district pre-review and is with the city"),
            filing.district_opinion,
        ),
    ]


@announces(FILING, "assign_experts", topic=Topic.FILING, url=_filing_url)
def filing_experts_sent(filing, event) -> list[Notice]:
    rows = ExpertAssignment.objects.filter(filing=filing, submitted_at__isnull=True)
    body = ""
    if filing.due_on:
        body = _("Give your opinion by %(date)s.") % {"date": _d(filing.due_on)}
    return [
        Notice(
            _experts_not_yet_told(
                rows, kind=f"{Topic.FILING}.{event.action}", url=_filing_url(filing)
            ),
            _("You are asked to evaluate the filing of %(enterprise)s on site") % _named(filing),
            body,
        )
    ]


@announces(FILING, "expert_opinion", topic=Topic.FILING, url=_filing_url)
def filing_expert_opinion(filing, event) -> list[Notice]:
    return [
        Notice(
            _reviewers(filing),
            _("An expert gave an opinion on the filing of %(enterprise)s") % _named(filing),
        )
    ]


@announces(FILING, "propose_approve", "propose_reject", topic=Topic.FILING, url=_filing_url)
def filing_proposed(filing, event) -> list[Notice]:
    return [
        Notice(
            _reviewers(filing),
            _("A decision on the filing of %(enterprise)s waits for your confirmation")
            % _named(filing),
            event.note,
        )
    ]


@announces(FILING, "send_back", topic=Topic.FILING, url=_filing_url)
def filing_sent_back(filing, event) -> list[Notice]:
    return [
        Notice(
            _reviewers(filing),
            _("The proposed decision on the filing of %(enterprise)s was not confirmed")
            % _named(filing),
            event.note,
        )
    ]


@announces(FILING, "approve", "confirm_approve", topic=Topic.FILING, url=_filing_url)
def filing_approved(filing, event) -> list[Notice]:
    return [
        Notice(
            who.operators(filing.enterprise),
            _("Your filing is approved, number %(number)s: you may now evaluate")
            % {"number": filing.number},
            event.note,
        ),
        Notice(
            who.handling_district_staff(filing.enterprise),
            _("The filing of %(enterprise)s is approved") % _named(filing),
        ),
    ]


@announces(FILING, "reject", "confirm_reject", topic=Topic.FILING, url=_filing_url)
def filing_rejected(filing, event) -> list[Notice]:
    return [
        Notice(who.operators(filing.enterprise), _("Your filing is not approved"), event.note),
        Notice(
            who.handling_district_staff(filing.enterprise),
            _("The filing of %(enterprise)s is not approved") % _named(filing),
        ),
    ]


@announces(FILING, "return", topic=Topic.FILING, url=_filing_url)
def filing_returned(filing, event) -> list[Notice]:
    # While the calendar of the deadline's year is missing there is no deadline to name.
    if filing.correction_deadline:
        title = _("Your filing was returned: correct it by %(date)s") % {
            "date": _d(filing.correction_deadline)
        }
    else:
        title = _("Your filing was returned for correction")
    return [Notice(who.operators(filing.enterprise), title, event.note)]


# Evaluation schemes --------------------------------------------------------------------------


def _scheme_url(scheme) -> str:
    return reverse("scheme_detail", kwargs={"pk": scheme.pk})


def _scheme_named(scheme) -> dict:
    return {"enterprise": scheme.enterprise.name, "scheme": scheme.scope_line.occupation.name}


@announces(SCHEME, "scheme_submit", topic=Topic.SCHEME, url=_scheme_url)
def scheme_submitted(scheme, event) -> list[Notice]:
    return [
        Notice(
            who.city_staff(scheme.enterprise),
            _("%(enterprise)s submitted the evaluation scheme for %(scheme)s")
            % _scheme_named(scheme),
        )
    ]


@announces(SCHEME, "scheme_assign_experts", topic=Topic.SCHEME, url=_scheme_url)
def scheme_experts_sent(scheme, event) -> list[Notice]:
    reviews = SchemeReview.objects.filter(scheme=scheme, submitted_at__isnull=True)
    return [
        Notice(
            _experts_not_yet_told(
                reviews, kind=f"{Topic.SCHEME}.{event.action}", url=_scheme_url(scheme)
            ),
            _("You are asked to evaluate the scheme for %(scheme)s of %(enterprise)s")
            % _scheme_named(scheme),
        )
    ]


@announces(SCHEME, "scheme_expert_opinion", topic=Topic.SCHEME, url=_scheme_url)
def scheme_expert_opinion(scheme, event) -> list[Notice]:
    return [
        Notice(
            who.city_staff(scheme.enterprise),
            _("An expert gave an opinion on the scheme for %(scheme)s of %(enterprise)s")
            % _scheme_named(scheme),
        )
    ]


@announces(SCHEME, "scheme_approve", topic=Topic.SCHEME, url=_scheme_url)
def scheme_approved(scheme, event) -> list[Notice]:
    return [
        Notice(
            who.operators(scheme.enterprise),
            _("Your evaluation scheme for %(scheme)s is approved") % _scheme_named(scheme),
            event.note,
        )
    ]


@announces(SCHEME, "scheme_return", topic=Topic.SCHEME, url=_scheme_url)
def scheme_returned(scheme, event) -> list[Notice]:
    return [
        Notice(
            who.operators(scheme.enterprise),
            _("Your evaluation scheme for %(scheme)s was returned for correction")
            % _scheme_named(scheme),
            event.note,
        )
    ]
