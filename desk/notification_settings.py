"""The user's choice of e-mail: the address notifications go to, and which topics are mailed.
The inbox gets every notification whatever is chosen here; only the owner edits their own."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.core.audit import audit_record
from supervision.notifications.topics import Topic, email_preferences_save, email_topics_off


class NotificationSettingsForm(forms.Form):
    """The address changes only with the account's password: notifications name holders and
    certificates, and a moment at an unlocked session must not send them elsewhere."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Leave it empty to get notifications in the portal only."),
        error_messages={
            "invalid": gettext_lazy(
                "This is not an e-mail address; write it like zhang.san@example.com."
            )
        },
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an e-mail about"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Every notification also appears in your inbox on the portal, whatever you choose."
        ),
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Needed only when you change the e-mail address."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        email = (data.get("email") or "").strip()
        if "email" in data and email != self.user.email:
            if not data.get("password"):
                self.add_error("password", _("Enter your password to change the e-mail address."))
            elif not self.user.check_password(data["password"]):
                self.add_error("password", _("The password is not right."))
        return data


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "email": user.email,
        "topics": [topic for topic in Topic.values if topic not in email_topics_off(user)],
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            email = form.cleaned_data["email"].strip()
            topics_on = set(form.cleaned_data["topics"])
            note = "e-mail: " + (", ".join(sorted(topics_on)) or "-")
            if email != user.email:
                note += "; address changed"
                user.email = email
                user.save(update_fields=["email"])
            email_preferences_save(user=user, topics_on=topics_on)
            audit_record(obj=user, actor=user, action="notification_settings", note=note)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    return render(request, "desk/notification_settings.html", {"form": form})
