"""Rules and the working-day calendar apply to every tenant: only superusers edit them.
Compliance items are read-only and scoped like every tenant-owned model."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import SuperuserOnlyAdmin, TenantAdmin

from .models import (
    CalendarOverride,
    ComplianceItem,
    ComplianceItemEvent,
    ComplianceRule,
    KnownCalendarYear,
)
from .rules import ALL_RULES, rule_label


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


class ComplianceItemEventInline(admin.TabularInline):
    model = ComplianceItemEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RuleFilter(admin.SimpleListFilter):
    """The rules by name, not by code."""

    title = _("rule")
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        return [(code, rule_label(code)) for code in ALL_RULES]

    def queryset(self, request, queryset):
        return queryset.filter(rule=self.value()) if self.value() else queryset


@admin.register(ComplianceItem)
class ComplianceItemAdmin(TenantAdmin[ComplianceItem]):
    """Read-only: the rows are kept by the engine (compliance.store), not edited by hand."""

    list_display = ["subject_name", "rule_name", "status", "due_date", "operator_name", "closed_at"]
    list_filter = ["status", RuleFilter, "subject_type", ("closed_at", admin.EmptyFieldListFilter)]
    # The note is the message's language-neutral source: shown as the message instead.
    exclude = ["note"]
    search_fields = ["subject_name", "operator_name"]
    date_hierarchy = "due_date"
    list_select_related = False
    inlines = [ComplianceItemEventInline]
    readonly_fields = ["message"]

    @admin.display(description=_("rule"), ordering="rule")
    def rule_name(self, obj: ComplianceItem) -> str:
        return rule_label(obj.rule)

    @admin.display(description=_("message"))
    def message(self, obj: ComplianceItem) -> str:
        return obj.message

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
