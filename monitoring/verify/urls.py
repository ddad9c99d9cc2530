"""Pages of About-screen and MIIT verifications, under /monitoring/."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path(
        "services/<str:service_type>/<int:service_id>/verifications/new/",
        views.upload,
        name="verification_upload",
    ),
    path(
        "services/<str:service_type>/<int:service_id>/lookup/",
        views.lookup,
        name="verification_lookup",
    ),
    path(
        "verifications/<int:verification_id>/evidence/",
        views.evidence,
        name="verification_evidence",
    ),
    path("verifications.csv", views.export_csv, name="verification_export"),
]
