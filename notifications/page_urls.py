"""Routes of the notification centre pages (see pages.py)."""

from django.urls import path

from . import pages

app_name = "notification_pages"
urlpatterns = [
    path("", pages.inbox, name="inbox"),
    path("acknowledge/", pages.acknowledge_bulk, name="acknowledge_bulk"),
    path("<int:notification_id>/acknowledge/", pages.acknowledge, name="acknowledge"),
    path("preferences/", pages.preferences, name="preferences"),
    path("preferences/calendar/regenerate/", pages.feed_regenerate, name="feed_regenerate"),
    path("preferences/calendar/revoke/", pages.feed_revoke, name="feed_revoke"),
]
