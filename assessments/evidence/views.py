"""Session evidence pages (R-C1): the enterprise uploads the trace of each session of an
acknowledged plan; it and the bureaus that see the plan read and download it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from assessments.evidence import services as evidence_services
from assessments.models import EvidenceKind, ImplementationPlan, SessionEvidence
from assessments.plans.permissions import access_acknowledged_plan
from portal.core.access import require_role
from portal.core.downloads import attachment_download
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.record_views import confirmed_action


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=EvidenceKind.choices)
    file = forms.FileField(label=gettext_lazy("file"))
    description = forms.CharField(
        label=gettext_lazy("description"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: sign-in sheet, practical assessment, room camera 2."),
    )

    def clean(self):
        """R-C1: type by content and size for the chosen kind; `checked` travels with the form."""
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload and kind:
            try:
                self.checked = evidence_services.check_evidence(upload, kind)
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned


def _evidence(plan: ImplementationPlan, evidence_id: int) -> SessionEvidence:
    evidence = (
        SessionEvidence.objects.filter(pk=evidence_id, session__plan=plan)
        .select_related("session")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


@login_required
@require_safe
def plan_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk)
    files = SessionEvidence.objects.select_related("uploaded_by__membership").order_by(
        "uploaded_at", "pk"
    )
    sessions = plan.sessions.prefetch_related(Prefetch("evidence", queryset=files))
    return render(
        request,
        "assessments/evidence_list.html",
        {
            "plan": plan,
            "sessions": sessions,
            "is_owner": require_role(request.user).is_enterprise,
            "today": timezone.localdate(),
            "rules": evidence_services.evidence_rules(),
            "retention_years": evidence_services.RETENTION_YEARS,
        },
    )


@login_required
def evidence_upload(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    session = get_object_or_404(plan.sessions, pk=session_id)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence = evidence_services.evidence_add(
                plan=plan,
                session=session,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=upload,
                checked=form.checked,
                description=form.cleaned_data["description"],
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("“%(name)s” is uploaded; it is kept until %(date)s.")
                % {"name": upload.name, "date": date_format(evidence.retain_until, "Y-m-d")},
            )
            return redirect("plan_evidence", pk=plan.pk)
    return render(
        request,
        "assessments/evidence_upload.html",
        {
            "form": form,
            "plan": plan,
            "session": session,
            "rules": evidence_services.evidence_rules(),
        },
    )


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk)
    evidence = _evidence(plan, evidence_id)
    return attachment_download(evidence)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    evidence = _evidence(plan, evidence_id)
    return confirmed_action(
        request,
        lambda: evidence_services.evidence_delete(plan=plan, actor=request.user, evidence=evidence),
        done=_("“%(name)s” is deleted.") % {"name": evidence.original_name},
        detail="plan_evidence",
        pk=plan.pk,
        question=_("Delete this evidence file?"),
        what=evidence.original_name,
        button=_("Delete"),
    )
