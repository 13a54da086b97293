"""URL patterns of the supervision area 'draw' (included by supervision/urls.py)."""

from django.urls import path

from supervision.draws import public_views, views

urlpatterns = [
    path("supervision/supervisors/", views.supervisor_pool, name="supervisor_pool"),
    path("supervision/supervisors/new/", views.supervisor_add, name="supervisor_add"),
    path("supervision/supervisors/<int:pk>/edit/", views.supervisor_edit, name="supervisor_edit"),
    path("supervision/draws/", views.draw_list, name="draw_list"),
    path("supervision/draws/new/", views.draw_new, name="draw_new"),
    path("supervision/draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("supervision/draws/<int:pk>/publish/", views.draw_publish, name="draw_publish"),
    path("supervision/coverage/", views.coverage_report, name="coverage_report"),
    path("supervision/coverage/export/", views.coverage_export, name="coverage_export"),
    # 一公开: no login.
    path("public/inspections/", public_views.public_draw_list, name="public_draw_list"),
    path(
        "public/inspections/<int:pk>/", public_views.public_draw_detail, name="public_draw_detail"
    ),
    path(
        "public/inspections/<int:pk>/inputs.json",
        public_views.draw_public_inputs,
        name="draw_public_inputs",
    ),
]
