"""The filings app's pages, area by area."""

from django.urls import include, path

urlpatterns = [
    path("", include("filings.enterprises.urls")),
    path("", include("filings.filings.urls")),
    path("", include("filings.review.urls")),
    path("", include("filings.directory.urls")),
]
