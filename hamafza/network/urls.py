from django.urls import path

from . import audience, views

app_name = "network"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("security/", views.two_factor_requirements, name="two_factor_requirements"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/audit/", views.organisation_audit, name="organisation_audit"),
    path("organisations/<int:pk>/members/", views.membership_add, name="membership_add"),
    path("organisations/<int:pk>/channels/", views.channel_add, name="channel_add"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("channels/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("channels/<int:pk>/audience/", audience.channel_audience_page, name="channel_audience"),
    path(
        "organisations/<int:pk>/audience/",
        audience.organisation_audience_page,
        name="organisation_audience",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
]
