"""Login in one or two steps, password change, and the second factor's own pages.

Step one is Django's login form (the password, checked through django-axes). A user with a
second factor is not logged in by it: the session only remembers, for a few minutes, who gave
the right password; step two (login_code) logs in once the app's code is right. Until then
the session is anonymous. Wrong codes count towards the lockout of the username and client.
"""

import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from portal.core import passwords, two_factor
from portal.core.access import access_administered_city
from portal.core.errors import ServiceError
from portal.core.lockout import (
    is_locked_out,
    lockout_response,
    record_failure,
    username_locked_until,
    username_lockout_response,
)

# Who gave the right password and awaits the code: {"user", "backend", "next", "at"}.
PENDING_KEY = "_login_pending"
PENDING_SECONDS = 5 * 60
SETUP_KEY = "_two_factor_setup_key"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        min_length=two_factor.CODE_DIGITS,
        max_length=two_factor.CODE_DIGITS,
        help_text=gettext_lazy("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits shown by the app."))
        return code


class LoginForm(AuthenticationForm):
    """Django's form, refusing a user name longer than any account's before it is checked:
    django-axes would store it with the failure, in a column that cannot hold it."""

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        limit = self.fields["username"].max_length
        if len(username) > limit:
            raise forms.ValidationError(
                _("User name: at most %(limit)d characters.") % {"limit": limit}
            )
        return username


class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        # Before the password is checked: a locked user name is refused whatever is typed.
        username = request.POST.get("username", "")
        until = username_locked_until(request, username)
        if until is not None:
            return username_lockout_response(request, until, username=username)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.device_of(user) is None:
            return super().form_valid(form)
        # A new key for the half-logged-in state too: a planted session id learns nothing.
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": int(time.time()),
        }
        return redirect("login_code")


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, pending
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the app; the session is logged in only when it is right."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user, pending = _pending_user(request)
    if user is None:
        if pending:
            request.session.pop(PENDING_KEY, None)
            messages.warning(
                request, _("The login took too long. Enter your user name and password again.")
            )
        return redirect("login")
    username = user.get_username()
    if is_locked_out(request, username):
        request.session.pop(PENDING_KEY, None)
        return lockout_response(request)
    until = username_locked_until(request, username)
    if until is not None:
        request.session.pop(PENDING_KEY, None)
        return username_lockout_response(request, until, username=username)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor.check_code(user=user, code=form.cleaned_data["code"])
        if check.accepted:
            del request.session[PENDING_KEY]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        if record_failure(request, username):
            request.session.pop(PENDING_KEY, None)
            return lockout_response(request)
        if check.wait_until is not None:
            form.add_error("code", two_factor.wait_message(check.wait_until))
        else:
            form.add_error("code", _("The code is wrong or was already used."))
    return render(request, "registration/login_code.html", {"form": form, "user_name": username})


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the session that changes the password stays, every other one ends."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account_security")

    def get_context_data(self, **kwargs):
        reason = passwords.password_change_reason(self.request.user)
        return super().get_context_data(
            **kwargs, required=reason is not None, why=passwords.password_change_explanation(reason)
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_change_done(user=self.request.user)
        messages.success(
            self.request,
            _("Your password is changed; every other session of your account is logged out."),
        )
        return response


@login_required
@require_safe
def account_security(request: HttpRequest) -> HttpResponse:
    context = {
        "may_use_two_factor": two_factor.may_use_two_factor(request.user),
        "device": two_factor.device_of(request.user),
        "disable_form": CodeForm(auto_id="disable_%s"),
    }
    return render(request, "registration/account_security.html", context)


def _staff_only(request: HttpRequest) -> None:
    if not two_factor.may_use_two_factor(request.user):
        raise Http404


@sensitive_post_parameters("code")
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol: a fresh secret as a QR code and as text, confirmed by the app's first code."""
    _staff_only(request)
    if two_factor.device_of(request.user) is not None:
        return redirect("account_security")
    key = request.session.get(SETUP_KEY) or two_factor.new_secret()
    request.session[SETUP_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_enable(user=request.user, key=key, code=form.cleaned_data["code"])
        except ServiceError as error:
            form.add_error("code", error.message)
        else:
            del request.session[SETUP_KEY]
            messages.success(
                request, _("Two-step login is on: from now on the login asks for a code.")
            )
            return redirect("account_security")
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(user=request.user, key=key),
        "secret": two_factor.secret_text(key),
        "required": settings.REQUIRE_TWO_FACTOR_FOR_STAFF,
    }
    return render(request, "registration/two_factor_setup.html", context)


@sensitive_post_parameters("code")
@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Code: enter the 6 digits shown by the app."))
        return redirect("account_security")
    try:
        two_factor.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-step login is off."))
    return redirect("account_security")


@login_required
@require_safe
def staff_two_factor(request: HttpRequest) -> HttpResponse:
    """The city administrator's view of who among the city's staff has two-step login on."""
    city = access_administered_city(user=request.user)
    rows = two_factor.staff_with_two_factor(city=city)
    context = {
        "city": city,
        "rows": rows,
        "count_on": sum(1 for row in rows if row["two_factor"]),
    }
    return render(request, "registration/staff_two_factor.html", context)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's login page: the portal's own login instead, which asks for the
    second factor (the admin's form would log a member in with the password alone)."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
