"""Roster pages (R-P5): import with a preview, the error report, template, export, photos.

The enterprise changes the roster of its own plan while the plan is editable; the bureaus that
see the plan may read it and download the export.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from assessments.models import ImplementationPlan, RosterEntry, RosterImport
from assessments.models import RosterImportPhase as Phase
from assessments.plans.permissions import access_editable_plan, access_plan
from assessments.rosters import photos
from assessments.rosters import services as roster_services
from assessments.rosters.checks import roster_check
from assessments.rosters.conditions import (
    condition_cells,
    preview_context,
    roster_conditions_context,
)
from assessments.rosters.reader import (
    CATEGORY_HEADER,
    HEADERS,
    RosterFileError,
    inspect_workbook,
    read_roster,
    stored_problem,
)
from assessments.rosters.reader.entrusted import CLIENT_CODE_HEADER, CLIENT_CODE_KEY
from assessments.rosters.spreadsheets import (
    roster_error_report_xlsx,
    roster_export_xlsx,
    roster_template_xlsx,
)
from portal.core.access import require_role
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.privacy import full_export_page, may_see_full_ids, reveal_page
from portal.core.uploads import check_size
from portal.core.xlsx import xlsx_response

PAGE_SIZE = 50
MESSAGES_SHOWN = 20


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster (.xlsx)"))

    def clean_file(self):
        """Size, then the ZIP and every XML part checked before anything parses them."""
        upload = self.cleaned_data["file"]
        check_size(upload, field=_("the roster"), limit=settings.UPLOAD_MAX_BYTES)
        self.content = upload.read()
        try:
            self.info = inspect_workbook(
                self.content, field=_("Roster (.xlsx)"), max_rows=settings.ROSTER_MAX_ROWS
            )
        except RosterFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class PhotoZipForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ZIP of photos"))

    def clean_file(self):
        """The size here; the ZIP is checked from its directory by assessments.rosters.photos."""
        upload = self.cleaned_data["file"]
        check_size(upload, field=_("the ZIP of photos"), limit=photos.MAX_ZIP_BYTES)
        self.content = upload.read()
        return upload


def _editable_plan(request: HttpRequest, pk: int) -> ImplementationPlan:
    return access_editable_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})


def _upload(plan: ImplementationPlan, job_id: int) -> RosterImport:
    upload = RosterImport.objects.filter(pk=job_id, plan=plan).first()
    if upload is None:
        raise Http404
    return upload


@login_required
@require_safe
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(user=request.user, plan_id=pk)
    entries = plan.roster.order_by("seq")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    can_edit = require_role(request.user).is_enterprise and plan.is_editable
    return render(
        request,
        "assessments/roster_detail.html",
        {
            "plan": plan,
            "page": page,
            "count": page.paginator.count,
            "without_photo": entries.filter(photo="").count(),
            "can_edit": can_edit,
            **roster_conditions_context(plan),
        },
    )


@login_required
def roster_upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = roster_services.roster_upload(
                plan=plan,
                actor=request.user,
                data=form.content,
                filename=form.cleaned_data["file"].name,
                info=form.info,
            )
        except ServiceError as error:
            report_refusal(request, error, limit=MESSAGES_SHOWN)
        else:
            return redirect("roster_job", pk=plan.pk, job_id=upload.pk)
    return render(request, "assessments/roster_upload.html", {"form": form, "plan": plan})


@login_required
@require_safe
def roster_job(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    """The preview of a checked file, the progress of one being checked or imported. It only
    shows: the work is done by a worker, and work left undone is resumed by the beat."""
    plan = _editable_plan(request, pk)
    upload = _upload(plan, job_id)
    preview = upload.preview
    # No more than an import stores now, whatever an older one did: the rest is in the report.
    stored_file_problems = preview.get("file_problems", [])
    bad_rows = roster_services.preview_bad_rows(preview.get("bad_rows", []))
    file_problems = [
        stored_problem(*item) for item in stored_file_problems[: roster_services.PREVIEW_ROWS]
    ]
    return render(
        request,
        "assessments/roster_job.html",
        {
            "plan": plan,
            "job": upload,
            "phase": upload.phase,
            "working": upload.working,
            "failed": upload.phase == Phase.FAILED,
            "file_problems": file_problems,
            "more_file_problems": preview.get("file_problem_count", len(stored_file_problems))
            - len(file_problems),
            "bad_rows": [
                {"row": row, "name": name, "id_number": id_number, "problems": problems}
                for row, name, id_number, problems in bad_rows
            ],
            "more_bad_rows": upload.bad - len(bad_rows),
            **preview_context(preview),
        },
    )


@login_required
@require_safe
def roster_job_status(request: HttpRequest, pk: int, job_id: int) -> JsonResponse:
    plan = _editable_plan(request, pk)
    upload = _upload(plan, job_id)
    return JsonResponse(
        {
            "phase": upload.phase,
            "done": upload.done,
            "total": upload.total,
            "percent": upload.percent,
            "finished": not upload.working,
        }
    )


@login_required
@require_POST
def roster_job_import(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    upload = _upload(plan, job_id)
    only_good = request.POST.get("mode") == "good"
    try:
        upload = roster_services.roster_import_start(
            upload=upload, actor=request.user, only_good=only_good
        )
    except ServiceError as error:
        report_refusal(request, error, limit=MESSAGES_SHOWN)
        return redirect("roster_job", pk=plan.pk, job_id=upload.pk)
    if upload.phase == Phase.IMPORTED:
        messages.success(
            request,
            _("%(count)s examinees are imported into the roster.") % {"count": upload.imported},
        )
        return redirect("roster_detail", pk=plan.pk)
    if upload.message:
        messages.error(request, upload.message)
    return redirect("roster_job", pk=plan.pk, job_id=upload.pk)


@login_required
@require_safe
def roster_job_report(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    """The error report: the rows with problems as they were in the file (ID numbers masked;
    the full report is roster_job_report_full), and why."""
    plan = _editable_plan(request, pk)
    return error_report_response(request, plan, _upload(plan, job_id), masked=True)


def error_report_response(
    request: HttpRequest, plan: ImplementationPlan, upload: RosterImport, *, masked: bool
) -> HttpResponse:
    if upload.phase != Phase.CHECKED or not upload.file:
        return redirect("roster_job", pk=plan.pk, job_id=upload.pk)
    data = roster_services.roster_import_data(upload)
    preview = upload.preview
    stored_rows = preview.get("bad_rows", [])
    stored_file_problems = preview.get("file_problems", [])
    complete = len(stored_rows) == upload.bad and len(stored_file_problems) == preview.get(
        "file_problem_count", len(stored_file_problems)
    )
    try:
        # With every reason stored, the file is only read for its cells; the preview keeps
        # only the first problems of a bigger one, which is then checked again.
        parsed = read_roster(data) if complete else roster_check(plan=plan, data=data)
    except RosterFileError as error:
        messages.error(request, str(error))
        return redirect("roster_job", pk=plan.pk, job_id=upload.pk)
    if complete:
        reasons = {
            row: [stored_problem(row, *item) for item in problems]
            for row, _name, _id, problems in stored_rows
        }
        file_problems = [stored_problem(*item) for item in stored_file_problems]
    else:
        reasons = {row.row: row.problems for row in parsed.bad_rows}
        file_problems = parsed.file_problems
    # Seed 004 §一(二): the optional client column goes back too, so a corrected file still names
    # each entrusted examinee's client by its code.
    client_column = any(CLIENT_CODE_KEY in row.extra for row in parsed.rows)
    content = roster_error_report_xlsx(
        headers=[*HEADERS, CATEGORY_HEADER] if parsed.has_category else HEADERS,
        rows=[
            (
                row.row,
                [
                    *row.cells,
                    *condition_cells(row),
                    *([row.extra.get(CLIENT_CODE_KEY, "")] if client_column else []),
                ],
                reasons[row.row],
            )
            for row in parsed.rows
            if row.row in reasons
        ],
        extra_headers=[*parsed.extra_headers, *([CLIENT_CODE_HEADER] if client_column else [])],
        file_problems=file_problems,
        masked=masked,
    )
    return xlsx_response(content, filename=_("%(plan)s roster problems.xlsx") % {"plan": plan})


@login_required
@require_safe
def roster_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    names = plan.scheme.level_mappings.values_list("enterprise_level", "national_level")
    return xlsx_response(roster_template_xlsx(names), filename="职业技能等级认定人员名册.xlsx")


@login_required
@require_safe
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    """R-P5, R-K4: the roster in the official format, for the enterprise and its reviewers."""
    plan = access_plan(user=request.user, plan_id=pk)
    content = roster_export_xlsx(plan.roster.order_by("seq"))
    return xlsx_response(content, filename=_("%(plan)s roster.xlsx") % {"plan": plan})


@login_required
def roster_photos(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = PhotoZipForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = roster_services.roster_photos_attach(
                plan=plan, actor=request.user, data=form.content
            )
        except ServiceError as error:
            report_refusal(request, error, limit=MESSAGES_SHOWN)
        else:
            form = PhotoZipForm()
    return render(
        request,
        "assessments/roster_photos.html",
        {
            "plan": plan,
            "form": form,
            "report": report,
            "without_photo": plan.roster.filter(photo="").count(),
        },
    )


# Full ID numbers: a deliberate and audited action (PIPL); who may is said once in
# portal.core.privacy. The answer is sent with no-store.


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
    upload = _upload(plan, job_id)
    return full_export_page(
        request,
        obj=plan,
        title=_("Error report with full ID numbers · %(plan)s") % {"plan": plan},
        what=_("roster error report"),
        back_url=reverse("roster_job", args=[plan.pk, upload.pk]),
        make_file=lambda: error_report_response(request, plan, upload, masked=False),
    )
