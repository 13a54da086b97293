"""Who hears of the steps of a random inspection (R-M1, R-C2) beyond the findings, returns,
complaints and sanctions their own services announce."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.models import Role
from supervision.models import InspectionAssignment
from supervision.notifications import recipients as who
from supervision.notifications.events import Notice, announces
from supervision.notifications.topics import Topic

DRAW = "supervision.draw"
FINDING = "supervision.finding"
INSPECTION = "supervision.inspection"


def _inspection_url(inspection) -> str:
    return reverse("inspection_detail", kwargs={"pk": inspection.pk})


def _finding_url(finding) -> str:
    return _inspection_url(finding.inspection)


@announces(
    DRAW, "draw_create", topic=Topic.SUPERVISION, url=lambda draw: reverse("inspection_list")
)
def supervisors_drawn(draw, event) -> list[Notice]:
    """Each supervisor drawn hears of their own inspections; the targets are not told (R-M1)."""
    assignments = InspectionAssignment.objects.filter(inspection__draw=draw).select_related(
        "inspection__enterprise", "supervisor"
    )
    return [
        Notice(
            [assignment.supervisor],
            _("You are drawn to inspect %(enterprise)s")
            % {"enterprise": assignment.inspection.enterprise.name},
            draw.title,
            url=_inspection_url(assignment.inspection),
        )
        for assignment in assignments
        if assignment.supervisor.is_active
    ]


@announces(
    FINDING, "finding_answer", "finding_answer_late", topic=Topic.SUPERVISION, url=_finding_url
)
def finding_answered(finding, event) -> list[Notice]:
    enterprise = finding.inspection.enterprise
    # The city whose draw it was reads the inspection (inspection_list_for_user), not
    # necessarily the city of the enterprise's district.
    return [
        Notice(
            [
                *who.users([finding.created_by_id]),
                *who.staff(finding.inspection.draw.city, [Role.CITY]),
            ],
            _("%(enterprise)s answered a finding: please check the rectification")
            % {"enterprise": enterprise.name},
            finding.response,
        )
    ]


@announces(FINDING, "finding_close", topic=Topic.SUPERVISION, url=_finding_url)
def finding_closed(finding, event) -> list[Notice]:
    return [
        Notice(
            who.operators(finding.inspection.enterprise),
            _("The bureau accepted your rectification of a finding"),
            event.note,
        )
    ]


@announces(INSPECTION, "inspection_report", topic=Topic.SUPERVISION, url=_inspection_url)
def inspection_reported(inspection, event) -> list[Notice]:
    """The city whose draw it was acts next: it checks the findings and closes the inspection
    (the enterprise hears of the findings from inspection_record itself)."""
    return [
        Notice(
            who.staff(inspection.draw.city, [Role.CITY]),
            _("The inspection of %(enterprise)s is reported: %(conclusion)s")
            % {
                "enterprise": inspection.enterprise.name,
                "conclusion": inspection.get_conclusion_display(),
            },
        )
    ]


@announces(INSPECTION, "inspection_close", topic=Topic.SUPERVISION, url=_inspection_url)
def inspection_closed(inspection, event) -> list[Notice]:
    return [
        Notice(
            who.operators(inspection.enterprise),
            _("The inspection of your enterprise is closed"),
            inspection.public_result,
        )
    ]
