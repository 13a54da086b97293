"""Forms of the draw area; each message names the field's rule (R-M1, R-C2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.models import DrawKind

MAX_TARGETS = 200
MAX_SUPERVISORS_PER_TARGET = 5


class SupervisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        membership = getattr(obj, "membership", None)
        name = (membership.full_name if membership else "") or obj.get_username()
        bureau = membership.bureau.name if membership and membership.bureau_id else ""
        return f"{name}（{obj.get_username()}）{' · ' + bureau if bureau else ''}"


class SupervisorProfileForm(forms.Form):
    """Add a supervisor to the pool (with `candidates`) or change an entry (without)."""

    user = SupervisorChoiceField(
        label=_("Quality supervisor"),
        queryset=None,
        error_messages={
            # R-C2
            "required": _("Choose the supervisor to add."),
            "invalid_choice": _(
                # R-C2
                "Choose a quality supervisor of this city who is not in the pool yet."
            ),
        },
    )
    employer = forms.ModelChoiceField(
        label=_("works at (filed enterprise)"),
        queryset=None,
        required=False,
        empty_label=_("None of the filed enterprises"),
        # R-C2
        help_text=_("A draw never sends a supervisor to the enterprise they work at."),
        error_messages={
            # R-C2
            "invalid_choice": _("Works at: choose a filed enterprise of the city, or none.")
        },
    )
    employer_name = forms.CharField(
        label=_("work unit"),
        max_length=100,
        required=False,
        help_text=_("Where the supervisor works, in words, e.g. a school or an association."),
        # R-C2
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )
    active = forms.BooleanField(
        label=_("in the draw pool"),
        required=False,
        initial=True,
        help_text=_("Only supervisors in the pool are drawn."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, candidates=None, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        if candidates is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = candidates
            del self.fields["version"]


class DrawForm(forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=100,
        error_messages={
            # R-M1
            "required": _("Give the draw a title, e.g. 2026年第1批双随机抽查."),
            # R-M1
            "max_length": _("At most %(limit_value)d characters."),
        },
    )
    kind = forms.ChoiceField(
        label=_("targets"),
        choices=DrawKind.choices,
        initial=DrawKind.ENTERPRISES,
        help_text=_(
            # R-C2
            "Filed enterprises of the city, or the acknowledged assessment sessions of the next "
            "60 days."
        ),
        error_messages=dict.fromkeys(
            # R-M1
            ["required", "invalid_choice"],
            _("Choose what is drawn."),
        ),
    )
    target_count = forms.IntegerField(
        label=_("number of targets"),
        min_value=1,
        max_value=MAX_TARGETS,
        initial=5,
        error_messages={
            # R-M1
            "required": _("Enter how many targets to draw."),
            # R-M1
            "invalid": _("Enter a whole number of targets."),
            # R-M1
            "min_value": _("Draw at least %(limit_value)s target."),
            # R-M1
            "max_value": _("At most %(limit_value)s targets in one draw."),
        },
    )
    supervisors_per_target = forms.IntegerField(
        label=_("supervisors per target"),
        min_value=1,
        max_value=MAX_SUPERVISORS_PER_TARGET,
        initial=2,
        error_messages={
            # R-C2
            "required": _("Enter how many supervisors go to each target."),
            # R-C2
            "invalid": _("Enter a whole number of supervisors."),
            # R-C2
            "min_value": _("At least %(limit_value)s supervisor per target."),
            # R-C2
            "max_value": _("At most %(limit_value)s supervisors per target."),
        },
    )
