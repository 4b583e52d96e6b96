from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("review/", views.review_queue, name="review_queue"),
    path("queue/", views.queue_health, name="queue_health"),
    path("calendar/", views.post_calendar, name="calendar"),
    path("organisations/<int:pk>/", views.post_list, name="organisation_posts"),
    path("organisations/<int:pk>/new/", views.post_new, name="post_new"),
    path("organisations/<int:pk>/preview/", views.post_preview, name="post_preview"),
    path("organisations/<int:pk>/channels/", views.connections, name="connections"),
    path(
        "organisations/<int:pk>/default-channels/",
        views.default_channels,
        name="default_channels",
    ),
    path("organisations/<int:pk>/reach/", views.organisation_reach, name="organisation_reach"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("posts/<int:pk>/approve/", views.post_approve, name="post_approve"),
    path("posts/<int:pk>/return/", views.post_return, name="post_return"),
    path("posts/<int:pk>/review-edit/", views.post_review_edit, name="post_review_edit"),
    path("posts/<int:pk>/deliveries/", views.post_deliveries, name="post_deliveries"),
    path("posts/<int:pk>/correct/", views.post_correct, name="post_correct"),
    path("posts/<int:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("deliveries/<int:pk>/resolve/", views.delivery_resolve, name="delivery_resolve"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("posts/<int:pk>/retry-failed/", views.post_retry_failed, name="post_retry_failed"),
    path("channels/<int:pk>/connect/", views.channel_connect, name="channel_connect"),
]
