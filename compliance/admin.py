"""Rules and the working-day calendar apply to every tenant: only superusers edit them."""

from django.contrib import admin

from accounts.admin_scope import SuperuserOnlyAdmin

from .models import CalendarOverride, ComplianceRule, KnownCalendarYear


@admin.register(ComplianceRule)
class ComplianceRuleAdmin(SuperuserOnlyAdmin):
    list_display = ["code", "title", "verified", "active"]
    list_filter = ["verified", "active"]
    search_fields = ["code", "title", "source"]
    readonly_fields = ["code"]  # the engine dispatches on it

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SuperuserOnlyAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(KnownCalendarYear)
class KnownCalendarYearAdmin(SuperuserOnlyAdmin):
    list_display = ["year", "note"]
