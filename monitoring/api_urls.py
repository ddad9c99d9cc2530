"""API endpoints of the app, under /api/v1/monitoring/ (each part adds its own)."""

from __future__ import annotations

from .verify import api_urls as verify_api_urls

urlpatterns: list = []
urlpatterns += verify_api_urls.urlpatterns
