from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("", include("portal.core.urls")),
    path("", include("filings.urls")),
    path("", include("assessments.urls")),
]
