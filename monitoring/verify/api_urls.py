"""API of verifications and lookups (monitoring.api.verify), under /api/v1/monitoring/."""

from __future__ import annotations

from django.urls import path

from monitoring.api import verify as api

urlpatterns = [
    path("verifications/", api.VerificationListView.as_view(), name="monitoring-verifications"),
    path("lookups/", api.LookupListView.as_view(), name="monitoring-lookups"),
    path(
        "services/<str:service_type>/<int:service_id>/lookup/",
        api.LookupRequestView.as_view(),
        name="monitoring-service-lookup",
    ),
]
