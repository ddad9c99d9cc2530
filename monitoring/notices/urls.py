"""Pages of provider notices and record changes (included by monitoring.urls)."""

from __future__ import annotations

from django.urls import path

from ..views import notice_export
from ..views import notices as views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/export.csv", notice_export.notice_export, name="notice_export"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:notice_id>/resolve/", views.notice_resolve, name="notice_resolve"),
    path("notices/<int:notice_id>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path(
        "notices/<int:notice_id>/keep-access/",
        views.notice_keep_access,
        name="notice_keep_access",
    ),
    path(
        "notices/<int:notice_id>/evidence/<str:which>/",
        views.notice_evidence,
        name="notice_evidence",
    ),
    path(
        "notices/new/<str:kind>/<int:service_id>/",
        views.notice_create,
        name="notice_create",
    ),
    path(
        "records/<str:kind>/<int:service_id>/",
        views.record_change_create,
        name="record_change_create",
    ),
    path(
        "records/evidence/<int:change_id>/",
        views.record_evidence,
        name="record_evidence",
    ),
]
