"""Forms of the scheme pages; every message names its rule (R-S1 … R-S5)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    ComponentKind,
    EvaluationMethod,
    EvaluationScheme,
    LevelMapping,
    SchemeComponent,
    SchemeRecommendation,
)
from assessments.schemes.services import SCHEME_FIELDS
from filings.levels import LEVEL_CHOICES
from filings.models import LEVEL_NAMES
from portal.core.forms import AssignExpertsForm as CoreAssignExpertsForm

# R-S2
PERCENT_ERRORS = {
    key: _("Enter a number from 0 to 100.")
    for key in ["required", "invalid", "min_value", "max_value", "max_digits", "max_whole_digits"]
} | {"max_decimal_places": _("Use at most two decimal places.")}


class SchemeForm(forms.ModelForm):
    """The scheme's own fields; on the create page also the filed occupation it is for."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    levels = forms.TypedMultipleChoiceField(
        label=_("levels offered"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            # R-S4
            "required": _("Choose at least one level the scheme assesses."),
            # R-S4
            "invalid_choice": _("Choose levels among 5 to 1."),
        },
    )
    methods = forms.MultipleChoiceField(
        label=_("evaluation methods"),
        choices=EvaluationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            # R-S2
            "required": _("Choose at least one evaluation method."),
            # R-S2
            "invalid_choice": _("Choose methods from the list."),
        },
    )
    declared_methods = forms.CharField(
        label=_("the enterprise's own evaluation methods"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Methods the enterprise defines itself, one a line, e.g. 项目成果评审; describe "
            "each in the scheme."
        ),
    )

    class Meta:
        model = EvaluationScheme
        fields = SCHEME_FIELDS
        widgets = {
            "application_conditions": forms.Textarea(attrs={"rows": 3}),
            "exceptional_conditions": forms.Textarea(attrs={"rows": 3}),
            "direct_recognition_criteria": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "standard_name": _(
                # R-S1
                "The national occupational skill standard where one exists, else the industry or "
                "enterprise norm, never below the national one."
            ),
            "direct_recognition_criteria": _(
                # R-S2
                "Required when direct recognition is a method: e.g. winners of skill competitions, "
                "major technical contributions."
            ),
            "exceptional_conditions": _("Conditions for applying out of the ordinary (破格)."),
            "online_recognition": _("The recognition is carried out online (线上认定)."),
            "application_conditions": _(
                "A description for readers; the conditions the roster import checks are set per "
                "level on the scheme's page (申报条件, 破格条件)."
            ),
        }
        error_messages = {
            "standard_name": {
                # R-S1
                "required": _("Name the standard or norm the scheme follows."),
            },
            "standard_basis": {
                # R-S1
                "required": _("Choose the kind of standard."),
                # R-S1
                "invalid_choice": _("Choose the kind of standard from the list."),
            },
        }

    def __init__(self, *args, scope_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["declared_methods"] = "\n".join(self.instance.declared_methods or [])
        if scope_lines is not None:
            self.fields["scope_line"] = forms.ModelChoiceField(
                label=_("filed occupation"),
                queryset=scope_lines,
                empty_label=None,
                error_messages={
                    "required": _(
                        # R-P4
                        "Choose an occupation of the enterprise's approved, valid filing."
                    ),
                    "invalid_choice": _(
                        # R-P4, R-S5
                        "Choose an occupation of the enterprise's approved, valid filing that "
                        "has no scheme yet."
                    ),
                },
            )
            self.fields["scope_line"].label_from_instance = _line_label
            self.order_fields(["scope_line", *SCHEME_FIELDS])

    def clean_declared_methods(self) -> list[str]:
        lines = (self.cleaned_data.get("declared_methods") or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def scheme_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in SCHEME_FIELDS}


def _line_label(line) -> str:
    work_type = f" — {line.work_type.name}" if line.work_type_id else ""
    levels = "、".join(str(LEVEL_NAMES[level]) for level in sorted(line.levels, reverse=True))
    return f"{line.occupation.code} {line.occupation.name}{work_type}（{levels}）"


class ComponentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    weight = forms.DecimalField(
        label=_("weight (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        error_messages=PERCENT_ERRORS,
    )
    pass_mark = forms.DecimalField(
        label=_("pass mark"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=60,
        error_messages=PERCENT_ERRORS,
    )

    class Meta:
        model = SchemeComponent
        fields = ["kind", "weight", "pass_mark", "veto"]
        help_texts = {
            "veto": _(
                # R-S3
                "A serious safety violation on the job within the period fails the examinee "
                "whatever the scores. Only the safety production component can carry it."
            ),
        }
        error_messages = {
            "kind": {
                # R-S2
                "required": _("Choose the component."),
                # R-S2
                "invalid_choice": _("Choose the component from the list."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ComponentKind.choices


class MappingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    national_level = forms.TypedChoiceField(
        label=_("national level"),
        coerce=int,
        error_messages={
            # R-S4
            "required": _("Choose the national level it corresponds to."),
            # R-S4
            "invalid_choice": _("Choose one of the national levels the scheme assesses."),
        },
    )

    class Meta:
        model = LevelMapping
        fields = ["enterprise_level", "national_level"]
        help_texts = {
            "enterprise_level": _(
                # R-S4
                "A level the enterprise defines itself, e.g. 特级技师, 首席技师 or a sub-level "
                "such as 三级（甲等）."
            ),
        }
        error_messages = {
            "enterprise_level": {
                # R-S4
                "required": _("Name the enterprise's own level."),
                # R-S4
                "max_length": _("At most %(limit_value)d characters."),
            },
        }

    def __init__(self, *args, scheme_levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_level"].choices = [
            (level, LEVEL_NAMES[level]) for level in sorted(scheme_levels, reverse=True)
        ]


class AssignExpertsForm(CoreAssignExpertsForm):
    refusals = {
        # R-S5
        "required": _("Choose at least one expert to evaluate the scheme."),
        # R-S5
        "invalid_choice": _("Choose experts of the city from the list."),
        # R-S5
        "invalid_pk_value": _("Choose experts of the city from the list."),
    }


class ExpertOpinionForm(forms.Form):
    score = forms.IntegerField(
        label=_("score (0–100)"),
        min_value=0,
        max_value=100,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value", "max_value"],
            # R-S5
            _("Give a score from 0 to 100."),
        ),
    )
    recommendation = forms.ChoiceField(
        label=_("recommendation"),
        widget=forms.RadioSelect,
        error_messages=dict.fromkeys(
            # R-S5
            ["required", "invalid_choice"],
            _("Recommend approval or correction."),
        ),
    )
    opinion = forms.CharField(
        label=_("written opinion"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={
            # R-S5
            "required": _("Write the opinion the city decides on."),
            # R-S5
            "max_length": _("At most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = SchemeRecommendation.choices


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        widget=forms.RadioSelect,
        error_messages=dict.fromkeys(
            # R-S5
            ["required", "invalid_choice"],
            _("Choose approval or return."),
        ),
    )
    note = forms.CharField(
        label=_("opinion or reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        # R-S5
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = SchemeRecommendation.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("note", "").strip():
            self.add_error(
                "note",
                # R-S5
                _("Say what must be corrected: the enterprise reads it on the scheme page."),
            )
        return cleaned
