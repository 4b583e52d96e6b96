"""URLs of the mawkib's public pages (included by urls.py)."""

from django.urls import path

from . import views_public as views

urlpatterns: list = [
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("privacy/", views.privacy, name="privacy"),
    path("track/", views.track, name="track"),
    path("track/lost/", views.track_lost, name="track_lost"),
    path("track/code/", views.track_verify, name="track_verify"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me_edit"),
    path("me/withdraw/", views.me_withdraw, name="me_withdraw"),
    path("me/places/<int:demand_id>/signup/", views.me_signup, name="me_signup"),
    path("me/places/<int:demand_id>/waitlist/", views.me_waitlist, name="me_waitlist"),
    path("me/shifts/<int:assignment_id>/cancel/", views.me_cancel, name="me_cancel"),
    path("me/leave/", views.me_leave, name="me_leave"),
]
