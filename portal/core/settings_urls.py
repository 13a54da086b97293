from django.urls import path

from portal.core import (
    audit_views,
    calendar_notice_views,
    policy_views,
    settings_views,
    window_views,
)

urlpatterns = [
    path("settings/audit/", audit_views.audit_trail, name="audit_trail"),
    path("settings/audit/export/", audit_views.audit_trail_export, name="audit_trail_export"),
    path("settings/", settings_views.city_settings, name="city_settings"),
    path("settings/policy/", policy_views.policy_edit, name="city_policy_edit"),
    path("settings/presets/", policy_views.preset_choose, name="preset_choose"),
    path("settings/presets/<slug:key>/", policy_views.preset_confirm, name="preset_confirm"),
    path("settings/cities/add/", policy_views.city_add, name="city_add"),
    path("settings/windows/", window_views.window_list, name="window_list"),
    path("settings/windows/add/", window_views.window_add, name="window_add"),
    path("settings/windows/<int:window_id>/", window_views.window_edit, name="window_edit"),
    path(
        "settings/windows/<int:window_id>/delete/",
        window_views.window_delete,
        name="window_delete",
    ),
    path("settings/calendar/add/", settings_views.calendar_year_add, name="calendar_year_add"),
    path(
        "settings/calendar/notice/",
        calendar_notice_views.calendar_notice,
        name="calendar_notice",
    ),
    path("settings/calendar/<int:year>/", settings_views.calendar_year_page, name="calendar_year"),
    path(
        "settings/calendar/<int:year>/days/add/",
        settings_views.calendar_day_add,
        name="calendar_day_add",
    ),
    path(
        "settings/calendar/days/<int:day_id>/",
        settings_views.calendar_day_edit,
        name="calendar_day_edit",
    ),
    path(
        "settings/calendar/days/<int:day_id>/delete/",
        settings_views.calendar_day_remove,
        name="calendar_day_delete",
    ),
]
