"""Application windows (R-F4): the windows page of a province, a city or a delegated district,
and its add, edit and delete pages. Only the bureau's policy administrator sees them; anyone
else, a district the city did not delegate windows to included, gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.models import ApplicationWindow, Bureau
from portal.core.record_views import form_page
from portal.core.window_forms import ApplicationWindowForm
from portal.core.window_services import (
    access_window,
    access_window_bureau,
    application_window_delete,
    application_window_save,
    city_windows_for,
    window_label,
    window_rows,
    windows_below,
    windows_page_facts,
)


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    bureau = access_window_bureau(user=request.user)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    today = timezone.localdate()
    context = {
        "bureau": bureau,
        "rows": window_rows(bureau, today),
        "facts": windows_page_facts(bureau),
        "below": windows_below(bureau, today),
        "today": today,
    }
    return render(request, "core/windows/list.html", context)


def _window_form_page(
    request: HttpRequest, bureau: Bureau, window: ApplicationWindow | None
) -> HttpResponse:
    form = ApplicationWindowForm(
        request.POST or None, initial=ApplicationWindowForm.initial_for(window)
    )
    return form_page(
        request,
        form,
        save=lambda data: application_window_save(
            bureau=bureau, actor=request.user, data=form.window_data(), window=window
        ),
        saved=_("The application window was saved."),
        done=reverse("window_list"),
        template="core/windows/form.html",
        context={"bureau": bureau, "window": window, "outer": city_windows_for(bureau)},
    )


@login_required
def window_add(request: HttpRequest) -> HttpResponse:
    bureau = access_window_bureau(user=request.user)
    return _window_form_page(request, bureau, None)


@login_required
def window_edit(request: HttpRequest, window_id: int) -> HttpResponse:
    bureau, window = access_window(user=request.user, window_id=window_id)
    return _window_form_page(request, bureau, window)


@login_required
def window_delete(request: HttpRequest, window_id: int) -> HttpResponse:
    bureau, window = access_window(user=request.user, window_id=window_id)
    if request.method == "POST":
        application_window_delete(window=window, actor=request.user)
        messages.success(request, _("The application window was deleted."))
        return redirect("window_list")
    context = {"bureau": bureau, "window": window, "label": window_label(window)}
    return render(request, "core/windows/delete.html", context)
