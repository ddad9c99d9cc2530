"""API routes of provider notices and record changes (included by monitoring.api_urls)."""

from __future__ import annotations

from django.urls import path

from . import notices as api

urlpatterns = [
    path("notices/", api.NoticeListView.as_view(), name="api-notice-list"),
    path("notices/<int:pk>/", api.NoticeDetailView.as_view(), name="api-notice-detail"),
    path("notices/<int:pk>/resolve/", api.NoticeResolveView.as_view(), name="api-notice-resolve"),
    path(
        "notices/<int:pk>/withdraw/", api.NoticeWithdrawView.as_view(), name="api-notice-withdraw"
    ),
    path(
        "notices/<int:pk>/keep-access/",
        api.NoticeKeepAccessView.as_view(),
        name="api-notice-keep-access",
    ),
    path("record-changes/", api.RecordChangeListView.as_view(), name="api-record-change-list"),
]
