"""The pages of a scheme's application conditions (申报条件, 破格条件; seed 004 §三(一)(二)):
the enterprise adds, edits and removes a level's routes while the scheme is editable; everyone
who sees the scheme reads them on its page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments.models import ApplicationRoute, ExceptionalGround
from assessments.schemes import condition_services
from assessments.schemes.conditions import route_summary
from assessments.schemes.views import _editable_scheme, _part_delete
from filings.models import LEVEL_NAMES
from portal.core.record_views import part_form


def _years(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=50,
        max_digits=4,
        decimal_places=1,
        error_messages=dict.fromkeys(
            ["invalid", "min_value", "max_value", "max_digits", "max_whole_digits"],
            gettext_lazy("Enter a number of years from 0 to 50, e.g. 6 or 1.5."),
        )
        | {"max_decimal_places": gettext_lazy("Use at most one decimal place, e.g. 1.5.")},
    )


class RouteForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    level = forms.TypedChoiceField(
        label=gettext_lazy("level applied for"),
        coerce=int,
        error_messages=dict.fromkeys(
            ["required", "invalid_choice"],
            gettext_lazy("Choose one of the levels the scheme assesses."),
        ),
    )
    ground = forms.ChoiceField(
        label=gettext_lazy("ground for the exceptional application"),
        required=False,
        choices=[("", "—"), *ExceptionalGround.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose the ground from the list.")},
    )
    min_years_in_occupation = _years(gettext_lazy("years in the occupation, at least"))
    min_years_employed = _years(gettext_lazy("years since joining the enterprise, at least"))
    prior_certificate_level = forms.TypedChoiceField(
        label=gettext_lazy("certificate already held"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Choose a level from the list.")},
    )
    min_years_since_certificate = _years(gettext_lazy("years since that certificate, at least"))
    min_training_hours = forms.IntegerField(
        label=gettext_lazy("training hours before the assessment, at least"),
        required=False,
        min_value=1,
        max_value=5000,
        error_messages=dict.fromkeys(
            ["invalid", "min_value", "max_value"],
            gettext_lazy("Enter a whole number of hours from 1 to 5000, e.g. 400."),
        ),
    )

    class Meta:
        model = ApplicationRoute
        fields = [
            "level",
            "exceptional",
            "ground",
            "description",
            "min_years_in_occupation",
            "min_years_employed",
            "prior_certificate_level",
            "min_years_since_certificate",
            "min_training_hours",
        ]
        help_texts = {
            "exceptional": gettext_lazy(
                "An exceptional route (破格) replaces the ordinary ones for a roster row that "
                "states its reason and evidence; its minimums, if any, still apply."
            ),
            "description": gettext_lazy(
                "How the route reads in the scheme, e.g. 取得本职业五级证书后，累计从事本职业"
                "工作4年以上; for an exceptional route, who qualifies, e.g. 市级以上职业技能竞赛"
                "前三名."
            ),
        }
        error_messages = {
            "description": {"max_length": gettext_lazy("At most %(limit_value)d characters.")},
        }

    def __init__(self, *args, scheme_levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (level, LEVEL_NAMES[level]) for level in sorted(scheme_levels, reverse=True)
        ]
        self.fields["prior_certificate_level"].choices = [
            ("", "—"),
            *((level, LEVEL_NAMES[level]) for level in (5, 4, 3, 2)),
        ]

    def _get_validation_exclusions(self):
        # The service names what a route's constraints refuse, field by field.
        return super()._get_validation_exclusions() | {
            "level",
            "prior_certificate_level",
            "min_years_since_certificate",
        }


def _route_form(request: HttpRequest, pk: int, route: ApplicationRoute | None) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    return part_form(
        request,
        owner=scheme,
        part=route,
        name="route",
        form_class=RouteForm,
        save=lambda instance, version: condition_services.scheme_route_save(
            scheme=scheme, actor=request.user, route=instance, expected_version=version
        ),
        saved=_("The application condition is saved."),
        template="assessments/scheme_route_form.html",
        detail="scheme_detail",
        form_kwargs={"scheme_levels": scheme.levels},
        context={"scheme": scheme},
    )


@login_required
def scheme_route_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _route_form(request, pk, None)


@login_required
def scheme_route_edit(request: HttpRequest, pk: int, route_id: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    return _route_form(request, pk, get_object_or_404(scheme.application_routes, pk=route_id))


@login_required
@require_http_methods(["GET", "POST"])
def scheme_route_delete(request: HttpRequest, pk: int, route_id: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    route = get_object_or_404(scheme.application_routes, pk=route_id)
    return _part_delete(
        request,
        scheme,
        part=route,
        name="route",
        delete=condition_services.scheme_route_delete,
        removed=_("The application condition is removed."),
        question=_("Remove this application condition?"),
        what=route_summary(route),
    )
