"""Read-only history of report runs (who generated which report, and when)."""

from django.contrib import admin

from .models import ReportRun


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        # Runs are private to whoever asked for them, like in the selectors.
        return qs if request.user.is_superuser else qs.filter(user=request.user)


@admin.register(ReportRun)
class ReportRunAdmin(_ReadOnly):
    list_display = ["id", "kind", "user", "status", "progress", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username"]
