"""Pages of the app, under /monitoring/ (each part adds its own patterns)."""

from __future__ import annotations

from django.urls import path

from .notices.urls import urlpatterns as notice_urls
from .verify import urls as verify_urls
from .views import display

app_name = "monitoring"

urlpatterns: list = [
    path("", display.overview, name="index"),
    path("display/checks.csv", display.checks_csv, name="display_csv"),
    path("display/domains/<int:domain_id>/check/", display.check_now, name="display_check_now"),
    path("display/checks/<int:check_id>/page.html", display.check_html, name="display_html"),
    path(
        "display/checks/<int:check_id>/screenshot.png",
        display.check_screenshot,
        name="display_screenshot",
    ),
    path("settings/<int:organization_id>/", display.settings_edit, name="settings"),
]
urlpatterns += notice_urls
urlpatterns += verify_urls.urlpatterns
