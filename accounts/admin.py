from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import ForeignKey
from django.forms import BaseInlineFormSet, ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin

from .models import Membership, Organization, User
from .selectors import organization_list_for_user


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AssignedOperatorInline(admin.TabularInline):
    """Operators a limited membership sees: rows of Operator.assigned_memberships' table."""

    model = Membership.operators.through
    extra = 0
    autocomplete_fields = ["operator"]
    verbose_name = _("assigned operator")
    verbose_name_plural = _("assigned operators")

    def get_formset(
        self, request: HttpRequest, obj: Membership | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        # Only the membership's own organization's operators can be assigned.
        request._assigned_organization_id = obj.organization_id if obj is not None else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "operator":
            operators = db_field.related_model.objects.all()
            org_id = getattr(request, "_assigned_organization_id", None)
            if org_id is not None:
                operators = operators.filter(organization_id=org_id)
            if not request.user.is_superuser:
                orgs = organization_list_for_user(user=request.user)
                operators = operators.filter(organization__in=orgs)
            kwargs["queryset"] = operators
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("icpfiling", {"fields": ("language",)}))
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "language"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    selector = organization_list_for_user
    list_display = ["name", "kind", "slug", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "organization", "role", "limited_to_assigned"]
    list_filter = ["role", "limited_to_assigned", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    inlines = [AssignedOperatorInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organization__in=organization_list_for_user(user=request.user))
