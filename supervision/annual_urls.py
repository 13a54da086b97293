"""URL patterns of the supervision area 'annual' (included by supervision/urls.py)."""

urlpatterns: list = []
