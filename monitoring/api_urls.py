"""API endpoints of the app, under /api/v1/monitoring/ (each part adds its own)."""

from __future__ import annotations

urlpatterns: list = []
