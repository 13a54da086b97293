"""What the assessment pages share when they save an edit: the version a form was rendered
with and the city's decision form."""

from django import forms
from django.utils.translation import gettext_lazy


def posted_version(data) -> int | None:
    """The version a page was rendered with (its hidden "version" input); None without one."""
    try:
        return int(data.get("version", ""))
    except (TypeError, ValueError):
        return None


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
