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
from .types import ComplianceStatus


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


def _status_label(status: str) -> str:
    return str(ComplianceStatus(status).label) if status in ComplianceStatus.values else status


class ComplianceItemEventInline(admin.TabularInline):
    model = ComplianceItemEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "from_label", "to_label", "actor", "note")
    readonly_fields = fields

    @admin.display(description=_("from"))
    def from_label(self, obj: ComplianceItemEvent) -> str:
        return _status_label(obj.from_status)

    @admin.display(description=_("to"))
    def to_label(self, obj: ComplianceItemEvent) -> str:
        return _status_label(obj.to_status)

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


# What an item is about (ComplianceItem.subject_type), as the pages name it.
SUBJECT_TYPES = {
    "operator": _("Operator"),
    "miniprogram": _("Mini-program / app"),
    "domain": _("Domain"),
    "filing": _("Filing application"),
    "licence": _("ICP licence"),
    "preapproval": _("Pre-approval"),
    "person": _("Responsible person"),
}


class SubjectTypeFilter(admin.SimpleListFilter):
    title = _("subject type")
    parameter_name = "subject_type"

    def lookups(self, request, model_admin):
        return list(SUBJECT_TYPES.items())

    def queryset(self, request, queryset):
        return queryset.filter(subject_type=self.value()) if self.value() else queryset


@admin.register(ComplianceItem)
class ComplianceItemAdmin(TenantAdmin[ComplianceItem]):
    """Read-only: the rows are kept by the engine (compliance.store), not edited by hand."""

    list_display = ["subject_name", "rule_name", "status", "due_date", "operator_name", "closed_at"]
    list_filter = [
        "status",
        RuleFilter,
        SubjectTypeFilter,
        ("closed_at", admin.EmptyFieldListFilter),
    ]
    # The note is the message's language-neutral source: shown as the message instead; the
    # subject type by its name.
    exclude = ["note", "subject_type"]
    search_fields = ["subject_name", "operator_name"]
    date_hierarchy = "due_date"
    list_select_related = False
    inlines = [ComplianceItemEventInline]
    readonly_fields = ["message", "subject_kind"]

    @admin.display(description=_("subject type"))
    def subject_kind(self, obj: ComplianceItem) -> str:
        return str(SUBJECT_TYPES.get(obj.subject_type, obj.subject_type))

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
