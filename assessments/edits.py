"""What the assessment pages share when they save an edit: the version a form was rendered
with, the edit page of a versioned record with its stale-edit answer, and the city's decision
form."""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import keep_input_after_stale_edit, report_refusal, stale_differences


def posted_version(data) -> int | None:
    """The version a page was rendered with (its hidden "version" input); None without one."""
    try:
        return int(data.get("version", ""))
    except (TypeError, ValueError):
        return None


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
) -> HttpResponse:
    """The edit page of the versioned `record` (`name` in `template`): a valid form's `data(form)`
    is saved through `save(data, expected_version)`, then the record's detail page `detail`. After
    a stale edit the page lists what changed meanwhile (`stale`) and keeps the user's input, the
    record as `current()` reads it now; a refusal stands on the form."""
    form_kwargs = form_kwargs or {}
    if request.method != "POST":
        form = form_class(instance=record, initial={"version": record.version}, **form_kwargs)
        return render(request, template, {"form": form, name: record})
    form = form_class(request.POST, **form_kwargs)
    context = {"form": form, name: record}
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
            report_refusal(request, error, form=form)
        else:
            messages.success(request, _("Saved."))
            return redirect(detail, pk=record.pk)
    return render(request, template, context)


class CityDecisionForm(forms.Form):
    """The city's decision on what an enterprise submitted: accept it (`ACCEPT`, a choice), or
    return it for correction with the reason the enterprise reads (`RETURN_REASON` asks for it)."""

    ACCEPT: tuple[str, str]
    RETURN_REASON: str

    decision = forms.ChoiceField(label=gettext_lazy("decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=gettext_lazy("opinion or reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            self.ACCEPT,
            ("return", gettext_lazy("Return for correction")),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("note", "").strip():
            self.add_error("note", self.RETURN_REASON)
        return cleaned
