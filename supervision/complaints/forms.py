"""Forms of the complaint channel (R-M5): the public form, the follow-up form, the bureau's
answer and the city's reassignment."""

import datetime as dt

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.directory.selectors import directory_filings
from filings.models import Enterprise
from filings.uploads import check_upload
from portal.core.models import Bureau, BureauLevel
from supervision.complaints.services import (
    ComplaintFile,
    normalize_phone,
    phone_is_valid,
)
from supervision.models import ComplaintCategory

NOT_IN_DIRECTORY = "other"
MAX_ATTACHMENTS = 3
# Three scans or photos; more is better sent when the bureau asks for it.
ATTACHMENTS_MAX_TOTAL_BYTES = 15 * 1024 * 1024
BODY_MAX_LENGTH = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [d for d in data if d]
        return [data] if data else []


def institution_choices(today: dt.date) -> list:
    """The directory's enterprises grouped by city (optgroups), then 'not in the directory'."""
    groups: dict[str, list] = {}
    seen: set[int] = set()
    filings = directory_filings(today=today).select_related("enterprise__district__parent")
    for filing in filings:
        enterprise = filing.enterprise
        if enterprise.pk in seen:
            continue
        seen.add(enterprise.pk)
        district = enterprise.district
        label = f"{enterprise.name}（{district.area_name}）"
        groups.setdefault(district.parent.area_name, []).append((str(enterprise.pk), label))
    choices: list = [("", gettext_lazy("— choose the institution —"))]
    choices += [(city, entries) for city, entries in groups.items()]
    choices.append((NOT_IN_DIRECTORY, gettext_lazy("Not in the directory (type its name below)")))
    return choices


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Bureau) -> str:
        return obj.area_name


