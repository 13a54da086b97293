"""What the assessment pages share when they save an edit: the version a form was rendered
with, the save of a versioned record with its stale-edit answer, and the city's decision
form."""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.http import HttpRequest
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


def save_versioned_edit(
    request: HttpRequest,
    form,
    *,
    save: Callable[[int], object],
    data: dict,
    current: Callable[[], object],
    fields: Iterable[str],
    display: Callable,
    context: dict,
    name: str,
) -> bool:
    """Saves a valid form through `save(expected_version)`. After a stale edit the page lists
    what changed meanwhile (`context["stale"]`) and keeps the user's input, the record as it is
    now in `context[name]`; a refusal stands on the form. True once saved."""
    try:
        save(form.cleaned_data["version"] or 0)
    except StaleEdit as error:
        messages.error(request, error.message)
        fresh = current()
        context["stale"] = stale_differences(form, fresh, data, fields, display)
        keep_input_after_stale_edit(form, fresh)
        context[name] = fresh
        return False
    except ServiceError as error:
        report_refusal(request, error, form=form)
        return False
    messages.success(request, _("Saved."))
    return True


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
