"""The compliance part of the reports: each service's worst status and the open items.

Today it is read from the maintained rows (streamed with ``.iterator()``); another date is
evaluated by the engine (large reports are built by the reports.render task, see
reports/services.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Max

from accounts.types import User
from compliance.selectors import compliance_items_for_user, is_today, item_list_for_user
from compliance.store import SERVICE_SUBJECTS
from compliance.types import SEVERITY, ComplianceStatus

from .lines import ServiceLine

S = ComplianceStatus

_SEVERITY: dict[str, int] = {status.value: n for status, n in SEVERITY.items()}
_STATUS: dict[int, str] = {n: status for status, n in _SEVERITY.items()}


@dataclass(frozen=True)
class ComplianceFacts:
    worst: dict[tuple[str, int], str]  # (subject_type, subject_id) -> worst status
    overdue: list  # oldest first
    due_soon: list  # soonest first


def _worst(rows: Iterable[tuple[str, int, str]]) -> dict[tuple[str, int], str]:
    worst: dict[tuple[str, int], str] = {}
    for subject_type, subject_id, status in rows:
        key = (subject_type, subject_id)
        if _SEVERITY.get(status, 0) > _SEVERITY.get(worst.get(key, ""), -1):
            worst[key] = status
    return worst


def compliance_facts(
    *, user: User, as_of: datetime.date, operator_id: int | None = None
) -> ComplianceFacts:
    """Worst status per service and the overdue / due-soon items of the user's scope (or of
    one operator). Raises Operator.DoesNotExist for an operator that is not the user's."""
    if is_today(as_of):
        rows = item_list_for_user(user=user, operator_id=operator_id)
        # One row per service with the severity of its worst item (a GROUP BY in SQL).
        services = (
            rows.filter(subject_type__in=SERVICE_SUBJECTS)
            .order_by()
            .values_list("subject_type", "subject_id")
            .annotate(worst=Max("severity"))
        )
        overdue = rows.filter(status=S.OVERDUE).order_by(
            F("due_date").asc(nulls_first=True), "operator_name", "pk"
        )
        due_soon = rows.filter(status=S.DUE_SOON).order_by(
            F("due_date").asc(nulls_last=True), "operator_name", "pk"
        )
        return ComplianceFacts(
            worst={(kind, pk): _STATUS[severity] for kind, pk, severity in services.iterator(5000)},
            overdue=list(overdue.iterator(chunk_size=2000)),
            due_soon=list(due_soon.iterator(chunk_size=2000)),
        )
    items = compliance_items_for_user(user=user, as_of=as_of, operator_id=operator_id)
    return ComplianceFacts(
        worst=_worst((i.subject_type, i.subject_id, i.status) for i in items),
        overdue=sorted(
            (i for i in items if i.status == S.OVERDUE),
            key=lambda i: (i.due_date or datetime.date.min, i.operator_name),
        ),
        due_soon=sorted(
            (i for i in items if i.status == S.DUE_SOON),
            key=lambda i: (i.due_date or datetime.date.max, i.operator_name),
        ),
    )


def attach_compliance(lines: list[ServiceLine], worst: dict[tuple[str, int], str]) -> None:
    """Set each service line's worst compliance status and its label."""
    for line in lines:
        line.compliance = worst.get((line.kind, line.id), "")
        if line.compliance:
            line.compliance_label = str(ComplianceStatus(line.compliance).label)
