"""The reviewers' forms: the district's opinion, the city's experts and decision, an expert's
opinion (R-F5 … R-F7)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from filings.models import Recommendation


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("opinion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("opinion or reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in ("return", "reject") and not cleaned.get("note", "").strip():
            self.add_error(
                "note", _("Say why: the enterprise reads this reason on its filing page.")
            )
        return cleaned


def visit_not_in_future(day):
    """R-F6: the on-site evaluation has taken place when its opinion is given."""
    today = timezone.localdate()
    if day and day > today:
        raise forms.ValidationError(
            _(
                "The on-site evaluation date %(day)s is after today (%(today)s): enter the day "
                "you visited the enterprise."
            )
            % {"day": day.isoformat(), "today": today.isoformat()}
        )
    return day


class ExpertOpinionForm(forms.Form):
    """R-F6: the expert's opinion with a single score (no checklist in force)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    visited_on = forms.DateField(
        label=_("on-site evaluation date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    score = forms.IntegerField(label=_("score (0–100)"), min_value=0, max_value=100)
    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("written opinion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )

    def __init__(self, *args, checklist: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)

    def clean_visited_on(self):
        return visit_not_in_future(self.cleaned_data.get("visited_on"))

    def opinion_data(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("visited_on", "score", "recommendation", "opinion")}

    @staticmethod
    def initial_of(assignment) -> dict:
        return {
            "visited_on": assignment.visited_on,
            "score": assignment.score,
            "recommendation": assignment.recommendation,
            "opinion": assignment.opinion,
        }


class ChecklistOpinionForm(forms.Form):
    """R-F6, seed 002 §六(二): the expert scores each item of the checklist kept on their
    assignment (0 to the item's points) with a note; the total is the score. Below the pass
    mark an approval needs its reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    visited_on = forms.DateField(
        label=_("on-site evaluation date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recommendation = forms.ChoiceField(
        label=_("recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    below_pass_reason = forms.CharField(
        label=_("why you recommend approval below the pass mark"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Only when the total is below the pass mark and you recommend approval."),
    )
    opinion = forms.CharField(
        label=_("written opinion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )

    def __init__(self, *args, checklist: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        fields = {name: self.fields.pop(name) for name in ("version", "visited_on")}
        for index, item in enumerate(checklist["items"]):
            where = {"name": item["name"], "max": item["weight"]}
            whole = gettext("The score of “%(name)s” must be a whole number from 0 to %(max)s.")
            fields[f"item_{index}_score"] = forms.IntegerField(
                label=gettext("%(name)s score (0–%(max)s)") % where,
                min_value=0,
                max_value=item["weight"],
                help_text=item.get("description", ""),
                error_messages={
                    "required": gettext("Enter the score of “%(name)s” (0–%(max)s).") % where,
                    "invalid": whole % where,
                    "min_value": whole % where,
                    "max_value": gettext(
                        "The score of “%(name)s” is above its maximum of %(max)s points."
                    )
                    % where,
                },
            )
            fields[f"item_{index}_note"] = forms.CharField(
                label=gettext("%(name)s note") % where,
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        fields.update(self.fields)
        self.fields = fields

    def clean_visited_on(self):
        return visit_not_in_future(self.cleaned_data.get("visited_on"))

    def item_scores(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"score": data.get(f"item_{index}_score"), "note": data.get(f"item_{index}_note", "")}
            for index in range(len(self.checklist["items"]))
        ]

    def total(self) -> int | None:
        scores = [entry["score"] for entry in self.item_scores()]
        return None if None in scores else sum(scores)

    def clean(self):
        cleaned = super().clean()
        total = self.total()
        pass_mark = self.checklist.get("pass_mark", 0)
        if (
            total is not None
            and total < pass_mark
            and cleaned.get("recommendation") == Recommendation.APPROVE
            and not cleaned.get("below_pass_reason", "").strip()
        ):
            self.add_error(
                "below_pass_reason",
                gettext(
                    "The total of %(total)s is below the pass mark of %(pass_mark)s: say why you "
                    "recommend approval, or recommend otherwise."
                )
                % {"total": total, "pass_mark": pass_mark},
            )
        return cleaned

    def opinion_data(self) -> dict:
        data = self.cleaned_data
        return {
            "visited_on": data["visited_on"],
            "recommendation": data["recommendation"],
            "opinion": data["opinion"],
            "item_scores": self.item_scores(),
            "below_pass_reason": data.get("below_pass_reason", ""),
        }

    @staticmethod
    def initial_of(assignment) -> dict:
        initial = {
            "visited_on": assignment.visited_on,
            "recommendation": assignment.recommendation,
            "opinion": assignment.opinion,
            "below_pass_reason": assignment.below_pass_reason,
        }
        for index, item in enumerate(assignment.checklist_items):
            initial[f"item_{index}_score"] = item.get("score")
            initial[f"item_{index}_note"] = item.get("note", "")
        return initial


class ConfirmationForm(forms.Form):
    """Seed 002 §六(三): a second officer confirms the proposed decision or sends it back."""

    action = forms.ChoiceField(
        label=_("confirmation"),
        choices=[("confirm", _("Confirm and publish")), ("send_back", _("Send back to review"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason for sending back"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "send_back" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the proposed decision is sent back."))
        return cleaned
