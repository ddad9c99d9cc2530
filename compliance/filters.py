"""The worklist filter: open compliance items, shared by the page, the API list and the export.

Parameters (all optional, combinable): `operator` (repeatable), `owner` (`me`, `none` or a
user id), `rule`, `status` (`overdue` | `due_soon`), `priority` (`takedown` | `hours`),
`window` (`overdue` | `today` | `7d` | `30d`: due by then, overdue included), `province`,
`q` (client or subject text), `snoozed` (`hide`, the default | `only` | `all`) and `sort`
(`work`, the default: compliance.selectors.ITEM_ORDER; `due`, `client`, `-` to reverse).
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts.models import Membership, Role
from core.filters import ListFilterSet, SearchFilter, SortField
from miniprograms.filters import organization_filter
from miniprograms.models import Operator, Province
from miniprograms.selectors import operator_list_for_user

from .models import ComplianceItem
from .rules import ALL_RULES, Priority, rule_label
from .selectors import ITEM_ORDER
from .types import ComplianceStatus


def assigned_staff_operators(user_id: int) -> QuerySet[Any]:
    """Operator ids assigned to the user's staff memberships (not as a client)."""
    return (
        Membership.operators.through.objects.filter(membership__user_id=user_id)
        .exclude(membership__role=Role.CLIENT)
        .values("operator_id")
    )


def owned_by_q(user_id: int) -> Q:
    """Items the user owns, and unowned items of clients assigned to the user (the default
    owner of an item is the client's assigned staff)."""
    return Q(owner_id=user_id) | Q(
        owner__isnull=True, operator_id__in=assigned_staff_operators(user_id)
    )


class OwnerField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = (super().clean(value) or "").strip()
        if value and value not in ("me", "none") and not value.isdigit():
            raise forms.ValidationError(_("Use “me”, “none” or a user id."), code="invalid_choice")
        return value


@extend_schema_field({"type": "string", "description": "'me', 'none' or a user id."})
class OwnerFilter(django_filters.Filter):
    field_class = OwnerField

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        if value == "none":
            return qs.filter(owner__isnull=True)
        if value == "me":
            user = getattr(self.parent, "user", None)
            if user is None or not user.is_authenticated:
                return qs.none()
            return qs.filter(owned_by_q(user.pk))
        return qs.filter(owned_by_q(int(value)))


class ScopedOperatorsFilter(django_filters.ModelMultipleChoiceFilter):
    """`operator=1&operator=2`: choices are the operators the user sees (another tenant's id
    is refused like a missing one)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Operator.objects.none())
        kwargs.setdefault("label", _("Client"))
        super().__init__(**kwargs)

    def get_queryset(self, request: Any) -> QuerySet[Any]:
        user = getattr(self.parent, "user", None)
        if user is None:
            return Operator.objects.none()
        return operator_list_for_user(user=user).select_related(None).order_by()


STATUS_CHOICES = [
    (ComplianceStatus.OVERDUE.value, ComplianceStatus.OVERDUE.label),
    (ComplianceStatus.DUE_SOON.value, ComplianceStatus.DUE_SOON.label),
]
PRIORITY_CHOICES = [("takedown", _("Takedown risk")), ("hours", _("Hours left"))]
PRIORITY_VALUES = {"takedown": Priority.TAKEDOWN, "hours": Priority.HOURS}
WINDOW_CHOICES = [
    ("overdue", _("Overdue")),
    ("today", _("Due by today")),
    ("7d", _("Due within 7 days")),
    ("30d", _("Due within 30 days")),
]
WINDOW_DAYS = {"today": 0, "7d": 7, "30d": 30}
SNOOZED_CHOICES = [
    ("hide", _("Hide snoozed")),
    ("only", _("Only snoozed")),
    ("all", _("Snoozed and not")),
]


def rule_choices() -> list[tuple[str, str]]:
    return [(code, rule_label(code)) for code in ALL_RULES]


def snoozed_q(today: datetime.date) -> Q:
    return Q(snoozed_until__gt=today)


SORTS: dict[str, tuple[Any, ...]] = {
    "work": ITEM_ORDER,
    "due": (F("due_date").asc(nulls_last=True), F("due_at").asc(nulls_last=True)),
    "client": ("operator_name", "operator_id"),
}


def _reversed(expr: Any) -> Any:
    if isinstance(expr, str):
        return expr[1:] if expr.startswith("-") else f"-{expr}"
    if hasattr(expr, "descending"):  # an OrderBy: flip it, keep NULLs last
        return (
            expr.expression.asc(nulls_last=True)
            if expr.descending
            else (expr.expression.desc(nulls_last=True))
        )
    return expr


@extend_schema_field(
    {"type": "string", "description": "work (default), due or client; '-' first to reverse."}
)
class WorkSortFilter(django_filters.Filter):
    """One sort key among SORTS; each key is several columns (the work order by default)."""

    field_class = SortField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Sort"))
        super().__init__(keys=list(SORTS), **kwargs)
        self.default = "work"

    def keys_in_effect(self, value: Any) -> list[str]:
        return list(value or [])[:1] or [self.default]

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        key = self.keys_in_effect(value)[0]
        order = SORTS[key.lstrip("-")]
        if key.startswith("-"):
            order = tuple(_reversed(o) for o in order)
        if key.lstrip("-") != "work":
            order = (*order, *ITEM_ORDER)
        return qs.order_by(*order, "pk")


class ItemFilterSet(ListFilterSet):
    q = SearchFilter(fields=["operator_name", "subject_name"], label=_("Client or subject"))
    organization = organization_filter("organization")
    operator = ScopedOperatorsFilter(field_name="operator")
    owner = OwnerFilter(label=_("Owner"))
    rule = django_filters.ChoiceFilter(choices=rule_choices, label=_("Rule"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("Status"))
    priority = django_filters.ChoiceFilter(
        choices=PRIORITY_CHOICES, label=_("Priority"), method="filter_priority"
    )
    window = django_filters.ChoiceFilter(
        choices=WINDOW_CHOICES, label=_("Due"), method="filter_window"
    )
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(), label=_("Province"), method="filter_province"
    )
    snoozed = django_filters.ChoiceFilter(
        choices=SNOOZED_CHOICES, label=_("Snoozed"), method="filter_snoozed"
    )
    sort = WorkSortFilter()

    class Meta:
        model = ComplianceItem
        fields = ["q", "organization", "operator", "owner", "rule", "status", "priority",
                  "window", "province", "snoozed", "sort"]  # fmt: skip

    def filter_priority(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(priority=PRIORITY_VALUES[value]) if value else qs

    def filter_window(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "overdue":
            return qs.filter(status=ComplianceStatus.OVERDUE)
        if value in WINDOW_DAYS:
            last = timezone.localdate() + datetime.timedelta(days=WINDOW_DAYS[value])
            return qs.filter(Q(status=ComplianceStatus.OVERDUE) | Q(due_date__lte=last))
        return qs

    def filter_province(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return qs.filter(province_code=value.pk) if value is not None else qs

    def filter_snoozed(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # "hide" (the default) is applied in filter_queryset, also when the value is absent.
        if value == "only":
            return qs.filter(snoozed_q(timezone.localdate()))
        return qs

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        qs = super().filter_queryset(queryset)
        if (self.form.cleaned_data.get("snoozed") or "hide") == "hide":
            qs = qs.exclude(snoozed_q(timezone.localdate()))
        return qs

    def sort_value(self) -> str:
        value = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return self.filters["sort"].keys_in_effect(value)[0]

    def sort_keys(self) -> list[str]:
        return [self.sort_value()]
