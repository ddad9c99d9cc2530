"""The compliance engine: every active rule evaluated "as of" a date, set-based.

``compliance_items`` reads each kind of subject with one query (``values()`` plus
``Subquery``/``Exists`` annotations) and evaluates the rules in Python, so the number of
queries is fixed whatever the number of rows: 1 for the rules, 2 for the calendar (0 if one
is passed in), and at most one per subject kind (mini-programs, domains, people, in-flight
filings, change filings, licences). The subject queries are unordered (``order_by()``):
items are sorted once at the end, worst first.

"Filed as of D" (domain.md §4): an approved number-granting application whose approval
(FilingStatusChange.created_at, Beijing date) is on or before D; or, for numbers imported
without any approval history, a non-empty ``icp_number`` (treated as filed since always).

Applications are judged by their status history as of the date (the last
FilingStatusChange recorded by the end of that Beijing day). What is *not* historical:
lifecycle, real-name status, PSB number and last annual report year are read as they are
today; the dates around them (launch, expiry, live since, PSB filed on) are compared with
``as_of``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from icp.workdays import WorkdayCalendar
from miniprograms.models import Operator

from ..calendar import get_workday_calendar
from ..models import ComplianceRule
from ..registry import evaluators_for, registered_codes
from ..rules import DEFAULT_PARAMS
from ..types import SEVERITY, EvaluatedItem

# Importing the evaluator modules registers them (compliance.registry).
from . import expiries, filings, records, register, services  # noqa: F401
from .base import BEIJING, Ctx, R, S, UnknownRuleError

__all__ = ["UnknownRuleError", "compliance_items", "summarize", "worst_status"]


def _active_params(rules: Iterable[str] | None) -> dict[str, dict[str, Any]]:
    wanted = None
    if rules is not None:
        wanted = set(rules)
        unknown = wanted - registered_codes()
        if unknown:
            raise UnknownRuleError(", ".join(sorted(unknown)))
    params: dict[str, dict[str, Any]] = {}
    known = registered_codes()
    for code, stored in ComplianceRule.objects.filter(active=True).values_list("code", "params"):
        if code in known:
            params[code] = {**DEFAULT_PARAMS.get(code, {}), **(stored or {})}
    if wanted is not None:
        # The inspection window shapes the deadline rule's messages, so it stays if active.
        keep = wanted | ({R.INSPECTION_WINDOW} & params.keys())
        params = {code: p for code, p in params.items() if code in keep}
    return params


# Plain-str keys: enum-keyed lookups are measurably slower over hundreds of thousands of items.
_SEVERITY: dict[str, int] = {str(k): v for k, v in SEVERITY.items()}
_NEXT_DEADLINE_STATUSES = frozenset({str(S.DUE_SOON), str(S.COMPLIANT)})


def _sort_key(item: EvaluatedItem) -> tuple:
    return (
        -_SEVERITY[item.status],
        item.due_date or datetime.date.max,
        item.operator_name,
        item.rule,
        item.subject_id,
    )


def compliance_items(
    *,
    as_of: datetime.date,
    operators: QuerySet[Operator] | None = None,
    rules: Iterable[str] | None = None,
    calendar: WorkdayCalendar | None = None,
    now: datetime.datetime | None = None,
) -> list[EvaluatedItem]:
    """Evaluate the active rules as of `as_of` for `operators` (None: every operator).

    Not scoped to a user: callers pass an already-scoped operator queryset (see
    compliance.selectors). Pages of the current day read the maintained rows instead
    (compliance.store); this is for "as of" another date over a bounded scope, and for the
    store itself. `rules` restricts evaluation to those codes (UnknownRuleError for a
    code without a registered evaluator). Each evaluator with an active code runs once
    (compliance.registry). Items come worst first, then by due date.

    `now` (an aware instant on the Beijing day `as_of`) makes windows measured in hours close
    at their hour instead of at the end of their day; the store passes it for today.
    """
    if isinstance(as_of, datetime.datetime) or not isinstance(as_of, datetime.date):
        raise TypeError(f"as_of must be a datetime.date, got {as_of!r}")
    if now is not None and now.astimezone(BEIJING).date() != as_of:
        raise ValueError(f"now ({now.isoformat()}) is not on {as_of.isoformat()} in Beijing")
    params = _active_params(rules)
    if not params:
        return []
    ctx = Ctx(as_of=as_of, calendar=calendar or get_workday_calendar(), params=params, now=now)
    scope = Q() if operators is None else Q(operator__in=operators.values("pk"))
    items = [item for evaluate in evaluators_for(params) for item in evaluate(ctx, scope)]
    items.sort(key=_sort_key)
    return items


_STATUS_VALUES: tuple[str, ...] = tuple(str(s) for s in S)


def _status_counts() -> dict[str, int]:
    return dict.fromkeys(_STATUS_VALUES, 0)


def summarize(items: Iterable[EvaluatedItem], *, as_of: datetime.date | None = None) -> dict:
    """Counts by status, rule and province, and per operator its worst status and next
    deadline (the earliest due date on or after `as_of` of an item that is not settled)."""
    by_status = _status_counts()
    by_rule: dict[str, dict[str, int]] = defaultdict(_status_counts)
    by_province: dict[str, dict[str, int]] = defaultdict(_status_counts)
    operators: dict[int, dict] = {}
    total = 0
    for item in items:
        total += 1
        by_status[item.status] += 1
        by_rule[item.rule][item.status] += 1
        by_province[item.province_code][item.status] += 1
        op = operators.get(item.operator_id)
        if op is None:
            op = operators[item.operator_id] = {
                "operator_id": item.operator_id,
                "operator_name": item.operator_name,
                "organization_id": item.organization_id,
                "province_code": item.province_code,
                "worst_status": str(S.NOT_APPLICABLE),
                "next_deadline": None,
                "next_deadline_rule": None,
                "counts": _status_counts(),
            }
        op["counts"][item.status] += 1
        if _SEVERITY[item.status] > _SEVERITY[op["worst_status"]]:
            op["worst_status"] = item.status
        due = item.due_date
        if (
            due is not None
            and item.status in _NEXT_DEADLINE_STATUSES
            and (as_of is None or due >= as_of)
            and (op["next_deadline"] is None or due < op["next_deadline"])
        ):
            op["next_deadline"] = due
            op["next_deadline_rule"] = item.rule
    ordered = sorted(
        operators.values(),
        key=lambda o: (
            -_SEVERITY[o["worst_status"]],
            o["next_deadline"] or datetime.date.max,
            o["operator_name"],
        ),
    )
    return {
        "total": total,
        "by_status": by_status,
        "by_rule": dict(by_rule),
        "by_province": dict(by_province),
        "operators": ordered,
    }


def worst_status(items: Iterable[EvaluatedItem]) -> str:
    """The worst status among `items` (not_applicable when there are none)."""
    return max((i.status for i in items), key=_SEVERITY.__getitem__, default=str(S.NOT_APPLICABLE))
