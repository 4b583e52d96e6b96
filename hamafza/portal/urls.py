from django.urls import path

from . import feeds, views

app_name = "portal"
urlpatterns = [
    path("news/", views.news_list, name="news_list"),
    path("news/o/<str:slug>/", views.organisation_news, name="organisation_news"),
    # The slug is for reading only: the pk finds the post, and any other slug (or none)
    # redirects to the canonical address. Reversing with the pk alone gives /news/<pk>/.
    path("news/<int:pk>/<str:slug>/", views.post_detail, name="post_detail"),
    path("news/<int:pk>/", views.post_detail, name="post_detail"),
    path("news/<int:pk>/seen", views.post_seen, name="post_seen"),
    path("feeds/news.rss", feeds.news_rss, name="feed_rss"),
    path("feeds/news.atom", feeds.news_atom, name="feed_atom"),
    path("feeds/news.json", feeds.news_json, name="feed_json"),
    path("feeds/o/<str:slug>/news.rss", feeds.news_rss, name="organisation_feed_rss"),
    path("feeds/o/<str:slug>/news.atom", feeds.news_atom, name="organisation_feed_atom"),
    path("feeds/o/<str:slug>/news.json", feeds.news_json, name="organisation_feed_json"),
]
