from django.urls import path

from portal.core import settings_views

urlpatterns = [
    path("settings/", settings_views.city_settings, name="city_settings"),
]
