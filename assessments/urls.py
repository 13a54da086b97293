from django.urls import include, path

urlpatterns = [
    path("", include("assessments.plans.urls")),
    path("", include("assessments.schemes.urls")),
    path("", include("assessments.examiners.urls")),
    path("", include("assessments.rosters.urls")),
    path("", include("assessments.scores.urls")),
    path("", include("assessments.evidence.urls")),
    path("", include("assessments.results.urls")),
    path("", include("assessments.agreements.urls")),
]
