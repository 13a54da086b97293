from django.urls import path

from filings.enterprises import administration_views, views

urlpatterns = [
    path("register/", views.enterprise_register, name="enterprise_register"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/activate/", views.enterprise_activate, name="enterprise_activate"),
    path(
        "enterprises/<int:pk>/administration/",
        administration_views.enterprise_administration,
        name="enterprise_administration",
    ),
]
