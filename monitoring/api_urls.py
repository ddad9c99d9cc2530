"""API endpoints of the app, under /api/v1/monitoring/ (each part adds its own)."""

from __future__ import annotations

from .api.notices_urls import urlpatterns as notice_urls

urlpatterns: list = []
urlpatterns += notice_urls
