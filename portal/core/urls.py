from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.core import display, health, rule_views

urlpatterns = [
    path("", include("portal.core.account_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The large-text mode (大字模式), kept in a cookie for every visitor.
    path("display/text-size/", display.text_size, name="text_size"),
    path("city/", include("portal.core.settings_urls")),
    # The smallest JSON answer: the baseline of `make bench`'s verify_rps, and a liveness probe.
    path("api/v1/hello", health.hello, name="hello"),
    # R-… the source text of a rule, for reviewers (the 依据 link next to a problem)
    path("rules/<str:rule>/", rule_views.rule_source_page, name="rule_source"),
]
