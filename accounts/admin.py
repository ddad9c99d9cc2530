from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from . import services
from .access import organization_list_for_user
from .admin_scope import SuperuserOnlyAdmin, TenantAdmin
from .models import Membership, Organization, User


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, BaseUserAdmin):
    """Accounts span tenants: superusers only (Django's own password and permission forms)."""

    fieldsets = (*BaseUserAdmin.fieldsets, ("icpfiling", {"fields": ("language",)}))
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "language"]


@admin.register(Organization)
class OrganizationAdmin(TenantAdmin):
    scope = organization_list_for_user
    list_display = ["name", "kind", "slug", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def service_create(self, request: HttpRequest, form: ModelForm) -> Model:
        return services.organization_create(
            user=request.user, **_fields(form, "name", "slug", "kind")
        )

    def service_update(self, request: HttpRequest, obj: Model, form: ModelForm) -> Model:
        return services.organization_update(
            user=request.user, organization=obj, **_fields(form, "name", "slug", "kind")
        )


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["user", "organization", "role", "limited_to_assigned"]
    list_filter = ["role", "limited_to_assigned", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    filter_horizontal = ["operators"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["user", "organization"] if obj is not None else []

    def service_create(self, request: HttpRequest, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.membership_create(
            user=request.user,
            organization=data["organization"],
            member=data["user"],
            role=data["role"],
            limited_to_assigned=data["limited_to_assigned"],
            operators=data.get("operators"),
        )

    def service_update(self, request: HttpRequest, obj: Model, form: ModelForm) -> Model:
        data = form.cleaned_data
        return services.membership_update(
            user=request.user,
            membership=obj,
            role=data["role"],
            limited_to_assigned=data["limited_to_assigned"],
            operators=data.get("operators"),
        )

    def service_delete(self, request: HttpRequest, obj: Model) -> None:
        services.membership_delete(user=request.user, membership=obj)


def _fields(form: ModelForm, *names: str) -> dict[str, Any]:
    """The named fields the form offered and cleaned (read-only ones are absent)."""
    return {n: form.cleaned_data[n] for n in names if n in form.cleaned_data}
