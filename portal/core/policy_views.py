"""The policy pages of a bureau's administrator at any level (province, city, district): the
values its level may set, what the level below may set, presets, and for a province the cities
it sets up. Anyone else, a bureau's reviewer who is not its administrator included, gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.core.access import access_administered_bureau
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import report_refusal
from portal.core.models import BureauLevel
from portal.core.policy import effective_policy, policy_row
from portal.core.policy_fields import presets_for_bureau, value_rows
from portal.core.policy_forms import CityCreateForm, PolicyForm, PresetChoiceForm
from portal.core.policy_services import city_create, policy_update, preset_apply, preset_changes
from portal.core.presets import PRESETS


def _locked_rows(bureau, policy, form: PolicyForm):
    """The values shown but not editable here, with the value in force and who set it."""
    return [row for row in value_rows(bureau, policy) if row.name not in form.names]


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    bureau = access_administered_bureau(user=request.user)
    row = policy_row(bureau)
    policy = effective_policy(bureau)
    stale = False
    if request.method == "POST":
        form = PolicyForm(request.POST, bureau=bureau, policy=policy, row=row)
        if form.is_valid():
            try:
                policy_update(
                    policy=row,
                    actor=request.user,
                    data=form.policy_data(),
                    delegated=form.delegated(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as problem:
                # Keep the user's input, against the current version so a second save works.
                row.refresh_from_db()
                policy = effective_policy(bureau)
                data = request.POST.copy()
                data["version"] = str(row.version)
                form = PolicyForm(data, bureau=bureau, policy=policy, row=row)
                form.is_valid()
                form.add_error(None, problem.message)
                stale = True
            except ServiceError as problem:
                report_refusal(request, problem, form=form)
            else:
                messages.success(request, _("The policy was saved."))
                return redirect("city_settings")
    else:
        form = PolicyForm(bureau=bureau, policy=policy, row=row)
    context = {
        "bureau": bureau,
        "city": bureau,
        "form": form,
        "stale": stale,
        "rows": value_rows(bureau, policy),
        "locked": _locked_rows(bureau, policy, form),
    }
    return render(request, "core/settings/policy_form.html", context)


@login_required
def preset_choose(request: HttpRequest) -> HttpResponse:
    """The presets for the bureau's level; choosing one leads to its confirmation page."""
    bureau = access_administered_bureau(user=request.user)
    form = PresetChoiceForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        return redirect("preset_confirm", key=form.cleaned_data["preset"])
    context = {"bureau": bureau, "form": form, "presets": presets_for_bureau(bureau)}
    return render(request, "core/settings/preset_choose.html", context)


@login_required
def preset_confirm(request: HttpRequest, key: str) -> HttpResponse:
    """The values the preset will change, before → after; a POST applies it."""
    bureau = access_administered_bureau(user=request.user)
    preset = PRESETS.get(key)
    if preset is None or preset not in presets_for_bureau(bureau):
        raise Http404
    if request.method == "POST":
        try:
            preset_apply(bureau=bureau, actor=request.user, key=key)
        except ServiceError as problem:
            report_refusal(request, problem)
        else:
            messages.success(
                request, _("The preset %(preset)s was applied.") % {"preset": preset.label}
            )
            return redirect("city_settings")
    context = {
        "bureau": bureau,
        "preset": preset,
        "changes": preset_changes(bureau, key),
        "windows": preset.yearly_windows,
    }
    return render(request, "core/settings/preset_confirm.html", context)


@login_required
def city_add(request: HttpRequest) -> HttpResponse:
    """A province's administrator sets up a city under the province."""
    province = access_administered_bureau(user=request.user)
    if province.level != BureauLevel.PROVINCE:
        raise Http404
    form = CityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            city = city_create(province=province, actor=request.user, data=form.cleaned_data)
        except ServiceError as problem:
            report_refusal(request, problem, form=form)
        else:
            messages.success(request, _("%(city)s was set up.") % {"city": city.name})
            return redirect("city_settings")
    context = {"bureau": province, "form": form}
    return render(request, "core/settings/city_form.html", context)
