from django.urls import path

from assessments.scores import views as score_views

urlpatterns = [
    path("plans/<int:pk>/scores/", score_views.score_grid, name="score_grid"),
    path("plans/<int:pk>/scores/template/", score_views.score_template, name="score_template"),
    path("plans/<int:pk>/scores/import/", score_views.score_import, name="score_import"),
    path("plans/<int:pk>/scores/export/", score_views.score_export, name="score_export"),
]
