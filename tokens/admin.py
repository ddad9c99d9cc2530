"""API tokens in the admin: superusers only, read-only; deleting one revokes it (recorded)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from accounts.access import ensure_signed_in
from accounts.admin_scope import SuperuserOnlyAdmin

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "user", "created", "expiry", "last_used_at", "created_from"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    fields = ("name", "user", "created", "expiry", "last_used_at", "created_from")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a key is shown once, to its owner: tokens are made on their page

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        services.token_revoke(
            user=obj.user,
            token=obj,
            request=request,
            actor=ensure_signed_in(request.user),
            reason="admin",
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("user"):
            self.delete_model(request, token)
