"""API endpoints of the app, under /api/v1/monitoring/ (each part adds its own)."""

from __future__ import annotations

from django.urls import path

from .api import display
from .api.notices_urls import urlpatterns as notice_urls
from .verify import api_urls as verify_api_urls

urlpatterns: list = [
    path("checks/", display.CheckListView.as_view(), name="monitoring-checks"),
    path("checks/<int:pk>/", display.CheckView.as_view(), name="monitoring-check"),
    path("domains/<int:pk>/check/", display.CheckNowView.as_view(), name="monitoring-check-now"),
    path("findings/", display.FindingListView.as_view(), name="monitoring-findings"),
]
urlpatterns += notice_urls
urlpatterns += verify_api_urls.urlpatterns
