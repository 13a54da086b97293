from django.urls import path

from assessments.schemes import condition_views, views

urlpatterns = [
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path(
        "schemes/<int:pk>/components/new/",
        views.scheme_component_add,
        name="scheme_component_add",
    ),
    path(
        "schemes/<int:pk>/components/<int:component_id>/",
        views.scheme_component_edit,
        name="scheme_component_edit",
    ),
    path(
        "schemes/<int:pk>/components/<int:component_id>/delete/",
        views.scheme_component_delete,
        name="scheme_component_delete",
    ),
    path("schemes/<int:pk>/mappings/new/", views.scheme_mapping_add, name="scheme_mapping_add"),
    path(
        "schemes/<int:pk>/mappings/<int:mapping_id>/",
        views.scheme_mapping_edit,
        name="scheme_mapping_edit",
    ),
    path(
        "schemes/<int:pk>/mappings/<int:mapping_id>/delete/",
        views.scheme_mapping_delete,
        name="scheme_mapping_delete",
    ),
    path(
        "schemes/<int:pk>/conditions/new/",
        condition_views.scheme_route_add,
        name="scheme_route_add",
    ),
    path(
        "schemes/<int:pk>/conditions/<int:route_id>/",
        condition_views.scheme_route_edit,
        name="scheme_route_edit",
    ),
    path(
        "schemes/<int:pk>/conditions/<int:route_id>/delete/",
        condition_views.scheme_route_delete,
        name="scheme_route_delete",
    ),
    path("schemes/<int:pk>/submit/", views.scheme_submit, name="scheme_submit"),
    path("schemes/<int:pk>/revise/", views.scheme_revise, name="scheme_revise"),
    path("schemes/<int:pk>/experts/", views.scheme_assign_experts, name="scheme_assign_experts"),
    path("schemes/<int:pk>/opinion/", views.scheme_expert_opinion, name="scheme_expert_opinion"),
    path("schemes/<int:pk>/decide/", views.scheme_decide, name="scheme_decide"),
]
