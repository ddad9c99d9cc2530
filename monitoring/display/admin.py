"""Admin of the display checker's reference data: where a footer's numbers may link."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_scope import SuperuserOnlyAdmin

from ..models.display import LinkTarget


@admin.register(LinkTarget)
class LinkTargetAdmin(SuperuserOnlyAdmin):  # reference data shared by every tenant
    list_display = ["kind", "pattern", "verdict", "code_param", "note"]
    list_filter = ["kind", "verdict"]
    search_fields = ["pattern", "note"]
