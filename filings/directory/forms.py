"""The directory's search form (R-M5): name, occupation, and the place as province, city and
district, each list narrowed by the one above it (after the form is sent: no script needed)."""

from django import forms
from django.utils.translation import gettext_lazy

from portal.core.models import Bureau


class PlaceField(forms.ChoiceField):
    """A choice among `bureaus` (given by the form); cleans to the Bureau."""

    def __init__(self, *, label, empty_label, invalid, follow: bool = False, **kwargs) -> None:
        if follow:
            # With scripts on, choosing sends the form at once so the list below follows.
            kwargs["widget"] = forms.Select(attrs={"data-autosubmit": True})
        super().__init__(
            label=label, required=False, error_messages={"invalid_choice": invalid}, **kwargs
        )
        self.empty_label = empty_label
        self.bureaus: dict[str, Bureau] = {}

    def offer(self, bureaus: list[Bureau], label) -> None:
        self.bureaus = {str(b.pk): b for b in bureaus}
        self.choices = [("", self.empty_label), *((str(b.pk), label(b)) for b in bureaus)]

    def clean(self, value):
        value = super().clean(value)
        return self.bureaus.get(value) if value else None


def _top(district: Bureau) -> Bureau:
    """The province of the district's city, or the city itself when it is a municipality."""
    city = district.parent
    return city.parent if city.parent_id else city


class DirectorySearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Enterprise name"), max_length=100, required=False)
    occupation = forms.CharField(
        label=gettext_lazy("Occupation (code or name)"), max_length=60, required=False
    )
    province = PlaceField(
        label=gettext_lazy("Province"),
        empty_label=gettext_lazy("All provinces"),
        follow=True,
        invalid=gettext_lazy("Province: choose one of the provinces in the list."),
    )
    city = PlaceField(
        label=gettext_lazy("City"),
        empty_label=gettext_lazy("All cities"),
        follow=True,
        invalid=gettext_lazy(
            "City: choose one of the cities in the list (of the province chosen)."
        ),
    )
    district = PlaceField(
        label=gettext_lazy("District"),
        empty_label=gettext_lazy("All districts"),
        invalid=gettext_lazy(
            "District: choose one of the districts in the list (of the city chosen)."
        ),
    )

    def __init__(self, *args, districts: list[Bureau], **kwargs) -> None:
        """`districts`: the districts that have entries, with their city and province loaded."""
        super().__init__(*args, **kwargs)
        provinces = {_top(d).pk: _top(d) for d in districts}
        self.fields["province"].offer(
            sorted(provinces.values(), key=lambda b: b.code), lambda b: b.area_name
        )
        province = self._chosen("province")
        if province is not None:
            districts = [d for d in districts if _top(d).pk == province.pk]
        cities = {d.parent.pk: d.parent for d in districts}
        self.fields["city"].offer(sorted(cities.values(), key=lambda b: b.code), _city_label)
        city = self._chosen("city")
        if city is not None:
            districts = [d for d in districts if d.parent_id == city.pk]
        self.fields["district"].offer(
            sorted(districts, key=lambda d: (d.parent.code, d.code)),
            lambda d: f"{d.parent.area_name} {d.area_name}",
        )

    def _chosen(self, name: str) -> Bureau | None:
        """The bureau the sent value names, if it is among the field's choices now."""
        if not self.is_bound:
            return None
        return self.fields[name].bureaus.get(str(self.data.get(name, "")))


def _city_label(city: Bureau) -> str:
    if city.parent_id:
        return f"{city.parent.area_name} {city.area_name}"
    return city.area_name
