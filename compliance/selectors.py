"""Compliance reads scoped to the requesting user.

Today's compliance is read from the maintained rows (``item_list_for_user``,
``operator_summary_list_for_user``): indexed queries whose cost does not grow with the
portfolio. Another date is evaluated by the engine (``compliance_items_for_user``) over a
bounded scope: callers check it with ``ensure_as_of_scope`` (ScopeTooLargeError beyond
COMPLIANCE_AS_OF_MAX_OPERATORS operators) and offer to narrow it or run it in the background.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import operator_scope_q
from accounts.types import User
from icp.workdays import WorkdayCalendar
from miniprograms.models import Operator
from miniprograms.selectors import operator_list_for_user

from . import tracking
from .engine import compliance_items, summarize
from .models import ComplianceItem, ComplianceRule, OperatorCompliance
from .rules import DEFAULT_PARAMS
from .types import ComplianceStatus, EvaluatedItem


def compliance_operators_for_user(
    *, user: User, operator_id: int | None = None, province: str | None = None
) -> QuerySet[Operator]:
    """The operators whose compliance `user` may see, optionally narrowed.

    Raises Operator.DoesNotExist when `operator_id` is missing or not the user's alike.
    """
    operators = operator_list_for_user(user=user)
    if operator_id is not None:
        if not operators.filter(pk=operator_id).exists():
            raise Operator.DoesNotExist
        operators = operators.filter(pk=operator_id)
    if province:
        operators = operators.filter(province_id=province)
    return operators


def compliance_items_for_user(
    *,
    user: User,
    as_of: datetime.date,
    operator_id: int | None = None,
    province: str | None = None,
    status: str | None = None,
    rule: str | None = None,
    calendar: WorkdayCalendar | None = None,
) -> list[EvaluatedItem]:
    """compliance_items for the operators `user` may see (worst first, then by due date)."""
    operators = compliance_operators_for_user(user=user, operator_id=operator_id, province=province)
    items = compliance_items(
        as_of=as_of,
        operators=operators,
        rules=None if rule is None else [rule],
        calendar=calendar,
    )
    if status is not None:
        items = [i for i in items if i.status == status]
    return items


# --- maintained rows (today) -------------------------------------------------------------

# Worst status first; inside it the takedown risks, then windows measured in hours, then
# the soonest (or longest overdue) due date and hour.
ITEM_ORDER = (
    "-severity",
    "-priority",
    F("due_date").asc(nulls_last=True),
    F("due_at").asc(nulls_last=True),
    "operator_name",
    "rule",
    "subject_id",
)


def hour_passed_q(now: datetime.datetime) -> Q:
    """Rows still stored as due soon whose hour has passed: overdue since that instant.

    compliance.tracking.advance turns them overdue in the rows within one period of the
    ``compliance.advance`` task (15 minutes); pages read them as overdue at once.
    """
    return Q(status=ComplianceStatus.DUE_SOON, due_at__lte=now)


def overdue_q(now: datetime.datetime) -> Q:
    """Overdue at `now`: stored overdue, or an hour window that has closed since."""
    return Q(status=ComplianceStatus.OVERDUE) | hour_passed_q(now)


def item_list_for_user(
    *,
    user: User,
    operator_id: int | None = None,
    organization_id: int | None = None,
    province: str | None = None,
    status: str | None = None,
    rule: str | None = None,
) -> QuerySet[ComplianceItem]:
    """The current compliance items `user` may see (every status), worst first, then by
    due date. Marked changes are applied first (compliance.tracking.flush), so a page sees
    the writes of its own request.

    Raises Operator.DoesNotExist when `operator_id` is missing or not the user's alike.
    """
    tracking.flush()
    qs = ComplianceItem.objects.filter(closed_at__isnull=True).filter(
        operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
    )
    if operator_id is not None:
        compliance_operators_for_user(user=user, operator_id=operator_id)  # 404 alike
        qs = qs.filter(operator_id=operator_id)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if province:
        qs = qs.filter(province_code=province)
    if status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    return qs.order_by(*ITEM_ORDER)


def item_summary_for_user(
    *,
    user: User,
    operator_id: int | None = None,
    province: str | None = None,
    rule: str | None = None,
) -> dict:
    """total, by_status, by_rule and by_province of the user's current items (shaped like the
    engine's summarize() without its per-operator list), added up from the per-operator
    counts by rule (OperatorCompliance.rule_counts): one row per operator read, never one per
    item.
    """
    statuses = ComplianceStatus.values
    by_status = dict.fromkeys(statuses, 0)
    by_rule: dict[str, dict[str, int]] = {}
    by_province: dict[str, dict[str, int]] = {}
    summaries = operator_summary_list_for_user(user=user)
    if operator_id is not None:
        summaries = summaries.filter(operator_id=operator_id)
    if province:
        summaries = summaries.filter(operator__province_id=province)
    rows = summaries.values_list("operator__province_id", "rule_counts")
    for province_code, rule_counts in rows.iterator(chunk_size=2000):
        for code, counts in (rule_counts or {}).items():
            if rule and code != rule:
                continue
            per_rule = by_rule.get(code) or by_rule.setdefault(code, dict.fromkeys(statuses, 0))
            per_province = by_province.get(province_code) or by_province.setdefault(
                province_code, dict.fromkeys(statuses, 0)
            )
            for status, n in counts.items():
                by_status[status] += n
                per_rule[status] += n
                per_province[status] += n
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_rule": by_rule,
        "by_province": by_province,
    }


def operator_summary_list_for_user(
    *, user: User, organization_id: int | None = None
) -> QuerySet[OperatorCompliance]:
    """Per operator the user may see: counts, worst status, next deadline (maintained)."""
    tracking.flush()
    qs = OperatorCompliance.objects.filter(
        operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
    )
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs


OPERATOR_COMPLIANCE_ORDER = (
    "-worst_severity",
    F("compliance__next_deadline").asc(nulls_last=True),
    "name_zh",
    "pk",
)


def operators_with_compliance(operators: QuerySet[Operator]) -> QuerySet[Operator]:
    """`operators` joined to their maintained summary (``operator.compliance``), worst first.

    ``worst_severity`` is annotated so that sorts run in SQL; an operator without a summary
    row reads as not applicable (severity 0).
    """
    tracking.flush()
    return (
        operators.select_related("compliance")
        .annotate(
            worst_severity=Coalesce(
                F("compliance__worst_severity"), Value(0), output_field=IntegerField()
            ),
        )
        .order_by(*OPERATOR_COMPLIANCE_ORDER)
    )


def operator_compliance_row(operator: Operator) -> dict:
    """The API's per-operator row for an operator from operators_with_compliance()."""
    summary: OperatorCompliance | None = getattr(operator, "compliance", None)
    counts = {str(s): getattr(summary, str(s), 0) if summary else 0 for s in ComplianceStatus}
    return {
        "operator_id": operator.pk,
        "operator_name": operator.name_zh,
        "organization_id": operator.organization_id,
        "province_code": operator.province_id,
        "worst_status": summary.worst_status if summary else str(ComplianceStatus.NOT_APPLICABLE),
        "next_deadline": summary.next_deadline if summary else None,
        "next_deadline_rule": (summary.next_deadline_rule or None) if summary else None,
        "counts": counts,
    }


