"""Read-only history of report and import runs (who generated or imported what, and when)."""

from django.contrib import admin

from accounts.admin_scope import TenantAdmin

from .models import ImportRun, ReportRun
from .selectors import import_run_list_for_user, report_run_list_for_user


class _ReadOnly(TenantAdmin):
    """No service hooks: nothing is added, changed or deleted here. Runs are private to
    whoever asked for them, like in the selectors."""

    list_select_related = ["user"]


@admin.register(ReportRun)
class ReportRunAdmin(_ReadOnly):
    scope = report_run_list_for_user
    list_display = ["id", "kind", "user", "status", "progress", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username"]


@admin.register(ImportRun)
class ImportRunAdmin(_ReadOnly):
    scope = import_run_list_for_user
    list_display = ["id", "filename", "organization", "user", "status", "row_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "filename"]
    exclude = ["errors"]
    readonly_fields = ["error_count"]

    @admin.display(description="errors")
    def error_count(self, obj) -> int:
        return len(obj.errors)
