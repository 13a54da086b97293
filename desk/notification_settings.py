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
from django.views.decorators.http import require_http_methods

from portal.core.audit import audit_record
from supervision.notifications.topics import Topic, email_preferences_save, email_topics_off


class NotificationSettingsForm(forms.Form):
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "email": user.email,
        "topics": [topic for topic in Topic.values if topic not in email_topics_off(user)],
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            email = form.cleaned_data["email"].strip()
            topics_on = set(form.cleaned_data["topics"])
            if email != user.email:
                user.email = email
                user.save(update_fields=["email"])
            email_preferences_save(user=user, topics_on=topics_on)
            audit_record(
                obj=user,
                actor=user,
                action="notification_settings",
                note=", ".join(sorted(topics_on)) or "-",
            )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    return render(request, "desk/notification_settings.html", {"form": form})
