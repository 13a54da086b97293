from django.urls import include, path

# One module of patterns per area; every name is unique across the project.
urlpatterns = [
    path("", include("supervision.draws.urls")),
    path("", include("supervision.inspections.urls")),
    path("", include("supervision.complaints.urls")),
    path("", include("supervision.annual.urls")),
    path("", include("supervision.sanctions.urls")),
    path("", include("supervision.stats.urls")),
]
