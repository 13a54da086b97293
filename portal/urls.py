from django.contrib import admin
from django.urls import include, path

from portal.core.login_views import admin_login

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin logs in through the portal's login, so a second factor cannot be skipped there.
    path("django-admin/login/", admin_login),
    path("django-admin/", admin.site.urls),
    # First: the public verification API is resolved on every call, and each pattern tried
    # before it costs time (make bench, verify_rps).
    path("", include("certificates.verification.urls")),
    path("", include("desk.urls")),
    path("", include("portal.core.urls")),
    path("", include("filings.urls")),
    path("", include("assessments.urls")),
    path("", include("certificates.urls")),
    path("", include("supervision.urls")),
]
