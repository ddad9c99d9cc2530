"""The audit log in the admin: read-only for everyone (superusers included), scoped like the
dashboard page (superusers: every entry; managers: their organization's)."""

from __future__ import annotations

from typing import Any

from auditlog.admin import LogEntryAdmin
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import TenantAdmin
from accounts.types import User

from .models import AuditEntry
from .selectors import entry_list_for_user


def _scope(*, user: User) -> QuerySet[AuditEntry]:
    return entry_list_for_user(user=user)


if admin.site.is_registered(AuditEntry):  # django-auditlog registers its own admin for it
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantAdmin[AuditEntry], LogEntryAdmin):
    scope = _scope
    list_display = ["created", "who", "what", "resource_url", "organization", "remote_addr"]
    list_filter = ["action", "access"]
    list_select_related = ["content_type", "actor", "organization"]
    search_fields = ["object_repr", "actor_label"]
    fieldsets = [
        (None, {"fields": ["created", "who", "organization", "resource_url", "remote_addr"]}),
        ("", {"fields": ["what", "msg", "additional_data", "user_agent", "cid"]}),
    ]
    readonly_fields = [
        "created",
        "who",
        "what",
        "organization",
        "resource_url",
        "remote_addr",
        "msg",
        "additional_data",
        "user_agent",
        "cid",
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_staff) and bool(
            user.is_superuser or entry_list_for_user(user=user).exists()
        )

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("actor"))
    def who(self, obj: AuditEntry) -> str:
        return obj.who

    @admin.display(description=_("event"))
    def what(self, obj: AuditEntry) -> str:
        return obj.what
