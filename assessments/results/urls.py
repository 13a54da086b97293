from django.urls import path

from assessments.results import views

urlpatterns = [
    path("results/", views.result_filing_list, name="result_filing_list"),
    path("plans/<int:pk>/results/", views.result_batch, name="result_batch"),
    path("plans/<int:pk>/results/publish/", views.result_publish, name="result_publish"),
    path("plans/<int:pk>/results/objections/new/", views.objection_add, name="objection_add"),
    path(
        "plans/<int:pk>/results/objections/<int:objection_id>/",
        views.objection_resolve,
        name="objection_resolve",
    ),
    path("plans/<int:pk>/results/submit/", views.result_submit, name="result_submit"),
    path("plans/<int:pk>/results/decide/", views.result_decide, name="result_decide"),
]
