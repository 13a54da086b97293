from django.urls import path

from assessments.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("plans/<int:pk>/sessions/<int:session_id>/", views.session_edit, name="session_edit"),
    path(
        "plans/<int:pk>/sessions/<int:session_id>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path("plans/<int:pk>/staff/", views.plan_staff, name="plan_staff"),
    path("plans/<int:pk>/invigilators/new/", views.invigilator_add, name="invigilator_add"),
    path(
        "plans/<int:pk>/invigilators/<int:invigilator_id>/delete/",
        views.invigilator_delete,
        name="invigilator_delete",
    ),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/decide/", views.plan_decide, name="plan_decide"),
]
