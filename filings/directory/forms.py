"""The directory's search form (R-M5)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from portal.core.models import Bureau


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Bureau) -> str:
        return f"{obj.parent.area_name} {obj.area_name}"


class DirectorySearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Enterprise name"), max_length=100, required=False)
    occupation = forms.CharField(
        label=gettext_lazy("Occupation (code or name)"), max_length=60, required=False
    )
    district = DistrictChoiceField(
        label=gettext_lazy("District"),
        queryset=Bureau.objects.none(),
        required=False,
        empty_label=gettext_lazy("All districts"),
    )

    def __init__(self, *args, districts: QuerySet[Bureau], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
