"""URL patterns of the supervision area 'stats' (included by supervision/urls.py)."""

urlpatterns: list = []
