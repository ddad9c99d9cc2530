"""The dashboard's window on the compliance engine, and its own SLA check for applications.

The engine (compliance.selectors / compliance.engine) is built by another team; everything
here tolerates its absence so the pages keep working (showing that no results are available).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from compliance.types import SEVERITY, ComplianceItem, ComplianceStatus
from filings.workflow import FilingStatus

S = FilingStatus
# Working days allowed per review stage; the authority's comes from the province row.
PROVIDER_REVIEW_WD = 2
SMS_WINDOW_DAYS = 1
STUCK_STAGES = (S.PROVIDER_REVIEW, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW)


def engine_available() -> bool:
    try:
        from compliance import selectors
    except ImportError:
        return False
    return hasattr(selectors, "compliance_items_for_user")


def items_for_user(*, user, as_of: datetime.date, **filters) -> list[ComplianceItem] | None:
    """Compliance items in the user's scope, or None when the engine is not installed."""
    if not engine_available():
        return None
    from compliance.selectors import compliance_items_for_user

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
    items: list[ComplianceItem] | None, *, as_of: datetime.date
) -> dict[int, OperatorSummary]:
    """Per-operator counts, worst status and next deadline, as the engine summarises them."""
    if not items:
        return {}
    from compliance.engine import summarize

    return {
        row["operator_id"]: OperatorSummary(
            Counter(row["counts"]), row["worst_status"], row["next_deadline"]
        )
        for row in summarize(items, as_of=as_of)["operators"]
    }


def status_counts(items: list[ComplianceItem] | None) -> dict[str, int]:
    counts = Counter(i.status for i in items or ())
    return {value: counts.get(value, 0) for value in ComplianceStatus.values}


SERVICE_SUBJECTS = frozenset({"miniprogram", "domain"})


def service_status_counts(items: list[ComplianceItem] | None) -> dict[str, int]:
    """Mini-programs/apps and domains counted once each, by the worst status of their items."""
    worst: dict[tuple[str, int], str] = {}
    for i in items or ():
        if i.subject_type not in SERVICE_SUBJECTS:
            continue
        key = (i.subject_type, i.subject_id)
        if SEVERITY.get(i.status, 0) >= SEVERITY.get(worst.get(key, ""), -1):
            worst[key] = i.status
    counts = Counter(worst.values())
    return {value: counts.get(value, 0) for value in ComplianceStatus.values}


def stuck_applications(filings, *, as_of: datetime.date, calendar) -> list:
    """Applications whose current stage has lasted longer than its service level.

    `filings` carry `stage` and `stage_since` (dashboard.selectors.filings_as_of); each
    returned one gets `days_in_stage` (working days) and `sla` set.
    """
    stuck = []
    for f in filings:
        if f.stage not in STUCK_STAGES:
            continue
        since = timezone.localtime(f.stage_since).date() if f.stage_since else None
        if since is None:
            continue
        if f.stage == S.SMS_VERIFICATION:
            f.sla, f.days_in_stage = SMS_WINDOW_DAYS, (as_of - since).days
        else:
            f.sla = (
                f.operator.province.review_working_days
                if f.stage == S.AUTHORITY_REVIEW
                else PROVIDER_REVIEW_WD
            )
            f.days_in_stage = calendar.working_days_between(since, as_of)
        if f.days_in_stage > f.sla:
            stuck.append(f)
    return sorted(stuck, key=lambda f: f.days_in_stage - f.sla, reverse=True)
