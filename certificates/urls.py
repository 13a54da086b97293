"""The certificates app's pages, area by area; the public verification pages are included
first by portal/urls.py (resolved on every call of the API)."""

from django.urls import include, path

urlpatterns = [
    path("", include("certificates.records.urls")),
    path("", include("certificates.revocation.urls")),
    path("", include("certificates.issuance.urls")),
    path("", include("certificates.numbering.urls")),
    path("", include("certificates.reports.urls")),
]
