"""The city's audit trail for an inspector: logins, refusals, changes and exports of the city's
people, filtered by period, outcome and text, and exported to Excel (the export is audited too).
Only a city administrator sees it; anyone else gets a 404."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.core.access import access_administered_city
from portal.core.models import AuditEvent, AuditOutcome, Bureau
from portal.core.pagination import BoundedPaginator
from portal.core.xlsx import workbook_bytes, xlsx_response

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000


def audit_events_of_city(city: Bureau) -> QuerySet[AuditEvent]:
    """What the city's people did, and what was tried against their accounts."""
    people = (
        get_user_model()
        .objects.filter(
            Q(membership__bureau=city)
            | Q(membership__bureau__parent=city)
            | Q(membership__enterprise__district__parent=city)
        )
        .values("pk")
    )
    user_type = ContentType.objects.get_for_model(get_user_model())
    return AuditEvent.objects.filter(
        Q(actor__in=people) | Q(content_type=user_type, object_id__in=people)
    )


class AuditFilterForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("All"))] + AuditOutcome.choices,
    )
    q = forms.CharField(label=gettext_lazy("User, address or text"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def narrow(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        if data.get("start"):
            events = events.filter(at__gte=dt.datetime.combine(data["start"], dt.time(), zone))
        if data.get("end"):
            day_after = data["end"] + dt.timedelta(days=1)
            events = events.filter(at__lt=dt.datetime.combine(day_after, dt.time(), zone))
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
        text = data.get("q", "").strip()
        if text:
            events = events.filter(
                Q(actor__username__icontains=text)
                | Q(address__startswith=text)
                | Q(note__icontains=text)
                | Q(action__icontains=text)
            )
        return events


def _filtered(request: HttpRequest, city: Bureau) -> tuple[AuditFilterForm, QuerySet]:
    form = AuditFilterForm(request.GET or None)
    events = audit_events_of_city(city).select_related("actor", "actor__membership")
    if form.is_bound and form.is_valid():
        events = form.narrow(events)
    elif form.is_bound:
        events = events.none()
    return form, events.order_by("-at", "-id")


@login_required
@require_safe
def audit_trail(request: HttpRequest) -> HttpResponse:
    city = access_administered_city(user=request.user)
    form, events = _filtered(request, city)
    page = BoundedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_trail.html",
        {"city": city, "form": form, "page": page, "query": request.GET.urlencode()},
    )


def _row(event: AuditEvent) -> list[str]:
    actor = event.actor
    name = getattr(getattr(actor, "membership", None), "full_name", "") if actor else ""
    return [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        actor.username if actor else "",
        name,
        event.address or "",
        event.action_display,
        event.get_outcome_display(),
        event.note,
        str(event.seq or ""),
    ]


@login_required
@require_safe
def audit_trail_export(request: HttpRequest) -> HttpResponse:
    city = access_administered_city(user=request.user)
    form, events = _filtered(request, city)
    rows = [_row(event) for event in events[:EXPORT_LIMIT]]
    content = workbook_bytes(
        title=_("Audit trail"),
        headers=[
            _("Time"),
            _("User"),
            _("Full name"),
            _("Address"),
            _("Action"),
            _("Outcome"),
            _("Note"),
            _("Place in the chain"),
        ],
        rows=rows,
        widths=[20, 16, 12, 16, 18, 8, 60, 10],
    )
    name = f"{city.name}-{_('Audit trail')}-{timezone.localdate().isoformat()}.xlsx"
    return xlsx_response(content, filename=name)
