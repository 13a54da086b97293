"""View steps the record pages of several areas share: a form page that calls a service, the
edit page of a versioned record with its stale-edit answer, the form of one part of a versioned
record (a scope line, a scheme component, an examiner's occupation), and what a bureau posts from
a record's detail page: its decision, the experts it assigns."""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.access import require_role
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import keep_input_after_stale_edit, report_refusal, stale_differences
from portal.core.forms import AssignExpertsForm
from portal.core.models import Role


def report_form_errors(request: HttpRequest, form) -> None:
    """A decision form posted from a detail page: its errors go to the top of that page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def post_decision(
    request: HttpRequest, form, *, act: Callable[[str, str], str], detail: str, pk: int
) -> HttpResponse:
    """A decision form posted from the detail page `detail` of record `pk`: `act(decision, note)`
    carries the decision out and returns what the success message says; the form's errors and a
    refusal go to the top of that page."""
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(detail, pk=pk)
    try:
        done = act(form.cleaned_data["decision"], form.cleaned_data["note"])
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect(detail, pk=pk)


def post_expert_assignment(
    request: HttpRequest,
    *,
    assign: Callable[[list], object],
    detail: str,
    pk: int,
    form_class: type[AssignExpertsForm] = AssignExpertsForm,
    label_errors: bool = False,
) -> HttpResponse:
    """The reviewing bureau (a city or a province) assigns experts from the detail page `detail`
    of record `pk` through `assign(experts)`, chosen on `form_class`; a problem with the choice
    goes to the top of that page (after the field's label with `label_errors`), as does a
    refusal."""
    form = form_class(
        request.POST, city=require_role(request.user, {Role.CITY, Role.PROVINCE}).bureau
    )
    if not form.is_valid():
        for error in form.errors.get("experts", []):
            messages.error(request, f"{form['experts'].label}：{error}" if label_errors else error)
        return redirect(detail, pk=pk)
    try:
        assign(list(form.cleaned_data["experts"]))
        messages.success(request, _("The experts are assigned."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect(detail, pk=pk)


def form_page(
    request: HttpRequest,
    form,
    *,
    save: Callable[[dict], object],
    saved: str,
    done: str,
    template: str,
    context: dict,
    refusal_on_form: bool = True,
) -> HttpResponse:
    """The page of `form` (bound to the POST when there is one): a valid form's
    `save(cleaned_data)` carries it out, then the user goes to the URL `done` with the message
    `saved`. A refusal stands on the form (at the top of the page without `refusal_on_form`)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ServiceError as error:
            report_refusal(request, error, form=form if refusal_on_form else None)
        else:
            messages.success(request, saved)
            return redirect(done)
    return render(request, template, {"form": form, **context})


def versioned_edit_page(
    request: HttpRequest,
    record,
    *,
    name: str,
    form_class,
    data: Callable[[object], dict],
    save: Callable[[dict, int], object],
    current: Callable[[], object],
    fields: Iterable[str],
    display: Callable,
    template: str,
    detail: str,
    form_kwargs: dict | None = None,
    context: dict | None = None,
    refusal_on_form: bool = True,
) -> HttpResponse:
    """The edit page of the versioned `record` (`name` in `template`): a valid form's `data(form)`
    is saved through `save(data, expected_version)`, then the record's detail page `detail`. After
    a stale edit the page lists what changed meanwhile (`stale`) and keeps the user's input, the
    record as `current()` reads it now; a refusal stands on the form (at the top of the page
    without `refusal_on_form`). `context` adds to the page's context."""
    form_kwargs = form_kwargs or {}
    if request.method != "POST":
        form = form_class(instance=record, initial={"version": record.version}, **form_kwargs)
        return render(request, template, {"form": form, name: record, **(context or {})})
    form = form_class(request.POST, **form_kwargs)
    context = {"form": form, name: record, **(context or {})}
    if form.is_valid():
        values = data(form)
        try:
            save(values, form.cleaned_data["version"] or 0)
        except StaleEdit as error:
            messages.error(request, error.message)
            fresh = current()
            context["stale"] = stale_differences(form, fresh, values, fields, display)
            keep_input_after_stale_edit(form, fresh)
            context[name] = fresh
        except ServiceError as error:
            report_refusal(request, error, form=form if refusal_on_form else None)
        else:
            messages.success(request, _("Saved."))
            return redirect(detail, pk=record.pk)
    return render(request, template, context)


def part_form(
    request: HttpRequest,
    *,
    owner,
    part,
    name: str,
    form_class,
    save: Callable[[object, int | None], object],
    saved: str,
    template: str,
    detail: str,
    form_kwargs: dict | None = None,
    context: dict | None = None,
    refusal_on_form: bool = True,
) -> HttpResponse:
    """The form of one part of the versioned record `owner`, new (`part` is None) or edited.
    `save(part, expected_version)` writes it; the page is `template` with the owner and the part
    under `name`, and a saved part goes back to the owner's detail page `detail`."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, instance=part, **form_kwargs)
        if form.is_valid():
            try:
                # Adding a part cannot overwrite anyone's work; editing one can.
                save(form.save(commit=False), form.cleaned_data["version"] if part else None)
            except ServiceError as error:
                report_refusal(request, error, form=form if refusal_on_form else None)
            else:
                messages.success(request, saved)
                return redirect(detail, pk=owner.pk)
    else:
        form = form_class(instance=part, initial={"version": owner.version}, **form_kwargs)
    return render(request, template, {"form": form, name: part, **(context or {})})


def expert_opinion_form(
    request: HttpRequest,
    *,
    opinion,
    form_class,
    save: Callable[..., object],
    template: str,
    detail: str,
    pk: int,
    context: dict,
    refusal_on_form: bool = True,
) -> HttpResponse:
    """An expert's own opinion on record `pk`: the form starts from their row `opinion` (one
    attribute per field of `form_class`), `save(**cleaned_data)` records it, and the expert goes
    back to the record's detail page `detail`."""
    initial = {field: getattr(opinion, field) for field in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ServiceError as error:
            report_refusal(request, error, form=form if refusal_on_form else None)
        else:
            messages.success(request, _("Your opinion is recorded."))
            return redirect(detail, pk=pk)
    return render(request, template, {"form": form, **context})


def post_action(
    request: HttpRequest, act: Callable[[], object], *, done: str, detail: str, pk: int
) -> HttpResponse:
    """An action posted from the detail page `detail` of record `pk`: `act()` carries it out, and
    the success message `done` or the refusal goes to the top of that page."""
    try:
        act()
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect(detail, pk=pk)


def confirmed_action(
    request: HttpRequest,
    act: Callable[[], object],
    *,
    done: str,
    detail: str,
    pk: int,
    question: str,
    what: str,
    button: str = "",
    consequence: str = "",
    version: int | None = None,
) -> HttpResponse:
    """A removal or another action that cannot be undone: a GET shows a page that says what it is
    about and asks (`question`, `what`), its POST carries it out as post_action does."""
    if request.method == "POST":
        return post_action(request, act, done=done, detail=detail, pk=pk)
    context = {
        "question": question,
        "what": what,
        "button": button or _("Remove"),
        "consequence": consequence or _("This cannot be undone."),
        "version": version,
        "back": reverse(detail, args=[pk]),
    }
    return render(request, "core/confirm_action.html", context)
