"""URLs of the mawkib's coordinator pages (included by urls.py, mounted at /mawkib/).
A season is named by its id: /mawkib/<season>/applications/."""

from django.urls import path

from . import views_coordinator as views

urlpatterns: list = [
    path("seasons/", views.season_list, name="season_list"),
    path("seasons/new/", views.season_create, name="season_create"),
    path("<int:pk>/", views.season_detail, name="season_detail"),
    path("<int:pk>/edit/", views.season_edit, name="season_edit"),
    path("<int:pk>/next/", views.season_copy_next, name="season_copy_next"),
    path("<int:pk>/roles/new/", views.role_create, name="role_create"),
    path("<int:pk>/quotas/", views.quota_set, name="quota_set"),
    path("<int:pk>/mawkibs/new/", views.mawkib_create, name="mawkib_create"),
    path("<int:pk>/shifts/generate/", views.shifts_generate, name="shifts_generate"),
    path("<int:pk>/applications/", views.application_list, name="application_list"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/coverage/", views.coverage, name="coverage"),
    path("<int:pk>/needed/", views.needed, name="needed"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("mawkibs/<int:pk>/", views.mawkib_detail, name="mawkib_detail"),
    path("mawkibs/<int:pk>/edit/", views.mawkib_edit, name="mawkib_edit"),
    path("mawkibs/<int:pk>/templates/new/", views.template_create, name="template_create"),
    path("mawkibs/<int:pk>/log/", views.service_log, name="service_log"),
    path("templates/<int:pk>/demand/", views.template_demand_set, name="template_demand_set"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/undo/", views.batch_undo, name="batch_undo"),
    path("demands/<int:pk>/capacity/", views.demand_capacity, name="demand_capacity"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path("checkin/<int:pk>/", views.checkin, name="checkin"),
]
