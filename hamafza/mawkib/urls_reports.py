"""URLs of the mawkib's reports pages (included by urls.py)."""

urlpatterns: list = []
