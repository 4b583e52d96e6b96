from django.urls import path

from . import views

app_name = "occasions"
urlpatterns = [
    path("lunar/", views.lunar_calendar, name="lunar_calendar"),
    path(
        "lunar/overrides/<int:pk>/remove/",
        views.lunar_override_remove,
        name="lunar_override_remove",
    ),
]
