"""The agency portfolio: every client operator with its compliance summary, filtered and
sorted in SQL today (one page, constant queries), or evaluated by the engine as of another
date over a bounded scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import F, Q, QuerySet

from compliance.engine import compliance_items
from compliance.selectors import ensure_as_of_scope, operators_with_compliance
from compliance.types import ComplianceStatus
from miniprograms.models import Operator

from .compliance import NOT_APPLICABLE, OperatorSummary, severity, summaries_by_operator

S = ComplianceStatus

# Sort keys in SQL (today) over operators_with_compliance(); name breaks ties.
PORTFOLIO_ORDER: dict[str, tuple[Any, ...]] = {
    "name": (F("name_zh").asc(),),
    "province": (F("province_id").asc(),),
    "status": (F("worst_severity").desc(),),
    "overdue": (F("compliance__overdue").desc(nulls_last=True),),
    "deadline": (F("compliance__next_deadline").asc(nulls_last=True),),
}
# The same keys over (operator, summary) pairs (another date, bounded scope).
PORTFOLIO_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "name": lambda row: row["operator"].name_zh,
    "province": lambda row: row["operator"].province_id,
    "status": lambda row: -severity(row["summary"].worst),
    "overdue": lambda row: -row["summary"].overdue,
    "deadline": lambda row: row["summary"].next_deadline or datetime.date.max,
}


def _reverse(expr: Any) -> Any:
    """The opposite order of an OrderBy, keeping NULLs last."""
    return expr.copy().reverse_ordering() if hasattr(expr, "reverse_ordering") else expr


def portfolio_today(operators: QuerySet[Operator], *, status: str, sort: str) -> QuerySet:
    """`operators` with their maintained summary, filtered by worst status and sorted in
    SQL (`sort` is a PORTFOLIO_ORDER key, "-" for descending)."""
    qs = operators_with_compliance(operators)
    if status == S.NOT_APPLICABLE:
        qs = qs.filter(Q(compliance__isnull=True) | Q(compliance__worst_status=status))
    elif status in S.values:
        qs = qs.filter(compliance__worst_status=status)
    order = PORTFOLIO_ORDER[sort.lstrip("-")]
    if sort.startswith("-"):
        order = tuple(_reverse(e) for e in order)
    return qs.order_by(*order, "name_zh", "pk")


def portfolio_row(operator: Operator) -> dict:
    """A page row (operator, summary) from an operator of portfolio_today()."""
    return {
        "operator": operator,
        "summary": OperatorSummary.from_row(getattr(operator, "compliance", None)),
    }


def portfolio_as_of(
    operators: QuerySet[Operator], *, as_of: datetime.date, status: str, sort: str
) -> list[dict]:
    """The same rows evaluated by the engine as of another date (bounded scope)."""
    ensure_as_of_scope(operators)
    ops = list(operators)
    summaries = summaries_by_operator(compliance_items(as_of=as_of, operators=operators), as_of)
    rows: list[dict[str, Any]] = [
        {"operator": op, "summary": summaries.get(op.pk, NOT_APPLICABLE)} for op in ops
    ]
    if status in S.values:
        rows = [row for row in rows if row["summary"].worst == status]
    rows.sort(key=lambda row: (row["operator"].name_zh, row["operator"].pk))
    rows.sort(key=PORTFOLIO_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    return rows
