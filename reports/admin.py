"""Read-only history of report runs (who generated which report, and when)."""

from django.contrib import admin

from accounts.admin_scope import TenantAdmin

from .models import ReportRun
from .selectors import report_run_list_for_user


@admin.register(ReportRun)
class ReportRunAdmin(TenantAdmin):
    """No service hooks: nothing is added, changed or deleted here. Runs are private to
    whoever asked for them, like in the selectors."""

    scope = report_run_list_for_user
    list_select_related = ["user"]
    list_display = ["id", "kind", "user", "status", "progress", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username"]
