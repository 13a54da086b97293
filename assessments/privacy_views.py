"""Full ID numbers of examinees and examiners, a deliberate and audited action (PIPL, issue 6).

Who may: portal.core.privacy says it once. Each view passes the object's own access gate (a
404 for "not yours"), then asks for the purpose; the answer is sent with no-store.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import ImplementationPlan, RosterEntry
from assessments.permissions import access_examiner, access_plan
from assessments.roster_views import _editable_plan, _job, error_report_response
from assessments.spreadsheets import roster_export_xlsx
from portal.core.privacy import full_export_page, may_see_full_ids, reveal_page
from portal.core.xlsx import xlsx_response


def _plan_for_full_ids(request: HttpRequest, pk: int) -> ImplementationPlan:
    """The plan's enterprise at any time; its reviewers once it reached them (access_plan
    keeps drafts with the enterprise)."""
    plan = access_plan(user=request.user, plan_id=pk)
    if not may_see_full_ids(request.user):
        raise Http404
    return plan


@login_required
def roster_entry_id_number(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    plan = _plan_for_full_ids(request, pk)
    entry = RosterEntry.objects.filter(plan=plan, pk=entry_id).first()
    if entry is None:
        raise Http404
    return reveal_page(
        request,
        person=entry,
        name=entry.name,
        context=_("No. %(seq)s of the roster of “%(plan)s”") % {"seq": entry.seq, "plan": plan},
        back_url=reverse("roster_detail", args=[plan.pk]),
    )


@login_required
def roster_export_full(request: HttpRequest, pk: int) -> HttpResponse:
    """R-P5, R-K4: the roster in the official format with full ID numbers, for a purpose."""
    plan = _plan_for_full_ids(request, pk)

    def make_file() -> HttpResponse:
        content = roster_export_xlsx(plan.roster.order_by("seq"), masked=False)
        return xlsx_response(content, filename=_("%(plan)s roster.xlsx") % {"plan": plan})

    return full_export_page(
        request,
        obj=plan,
        title=_("Roster with full ID numbers · %(plan)s") % {"plan": plan},
        what=_("roster"),
        back_url=reverse("roster_detail", args=[plan.pk]),
        make_file=make_file,
    )


@login_required
def roster_job_report_full(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    """The error report with the ID numbers as they were typed, to correct and upload again."""
    plan = _editable_plan(request, pk)
    job = _job(plan, job_id)
    return full_export_page(
        request,
        obj=plan,
        title=_("Error report with full ID numbers · %(plan)s") % {"plan": plan},
        what=_("roster error report"),
        back_url=reverse("roster_job", args=[plan.pk, job.pk]),
        make_file=lambda: error_report_response(request, plan, job, masked=False),
    )


@login_required
def examiner_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    examiner = access_examiner(user=request.user, examiner_id=pk)
    if not may_see_full_ids(request.user):
        raise Http404
    return reveal_page(
        request,
        person=examiner,
        name=examiner.name,
        context=examiner.enterprise.name,
        back_url=reverse("examiner_detail", args=[examiner.pk]),
    )
