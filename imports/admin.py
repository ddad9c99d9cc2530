"""Read-only history of import runs (who imported which file, and when)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import TenantAdmin

from .models import ImportRun
from .selectors import import_run_list_for_user


@admin.register(ImportRun)
class ImportRunAdmin(TenantAdmin):
    """No service hooks: nothing is added, changed or deleted here. Runs are private to
    whoever uploaded them, like in the selectors."""

    scope = import_run_list_for_user
    list_select_related = ["user"]
    list_display = ["id", "filename", "organization", "user", "status", "row_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "filename"]
    exclude = ["errors"]
    readonly_fields = ["error_count"]

    @admin.display(description=_("errors"))
    def error_count(self, obj: ImportRun) -> int:
        return len(obj.errors)
