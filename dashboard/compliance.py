"""The dashboard's window on the compliance engine: scoped items and the counts pages show."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from accounts.types import User
from compliance.engine import summarize
from compliance.rules import RuleCode as R
from compliance.selectors import compliance_items_for_user
from compliance.types import SEVERITY, ComplianceStatus, EvaluatedItem

# The engine's service-level rules for applications in a timed stage.
SLA_RULES = frozenset({R.PROVIDER_REVIEW_SLA, R.SMS_VERIFICATION_WINDOW, R.AUTHORITY_REVIEW_SLA})


def items_for_user(*, user: User, as_of: datetime.date, **filters) -> list[EvaluatedItem]:
    """Compliance items in the user's scope (filters with empty values are ignored)."""
    filters = {k: v for k, v in filters.items() if v not in (None, "")}
    return compliance_items_for_user(user=user, as_of=as_of, **filters)


@dataclass
class OperatorSummary:
    counts: Counter
    worst: str
    next_deadline: datetime.date | None

    @property
    def overdue(self) -> int:
        return self.counts.get(ComplianceStatus.OVERDUE, 0)

    @property
    def due_soon(self) -> int:
        return self.counts.get(ComplianceStatus.DUE_SOON, 0)

    @property
    def compliant(self) -> int:
        return self.counts.get(ComplianceStatus.COMPLIANT, 0)


def summaries_by_operator(
    items: list[EvaluatedItem] | None, *, as_of: datetime.date
) -> dict[int, OperatorSummary]:
    """Per-operator counts, worst status and next deadline, as the engine summarises them."""
    if not items:
        return {}
    return {
        row["operator_id"]: OperatorSummary(
            Counter(row["counts"]), row["worst_status"], row["next_deadline"]
        )
        for row in summarize(items, as_of=as_of)["operators"]
    }


# SEVERITY by stored value: items carry their status as a plain str.
_SEVERITY_BY_VALUE: dict[str, int] = {status.value: n for status, n in SEVERITY.items()}


def severity(status: str, default: int = 0) -> int:
    """How bad `status` is (higher is worse, see SEVERITY); `default` for an unknown one."""
    return _SEVERITY_BY_VALUE.get(status, default)


def status_counts(items: list[EvaluatedItem] | None) -> dict[str, int]:
    counts = Counter(i.status for i in items or ())
    return {value: counts.get(value, 0) for value in ComplianceStatus.values}


SERVICE_SUBJECTS = frozenset({"miniprogram", "domain"})


def service_status_counts(items: list[EvaluatedItem] | None) -> dict[str, int]:
    """Mini-programs/apps and domains counted once each, by the worst status of their items."""
    worst: dict[tuple[str, int], str] = {}
    for i in items or ():
        if i.subject_type not in SERVICE_SUBJECTS:
            continue
        key = (i.subject_type, i.subject_id)
        if severity(i.status) >= severity(worst.get(key, ""), -1):
            worst[key] = i.status
    counts = Counter(worst.values())
    return {value: counts.get(value, 0) for value in ComplianceStatus.values}


def stuck_applications(items: list[EvaluatedItem]) -> list[EvaluatedItem]:
    """Applications past their stage's service level as of the items' date, longest first."""
    stuck = [
        i
        for i in items
        if i.subject_type == "filing"
        and i.rule in SLA_RULES
        and i.status == ComplianceStatus.OVERDUE
    ]
    return sorted(stuck, key=lambda i: (i.due_date or datetime.date.max, i.subject_id))
