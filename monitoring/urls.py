"""Pages of the app, under /monitoring/ (each part adds its own patterns)."""

from __future__ import annotations

from .notices.urls import urlpatterns as notice_urls

app_name = "monitoring"

urlpatterns: list = []
urlpatterns += notice_urls
