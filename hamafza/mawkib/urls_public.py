"""URLs of the mawkib's public pages (included by urls.py)."""

urlpatterns: list = []
