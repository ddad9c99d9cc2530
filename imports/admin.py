"""Read-only history of import runs (who imported which file, and when)."""

from django.contrib import admin

from .models import ImportRun


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        # Runs are private to whoever uploaded them, like in the selectors.
        return qs if request.user.is_superuser else qs.filter(user=request.user)


@admin.register(ImportRun)
class ImportRunAdmin(_ReadOnly):
    list_display = ["id", "filename", "organization", "user", "status", "row_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "filename"]
    exclude = ["errors"]
    readonly_fields = ["error_count"]

    @admin.display(description="errors")
    def error_count(self, obj) -> int:
        return len(obj.errors)
