"""Login, password and second-factor pages (portal.core.login_views)."""

from django.urls import path

from portal.core import login_views

urlpatterns = [
    path("accounts/login/", login_views.PortalLoginView.as_view(), name="login"),
    path("accounts/login/code/", login_views.login_code, name="login_code"),
    path("accounts/security/", login_views.account_security, name="account_security"),
    path(
        "accounts/password/",
        login_views.PortalPasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/two-factor/", login_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/off/", login_views.two_factor_disable, name="two_factor_disable"),
    path("city/staff/two-factor/", login_views.staff_two_factor, name="staff_two_factor"),
]
