"""The dashboard's window on compliance: today from the maintained rows, another date from
the engine over a bounded scope.

Today (``compliance.selectors.is_today``) every figure is one indexed SQL query (counts as
GROUP BYs, lists as one page plus one count), whatever the size of the portfolio. Another
date is evaluated by the engine for at most COMPLIANCE_AS_OF_MAX_OPERATORS operators; a
larger scope raises ScopeTooLargeError, which the pages answer by asking for a client or a
province (templates/dashboard/partials/as_of_too_large.html).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from accounts.types import User
from compliance.engine import compliance_items, summarize
from compliance.models import OperatorCompliance
from compliance.rules import RuleCode as R
from compliance.selectors import (
    ensure_as_of_scope,
    item_list_for_user,
    operator_summary_list_for_user,
)
from compliance.store import summary_for
from compliance.types import SEVERITY, ComplianceStatus, EvaluatedItem
from miniprograms.models import Operator

S = ComplianceStatus
# The engine's service-level rules for applications in a timed stage.
SLA_RULES = frozenset({R.PROVIDER_REVIEW_SLA, R.SMS_VERIFICATION_WINDOW, R.AUTHORITY_REVIEW_SLA})
LIST_SIZE = 15  # rows shown in each overview list (their totals are counted in full)
HORIZON_DAYS = 30  # "due in the next 30 days"

# SEVERITY by stored value: items carry their status as a plain str.
_SEVERITY: dict[str, int] = {status.value: n for status, n in SEVERITY.items()}


def severity(status: str, default: int = 0) -> int:
    """How bad `status` is (higher is worse, see SEVERITY); `default` for an unknown one."""
    return _SEVERITY.get(status, default)


@dataclass(frozen=True)
class OperatorSummary:
    """What the pages show of one operator's compliance, from a row or from the engine."""

    worst: str
    overdue: int = 0
    due_soon: int = 0
    compliant: int = 0
    next_deadline: datetime.date | None = None

    @classmethod
    def from_row(cls, row: OperatorCompliance | None) -> OperatorSummary:
        if row is None:
            return NOT_APPLICABLE
        return cls(row.worst_status, row.overdue, row.due_soon, row.compliant, row.next_deadline)

    @classmethod
    def from_engine(cls, row: dict) -> OperatorSummary:
        counts = row["counts"]
        return cls(
            row["worst_status"],
            counts.get(S.OVERDUE, 0),
            counts.get(S.DUE_SOON, 0),
            counts.get(S.COMPLIANT, 0),
            row["next_deadline"],
        )


NOT_APPLICABLE = OperatorSummary(str(S.NOT_APPLICABLE))


@dataclass(frozen=True)
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list
    count: int


# --- overview ----------------------------------------------------------------------------


def _due_within_q(as_of: datetime.date) -> Q:
    horizon = as_of + datetime.timedelta(days=HORIZON_DAYS)
    return Q(status__in=[S.DUE_SOON, S.COMPLIANT], due_date__gte=as_of, due_date__lte=horizon)


def overview_today(*, user: User, organization_id: int | None, as_of: datetime.date) -> dict:
    """The overview's compliance figures from the rows, flat in portfolio size: 5 queries
    (two aggregates and one page of each list)."""
    items = item_list_for_user(user=user, organization_id=organization_id)
    lists: dict[str, tuple[Q, tuple[Any, ...]]] = {
        "overdue": (Q(status=S.OVERDUE), (F("due_date").asc(nulls_last=True), "operator_name")),
        "due_soon": (_due_within_q(as_of), ("due_date", "operator_name")),
        "stuck": (
            Q(subject_type="filing", rule__in=SLA_RULES, status=S.OVERDUE),
            (F("due_date").asc(nulls_last=True), "subject_id"),
        ),
    }
    # Item and service counts by status: sums over the per-operator summaries (one row per
    # operator, not per item); the two list totals: one indexed count over the open rows.
    summaries = operator_summary_list_for_user(user=user, organization_id=organization_id)
    sums = summaries.aggregate(
        **{f"items_{s}": Sum(s) for s in S.values},
        **{f"services_{s}": Sum(f"services_{s}") for s in S.values},
    )
    totals = (
        items.filter(lists["due_soon"][0] | lists["stuck"][0])
        .order_by()
        .aggregate(**{name: Count("pk", filter=lists[name][0]) for name in ("due_soon", "stuck")})
    )
    totals["overdue"] = sums[f"items_{S.OVERDUE}"] or 0
    return {
        "status_counts": {s: sums[f"items_{s}"] or 0 for s in S.values},
        "service_counts": {s: sums[f"services_{s}"] or 0 for s in S.values},
        **{
            name: Listing(list(items.filter(q).order_by(*order, "pk")[:LIST_SIZE]), totals[name])
            for name, (q, order) in lists.items()
        },
    }


def overview_as_of(*, operators: QuerySet[Operator], as_of: datetime.date) -> dict:
    """The same figures evaluated by the engine as of another date (ScopeTooLargeError
    beyond the limit, before anything is evaluated)."""
    ensure_as_of_scope(operators)
    items = compliance_items(as_of=as_of, operators=operators)
    horizon = as_of + datetime.timedelta(days=HORIZON_DAYS)
    overdue = sorted(
        (i for i in items if i.status == S.OVERDUE),
        key=lambda i: (i.due_date or datetime.date.max, i.operator_name),
    )
    due_soon = sorted(
        (
            i
            for i in items
            if i.status in (S.DUE_SOON, S.COMPLIANT)
            and i.due_date
            and as_of <= i.due_date <= horizon
        ),
        key=lambda i: (i.due_date, i.operator_name),
    )
    stuck = sorted(
        (
            i
            for i in items
            if i.subject_type == "filing" and i.rule in SLA_RULES and i.status == S.OVERDUE
        ),
        key=lambda i: (i.due_date or datetime.date.max, i.subject_id),
    )
    # The same arithmetic as the maintained per-operator summaries, over the whole scope.
    figures = summary_for(0, items, as_of=as_of)
    return {
        "status_counts": {s: figures[s] for s in S.values},
        "service_counts": {s: figures[f"services_{s}"] for s in S.values},
        "overdue": Listing(overdue[:LIST_SIZE], len(overdue)),
        "due_soon": Listing(due_soon[:LIST_SIZE], len(due_soon)),
        "stuck": Listing(stuck[:LIST_SIZE], len(stuck)),
    }


def summaries_by_operator(
    items: list[EvaluatedItem], as_of: datetime.date
) -> dict[int, OperatorSummary]:
    """Per operator: counts, worst status and next deadline, as the engine summarises them."""
    return {
        row["operator_id"]: OperatorSummary.from_engine(row)
        for row in summarize(items, as_of=as_of)["operators"]
    }


# --- one operator ----------------------------------------------------------------------------


def operator_compliance(
    *, user: User, operator: Operator, as_of: datetime.date, today: bool
) -> tuple[list[Any], OperatorSummary | None]:
    """(items worst first, summary) of one operator: its rows today, the engine otherwise."""
    if today:
        # `operator` was found through the user's scope: its rows need no second check, and
        # its summary is the same arithmetic over the rows the page lists anyway.
        items: list[Any] = list(item_list_for_user(user=user).filter(operator_id=operator.pk))
    else:
        evaluated = compliance_items(as_of=as_of, operators=Operator.objects.filter(pk=operator.pk))
        items = sorted(evaluated, key=lambda i: (-severity(i.status), i.due_date or as_of))
    return items, summaries_by_operator(items, as_of).get(operator.pk)
