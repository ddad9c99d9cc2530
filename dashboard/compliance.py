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
from django.utils import timezone

from accounts.types import User
from compliance.engine import compliance_items, summarize
from compliance.models import OperatorCompliance
from compliance.rules import RuleCode as R
from compliance.rules import rule_priority
from compliance.selectors import (
    ITEM_ORDER,
    ensure_as_of_scope,
    hour_passed_q,
    item_list_for_user,
    operator_summary_list_for_user,
    overdue_q,
)
from compliance.store import summary_for
from compliance.types import OPEN_STATUSES, SEVERITY, ComplianceStatus, EvaluatedItem
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

TODAY_HOURS = 24  # "Today" also holds windows closing within this many hours


def _today_q(as_of: datetime.date, now: datetime.datetime) -> Q:
    """Open items due on `as_of`, or whose hour comes within TODAY_HOURS."""
    soon = now + datetime.timedelta(hours=TODAY_HOURS)
    return Q(status__in=list(OPEN_STATUSES)) & (
        Q(due_date=as_of) | Q(due_at__gte=now, due_at__lte=soon)
    )


def _due_within_q(as_of: datetime.date, now: datetime.datetime) -> Q:
    """Due soon (not yet overdue, also not by the hour) with as_of <= due date <= horizon."""
    horizon = as_of + datetime.timedelta(days=HORIZON_DAYS)
    return Q(status=S.DUE_SOON, due_date__gte=as_of, due_date__lte=horizon) & ~hour_passed_q(now)


def _stuck_q(now: datetime.datetime) -> Q:
    return Q(subject_type="filing", rule__in=SLA_RULES) & overdue_q(now)


def overview_lists_q(as_of: datetime.date, now: datetime.datetime) -> dict[str, Q]:
    """The overview's lists of items, as filters over the current rows."""
    return {
        "today": _today_q(as_of, now),
        "overdue": overdue_q(now),
        "due_soon": _due_within_q(as_of, now),
        "stuck": _stuck_q(now),
    }


# What each list is in the worklist's filters (dashboard.links.worklist_url).
WORKLIST_FILTERS: dict[str, dict[str, Any]] = {
    "today": {"window": "today"},
    "overdue": {"status": "overdue"},
    "due_soon": {"status": "due_soon", "window": "30d"},
    "stuck": {"status": "overdue", "rule": sorted(SLA_RULES)},
}


def overview_today(
    *,
    user: User,
    organization_id: int | None,
    as_of: datetime.date,
    now: datetime.datetime | None = None,
) -> dict:
    """The overview's compliance figures from the rows, flat in portfolio size: 6 queries
    (the summaries' sums, one count of the lists, one page of each list).

    Lists come in ITEM_ORDER (worst, then takedown risks and hour windows, then soonest),
    "today" by the hour first. A window whose hour has passed counts as overdue at once
    (compliance.selectors.overdue_q), before the periodic re-evaluation stores it so.
    """
    now = now or timezone.now()
    items = item_list_for_user(user=user, organization_id=organization_id)
    lists = overview_lists_q(as_of, now)
    order: dict[str, tuple[Any, ...]] = {
        "today": (F("due_at").asc(nulls_last=True), *ITEM_ORDER),
        "overdue": ITEM_ORDER,
        "due_soon": ITEM_ORDER,
        "stuck": ITEM_ORDER,
    }
    # Item and service counts by status: sums over the per-operator summaries (one row per
    # operator, not per item); the lists' totals: one indexed count over the open rows.
    summaries = operator_summary_list_for_user(user=user, organization_id=organization_id)
    sums = summaries.aggregate(
        **{f"items_{s}": Sum(s) for s in S.values},
        **{f"services_{s}": Sum(f"services_{s}") for s in S.values},
    )
    counted = {name: q for name, q in lists.items() if name != "overdue"}
    counted["passed"] = hour_passed_q(now)
    any_q = Q()
    for q in counted.values():
        any_q |= q
    totals = (
        items.filter(any_q)
        .order_by()
        .aggregate(**{name: Count("pk", filter=q) for name, q in counted.items()})
    )
    passed = totals.pop("passed")
    status_counts = {s: sums[f"items_{s}"] or 0 for s in S.values}
    status_counts[S.OVERDUE] += passed
    status_counts[S.DUE_SOON] = max(status_counts[S.DUE_SOON] - passed, 0)
    totals["overdue"] = status_counts[S.OVERDUE]
    return {
        "status_counts": status_counts,
        "service_counts": {s: sums[f"services_{s}"] or 0 for s in S.values},
        **{
            name: Listing(list(items.filter(q).order_by(*order[name])[:LIST_SIZE]), totals[name])
            for name, q in lists.items()
        },
    }


def _worst_first(item: EvaluatedItem) -> tuple:
    """ITEM_ORDER over evaluated items."""
    return (
        -severity(item.status),
        -rule_priority(item.rule),
        item.due_date or datetime.date.max,
        item.due_at or datetime.datetime.max.replace(tzinfo=datetime.UTC),
        item.operator_name,
        item.rule,
        item.subject_id,
    )


def overview_as_of(*, operators: QuerySet[Operator], as_of: datetime.date) -> dict:
    """The same figures evaluated by the engine as of another (whole) date
    (ScopeTooLargeError beyond the limit, before anything is evaluated)."""
    ensure_as_of_scope(operators)
    items = sorted(compliance_items(as_of=as_of, operators=operators), key=_worst_first)
    horizon = as_of + datetime.timedelta(days=HORIZON_DAYS)
    open_items = [i for i in items if i.status in OPEN_STATUSES]
    lists = {
        "today": sorted(
            (i for i in open_items if i.due_date == as_of),
            key=lambda i: (i.due_at is None, _worst_first(i)),
        ),
        "overdue": [i for i in items if i.status == S.OVERDUE],
        "due_soon": [
            i
            for i in items
            if i.status == S.DUE_SOON and i.due_date and as_of <= i.due_date <= horizon
        ],
        "stuck": [
            i
            for i in items
            if i.subject_type == "filing" and i.rule in SLA_RULES and i.status == S.OVERDUE
        ],
    }
    # The same arithmetic as the maintained per-operator summaries, over the whole scope.
    figures = summary_for(0, items, as_of=as_of)
    return {
        "status_counts": {s: figures[s] for s in S.values},
        "service_counts": {s: figures[f"services_{s}"] for s in S.values},
        **{name: Listing(rows[:LIST_SIZE], len(rows)) for name, rows in lists.items()},
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