# --- another date: bounded evaluation --------------------------------------------------------


class ScopeTooLargeError(Exception):
    """Evaluating "as of" another date over this many operators belongs in the background."""

    def __init__(self, operators: int, limit: int) -> None:
        super().__init__(f"{operators} operators (at most {limit} inline)")
        self.operators = operators
        self.limit = limit


def as_of_max_operators() -> int:
    """How many operators a request may evaluate "as of" another date."""
    return int(settings.COMPLIANCE_AS_OF_MAX_OPERATORS)


def ensure_as_of_scope(operators: QuerySet[Operator]) -> None:
    """Raise ScopeTooLargeError when `operators` is too many to evaluate inside a request."""
    limit = as_of_max_operators()
    count = operators[: limit + 1].count()
    if count > limit:
        raise ScopeTooLargeError(operators.count(), limit)


def is_today(as_of: datetime.date) -> bool:
    """Whether `as_of` is today in Beijing: the maintained rows answer for it."""
    return as_of == timezone.localdate()


def operator_compliance_as_of(*, operators: QuerySet[Operator], as_of: datetime.date) -> list:
    """The engine's per-operator rows for `operators` as of another date, worst first, with
    operators that have no items as not applicable (callers bound the scope first).
    """
    rows = summarize(compliance_items(as_of=as_of, operators=operators), as_of=as_of)["operators"]
    seen = {r["operator_id"] for r in rows}
    empty = {str(s): 0 for s in ComplianceStatus}
    for op in operators.order_by("name_zh", "pk").values(
        "id", "name_zh", "organization_id", "province_id"
    ):
        if op["id"] not in seen:
            rows.append(
                {
                    "operator_id": op["id"],
                    "operator_name": op["name_zh"],
                    "organization_id": op["organization_id"],
                    "province_code": op["province_id"],
                    "worst_status": str(ComplianceStatus.NOT_APPLICABLE),
                    "next_deadline": None,
                    "next_deadline_rule": None,
                    "counts": dict(empty),
                }
            )
    return rows


def rule_params(code: str) -> dict[str, Any] | None:
    """An active rule's parameters with their defaults filled in; None when it is switched off."""
    stored = ComplianceRule.objects.filter(code=code, active=True).values_list("params", flat=True)
    for params in stored:
        return {**DEFAULT_PARAMS.get(code, {}), **(params or {})}
    return None
