from django.urls import path

from certificates.numbering import views

urlpatterns = [
    path("certificates/prefixes/", views.prefix_list, name="numbering_prefix_list"),
    path(
        "certificates/prefixes/<int:enterprise_id>/",
        views.prefix_edit,
        name="numbering_prefix_edit",
    ),
]
