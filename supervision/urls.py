from django.urls import include, path

# One module of patterns per area; every name is unique across the project.
urlpatterns = [
    path("", include("supervision.draw_urls")),
    path("", include("supervision.inspection_urls")),
    path("", include("supervision.complaint_urls")),
    path("", include("supervision.annual_urls")),
    path("", include("supervision.reminder_urls")),
    path("", include("supervision.stats_urls")),
]
