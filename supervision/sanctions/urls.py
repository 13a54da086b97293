"""URL patterns of the supervision area 'sanctions' (included by supervision/urls.py): sanctions
(R-M2, R-M3) and their public list (R-M6)."""

from django.urls import path

from supervision.sanctions import views

urlpatterns: list = [
    path("supervision/sanctions/", views.sanction_list, name="sanction_list"),
    path("supervision/sanctions/new/", views.sanction_create, name="sanction_create"),
    path("supervision/sanctions/<int:pk>/", views.sanction_detail, name="sanction_detail"),
    path("public/sanctions/", views.public_sanction_list, name="public_sanction_list"),
]
