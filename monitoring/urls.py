"""Pages of the app, under /monitoring/ (each part adds its own patterns)."""

from __future__ import annotations

from .verify import urls as verify_urls

app_name = "monitoring"

urlpatterns: list = []
urlpatterns += verify_urls.urlpatterns
