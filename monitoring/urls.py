"""Pages of the app, under /monitoring/ (each part adds its own patterns)."""

from __future__ import annotations

app_name = "monitoring"

urlpatterns: list = []
