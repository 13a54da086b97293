"""The form of an application window (R-F4): once on dates, or every year on month-days."""

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.forms import DATE_INPUT, SettingsForm
from portal.core.models import ApplicationWindow, WindowRepeat
from portal.core.window_services import YEARLY_YEAR

MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class ApplicationWindowForm(SettingsForm):
    """Dates for a window open once; month-days ("05-31") for one that repeats every year.
    `cleaned_data` carries name, repeat, opens_on and closes_on (a yearly window's in 2000)."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Optional, e.g. 2026年上半年."),
    )
    repeat = forms.ChoiceField(
        label=gettext_lazy("Repeats"),
        choices=WindowRepeat.choices,
        initial=WindowRepeat.ONCE,
        required=False,
        widget=forms.RadioSelect,
    )
    opens_on = forms.DateField(
        label=gettext_lazy("Opens on"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("For a window open once."),
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Closes on"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("For a window open once."),
    )
    opens_md = forms.CharField(
        label=gettext_lazy("Opens every year on (month-day)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "01-01", "inputmode": "numeric"}),
        help_text=gettext_lazy("For a window that repeats every year, e.g. 01-01."),
    )
    closes_md = forms.CharField(
        label=gettext_lazy("Closes every year on (month-day)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "05-31", "inputmode": "numeric"}),
        help_text=gettext_lazy("For a window that repeats every year, e.g. 05-31."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "closes_on"):
            field = self.fields[name]
            field.error_messages["invalid"] = _("“%(field)s” must be a date like 2026-05-31.") % {
                "field": field.label
            }

    @classmethod
    def initial_for(cls, window: ApplicationWindow | None) -> dict | None:
        if window is None:
            return None
        initial = {"name": window.name, "repeat": window.repeat}
        if window.repeat == WindowRepeat.YEARLY:
            initial["opens_md"] = window.opens_on.strftime("%m-%d")
            initial["closes_md"] = window.closes_on.strftime("%m-%d")
        else:
            initial["opens_on"] = window.opens_on
            initial["closes_on"] = window.closes_on
        return initial

    def _month_day(self, name: str) -> dt.date | None:
        label = self.fields[name].label
        value = self.cleaned_data.get(name, "")
        if not value:
            self.add_error(name, _("Enter “%(field)s”.") % {"field": label})
            return None
        match = MONTH_DAY.match(value)
        try:
            if match is None:
                raise ValueError
            return dt.date(YEARLY_YEAR, int(match[1]), int(match[2]))
        except ValueError:
            self.add_error(
                name,
                _("“%(field)s” must be a month and day like 05-31; “%(value)s” is not.")
                % {"field": label, "value": value},
            )
            return None

    def _date(self, name: str) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value is None and name not in self.errors:
            self.add_error(name, _("Enter “%(field)s”.") % {"field": self.fields[name].label})
        return value

    def clean(self) -> dict:
        data = super().clean()
        repeat = data.get("repeat") or WindowRepeat.ONCE
        data["repeat"] = repeat
        if repeat == WindowRepeat.YEARLY:
            opens_on, closes_on = self._month_day("opens_md"), self._month_day("closes_md")
        else:
            opens_on, closes_on = self._date("opens_on"), self._date("closes_on")
        data["opens_on"], data["closes_on"] = opens_on, closes_on
        if opens_on and closes_on and closes_on < opens_on and repeat == WindowRepeat.ONCE:
            self.add_error(
                "closes_on",
                _("“Closes on” (%(closes)s) must not be before “Opens on” (%(opens)s).")
                % {"closes": closes_on.isoformat(), "opens": opens_on.isoformat()},
            )
        return data

    def window_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("name", "repeat", "opens_on", "closes_on")
        }
