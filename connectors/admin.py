"""Admin of connectors: scoped like every tenant-owned model (accounts.admin_scope), written
only through connectors.services. The credentials never appear, not even in a read-only
field: the account's page shows them masked (connectors.credentials.masked). Runs, vendor
objects, findings, pushes, face tasks and certification reviews are read-only records.
"""

from __future__ import annotations

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import TenantAdmin, cleaned_fields

from . import selectors, services
from .credentials import masked
from .models import (
    CertificationReview,
    ConnectorAccount,
    ConnectorFinding,
    ConnectorLink,
    FaceVerifyTask,
    PushEvent,
    SyncRun,
)


@admin.register(ConnectorAccount)
class ConnectorAccountAdmin(TenantAdmin[ConnectorAccount]):
    scope = selectors.account_list_for_user
    list_display = ["name", "organization", "kind", "enabled", "health", "last_synced_at"]
    list_filter = ["kind", "health", "enabled"]
    search_fields = ["name"]
    fields = [
        "organization",
        "kind",
        "name",
        "operator",
        "credentials_masked",
        "enabled",
        "cadence_minutes",
        "health",
        "health_message",
        "checked_at",
        "last_synced_at",
        "next_sync_at",
        "backoff_until",
    ]
    readonly_fields = [
        "organization",
        "kind",
        "operator",
        "credentials_masked",
        "health",
        "health_message",
        "checked_at",
        "last_synced_at",
        "next_sync_at",
        "backoff_until",
    ]

    @admin.display(description=_("credentials"))
    def credentials_masked(self, obj: ConnectorAccount) -> str:
        return format_html_join("", "<div>{}: <code>{}</code></div>", masked(obj).items())

    def service_update(
        self, request: HttpRequest, obj: ConnectorAccount, form: ModelForm
    ) -> ConnectorAccount:
        return services.account_update(
            user=request.user,
            account=obj,
            **cleaned_fields(form, ("name", "enabled", "cadence_minutes")),
        )

    def service_delete(self, request: HttpRequest, obj: ConnectorAccount) -> None:
        services.account_delete(user=request.user, account=obj)


class _ReadOnly(TenantAdmin):
    """A record the connectors write: viewed here, never edited."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]


@admin.register(SyncRun)
class SyncRunAdmin(_ReadOnly):
    scope = selectors.run_list_for_user
    list_display = ["account", "started_at", "trigger", "status", "objects_seen", "changes_applied"]
    list_filter = ["status", "trigger"]


@admin.register(ConnectorLink)
class ConnectorLinkAdmin(_ReadOnly):
    scope = selectors.link_list_for_user
    list_display = ["account", "kind", "external_id", "label", "miniprogram", "domain", "seen_at"]
    list_filter = ["kind"]
    search_fields = ["external_id", "label"]


@admin.register(ConnectorFinding)
class ConnectorFindingAdmin(_ReadOnly):
    scope = selectors.finding_list_for_user
    list_display = ["account", "code", "message", "created_at", "resolved_at"]
    list_filter = ["code"]


@admin.register(PushEvent)
class PushEventAdmin(_ReadOnly):
    scope = selectors.push_list_for_user
    list_display = ["account", "received_at", "outcome", "info_type", "appid", "processed_at"]
    list_filter = ["outcome", "info_type"]


@admin.register(FaceVerifyTask)
class FaceVerifyTaskAdmin(_ReadOnly):
    scope = selectors.face_task_list_for_user
    list_display = ["account", "miniprogram", "task_id", "state", "expires_at"]
    list_filter = ["state"]


@admin.register(CertificationReview)
class CertificationReviewAdmin(_ReadOnly):
    scope = selectors.certification_review_list_for_user
    list_display = ["account", "miniprogram", "expires_at", "renewed_on"]
