from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin import ScopedAdmin

from .access import organization_list_for_user
from .models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    filter_horizontal = ["operators"]


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
    filter_horizontal = ["operators"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organization__in=organization_list_for_user(user=request.user))