class ComplaintForm(forms.Form):
    institution = forms.ChoiceField(
        label=gettext_lazy("Institution complained about"),
        help_text=gettext_lazy(
            "The filed enterprises of the public directory. Choose “Not in the directory” for "
            "any other institution."
        ),
        error_messages={
            "required": gettext_lazy("Choose the institution, or “Not in the directory”."),
            "invalid_choice": gettext_lazy(
                "Choose an institution of the list, or “Not in the directory”."
            ),
        },
    )
    enterprise_name = forms.CharField(
        label=gettext_lazy("Name of the institution (not in the directory)"),
        max_length=100,
        required=False,
    )
    city = CityChoiceField(
        label=gettext_lazy("City of the institution (not in the directory)"),
        queryset=Bureau.objects.none(),
        required=False,
        empty_label=gettext_lazy("— choose the city —"),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What is it about"),
        choices=[("", gettext_lazy("— choose —"))] + list(ComplaintCategory.choices),
        error_messages={"required": gettext_lazy("Choose what the complaint is about.")},
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=100,
        error_messages={"required": gettext_lazy("Give the complaint a short subject.")},
    )
    body = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("When and where, who was involved, what you saw or were told."),
        error_messages={"required": gettext_lazy("Describe what happened.")},
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=50,
        error_messages={"required": gettext_lazy("Give your name, so the bureau can reply.")},
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Your phone"),
        max_length=20,
        help_text=gettext_lazy(
            "A mobile number (11 digits) or a landline with its area code, e.g. 0755-86001234. "
            "Its last 4 digits and the reference number open the follow-up page."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": gettext_lazy("Give a phone number the bureau can call.")},
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Your e-mail (optional)"),
        required=False,
        help_text=gettext_lazy("If given, the acknowledgement and the answer are sent there."),
        error_messages={
            "invalid": gettext_lazy("Enter a valid e-mail address, or leave it empty.")
        },
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments (optional)"),
        required=False,
        help_text=gettext_lazy("Up to 3 files, PDF, JPEG or PNG, 15 MB in all."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    # Hidden from people (CSS and aria-hidden); bots that fill every field are turned away.
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = institution_choices(today)
        cities = Bureau.objects.filter(level=BureauLevel.CITY).order_by("code")
        self.fields["city"].queryset = cities
        if len(cities) == 1:
            self.fields["city"].initial = cities[0].pk
        self.checked_files: list[ComplaintFile] = []

    def clean_contact_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["contact_phone"])
        if not phone_is_valid(phone):
            raise forms.ValidationError(
                _(
                    "Enter a mainland mobile number of 11 digits (e.g. 13812345678) or a "
                    "landline with its area code (e.g. 0755-86001234)."
                )
            )
        return phone

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                _("This field must stay empty; it is there to keep automated spam out.")
            )
        return ""

    def clean_attachments(self) -> list:
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("At most %(limit)d files; you chose %(count)d. Choose the files again.")
                % {"limit": MAX_ATTACHMENTS, "count": len(uploads)}
            )
        problems = []
        checked = []
        for upload in uploads:
            try:
                checked.append((upload, check_upload(upload, field=_("each attachment"))))
            except forms.ValidationError as error:
                problems.extend(error.messages)
        total = sum(upload.size for upload in uploads)
        if total > ATTACHMENTS_MAX_TOTAL_BYTES:
            problems.append(
                _("The files make %(size)s together; at most %(limit)s are accepted.")
                % {
                    "size": filesizeformat(total),
                    "limit": filesizeformat(ATTACHMENTS_MAX_TOTAL_BYTES),
                }
            )
        if problems:
            problems.append(_("Files are not kept after a refusal: choose them again."))
            raise forms.ValidationError(problems)
        self.checked_files = [
            ComplaintFile(
                upload=upload,
                content_type=result.content_type,
                extension=result.extension,
                size=result.size,
                sha256=result.sha256,
            )
            for upload, result in checked
        ]
        return uploads

    def clean(self) -> dict:
        data = super().clean()
        institution = data.get("institution")
        data["enterprise"] = None
        if institution == NOT_IN_DIRECTORY:
            if not data.get("enterprise_name", "").strip():
                self.add_error(
                    "enterprise_name",
                    _("Type the name of the institution that is not in the directory."),
                )
            if not data.get("city"):
                self.add_error("city", _("Choose the city where the institution is."))
        elif institution:
            enterprise = (
                Enterprise.objects.select_related("district__parent")
                .filter(pk=int(institution))
                .first()
            )
            if enterprise is None:
                self.add_error(
                    "institution",
                    _("Choose an institution of the list, or “Not in the directory”."),
                )
            data["enterprise"] = enterprise
        return data

    def complaint_data(self) -> dict:
        data = self.cleaned_data
        return {
            "enterprise_name": data.get("enterprise_name", "").strip(),
            "category": data["category"],
            "subject": data["subject"].strip(),
            "body": data["body"].strip(),
            "contact_name": data["contact_name"].strip(),
            "contact_phone": data["contact_phone"],
            "contact_email": data.get("contact_email", ""),
        }


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference number"),
        max_length=30,
        help_text=gettext_lazy("As shown after you filed the complaint, e.g. TS20261102AB3CDE."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the reference number of the complaint.")},
    )
    phone_last4 = forms.RegexField(
        label=gettext_lazy("Last 4 digits of your phone"),
        regex=r"^\d{4}$",
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter the last 4 digits of the phone you gave."),
            "invalid": gettext_lazy("Enter exactly 4 digits."),
        },
    )


class TakeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=gettext_lazy("Answer to the complainant"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_MAX_LENGTH,
        help_text=gettext_lazy(
            "The complainant reads it on the follow-up page (and by e-mail if given)."
        ),
        error_messages={
            # R-M5
            "required": gettext_lazy("Write the answer the complainant will read.")
        },
    )
    substantiated = forms.TypedChoiceField(
        label=gettext_lazy("Was the complaint substantiated?"),
        choices=[
            ("yes", gettext_lazy("Yes, substantiated")),
            ("no", gettext_lazy("No, not substantiated")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A substantiated complaint about a filed enterprise counts in its annual evaluation."
        ),
        error_messages={"required": gettext_lazy("Say whether the complaint was substantiated.")},
    )
    finding = forms.CharField(
        label=gettext_lazy("Internal notes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=BODY_MAX_LENGTH,
        help_text=gettext_lazy(
            "What was checked and found; seen only by the bureaus, never by the complainant."
        ),
    )


class BureauChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Bureau) -> str:
        return obj.name


class ReassignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    bureau = BureauChoiceField(
        label=gettext_lazy("Pass to"),
        queryset=Bureau.objects.none(),
        error_messages={"required": gettext_lazy("Choose the bureau that should handle it.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Why (internal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, city: Bureau, exclude_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = (
            (Bureau.objects.filter(pk=city.pk) | Bureau.objects.filter(parent=city))
            .exclude(pk=exclude_id)
            .order_by("code")
        )
