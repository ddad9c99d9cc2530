"""Maintained compliance: evaluate a bounded set of operators and upsert their rows.

``refresh_operators`` is the only writer of ComplianceItem and OperatorCompliance (apart
from owners and snoozes, compliance.services). It evaluates the engine "as of" today for the
given operators — a handful of queries, each over the operators' own rows — and compares the
result with their stored rows in Python:

- a new (subject, rule, due instance) is created; a known one whose status, due date, sentence
  or next change differs is updated; a closed one that is back is reopened;
- a stored current row the engine no longer returns is closed: ``superseded`` if the same
  subject and rule now have another due instance, ``gone`` otherwise (subject deleted, rule
  switched off);
- each operator's summary row is rewritten.

Writes are set-based (bulk_create / bulk_update / one UPDATE for the closings) and happen in
one transaction that first locks the operators' rows, so two refreshes of one operator
cannot interleave. Running it twice changes nothing the second time. The drift it reports —
rows whose status, due date or existence changed for a reason other than the clock (the
``changes_on`` day or ``changes_at`` instant the row carried had not come) — is what the
nightly reconcile must find empty.

Today is evaluated against the current instant (``compliance_items(now=...)``): a window
measured in hours is due soon until its hour and overdue from it, and its row carries that
hour as ``changes_at`` for compliance.tracking.advance.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from miniprograms.models import Operator

from .engine import compliance_items
from .models import (
    CloseReason,
    ComplianceItem,
    ComplianceItemEvent,
    ItemEventKind,
    OperatorCompliance,
)
from .rules import Priority, rule_priority
from .types import OPEN_STATUSES, SEVERITY, ComplianceStatus, EvaluatedItem

S = ComplianceStatus
NO_DUE = datetime.date.min
SERVICE_SUBJECTS = frozenset({"miniprogram", "domain"})
BATCH = 200  # operators per evaluation: bounded memory whatever the portfolio

_SEVERITY: dict[str, int] = {str(k): v for k, v in SEVERITY.items()}
_COMPARED = (
    "status",
    "due_date",
    "due_at",
    "estimated",
    "note",
    "changes_on",
    "changes_at",
    "subject_name",
    "operator_name",
    "province_code",
)
_UPDATED = (
    *_COMPARED,
    "severity",
    "priority",
    "evaluated_on",
    "last_evaluated_at",
    "status_changed_at",
    "acknowledged_at",
    "acknowledged_by",
)


@dataclass
class RefreshResult:
    operators: int = 0
    created: int = 0
    updated: int = 0
    reopened: int = 0
    closed: int = 0
    # Changes the clock does not explain: (operator_id, subject_type, subject_id, rule, what).
    drift: list[tuple[int, str, int, str, str]] = field(default_factory=list)

    def add(self, other: RefreshResult) -> None:
        self.operators += other.operators
        self.created += other.created
        self.updated += other.updated
        self.reopened += other.reopened
        self.closed += other.closed
        self.drift.extend(other.drift)


def due_key(due: datetime.date | None) -> datetime.date:
    return due if due is not None else NO_DUE


def _key(subject_type: str, subject_id: int, rule: str, due: datetime.date) -> tuple:
    return (subject_type, subject_id, rule, due)


def today() -> datetime.date:
    return timezone.localdate()  # Beijing (settings.TIME_ZONE)


def refresh_operators(
    operator_ids: Iterable[int],
    *,
    as_of: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> RefreshResult:
    """Re-evaluate the items of `operator_ids` and bring their rows up to date.

    Operators that no longer exist are skipped (their rows went with them). Batches of
    BATCH operators, each in its own transaction when not already inside one.
    """
    now = now or timezone.now()
    as_of = as_of or timezone.localdate(now)
    ids = sorted(set(operator_ids))
    result = RefreshResult()
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            result.add(_refresh_batch(ids[start : start + BATCH], as_of=as_of, now=now))
    return result


def _refresh_batch(ids: Sequence[int], *, as_of: datetime.date, now: datetime.datetime):
    # Lock the operators (in pk order): concurrent refreshes of one operator queue up here.
    operators = dict(
        Operator.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "organization_id")
    )
    if not operators:
        return RefreshResult()
    # Hour windows close at their hour when the evaluation is of today (the usual case).
    instant = now if timezone.localdate(now) == as_of else None
    items = compliance_items(
        as_of=as_of, operators=Operator.objects.filter(pk__in=operators), now=instant
    )
    diff = _Diff(operators, as_of=as_of, now=now)
    for item in items:
        diff.add(item)
    diff.close_missing()
    diff.write()
    _write_summaries(operators, items, as_of=as_of, now=now)
    return diff.result


class _Diff:
    """The evaluated items of some operators against their stored rows."""

    def __init__(self, operators: dict[int, int], *, as_of: datetime.date, now) -> None:
        self.as_of, self.now = as_of, now
        self.result = RefreshResult(operators=len(operators))
        self.stored = {
            _key(r.subject_type, r.subject_id, r.rule, r.due_key): r
            for r in ComplianceItem.objects.filter(operator_id__in=operators)
        }
        # Subjects and rules whose stored next change has come: what appears there is the
        # clock, not drift.
        self.clock = {k[:3] for k, r in self.stored.items() if _clock_came(r, as_of, now)}
        self.known = set(
            OperatorCompliance.objects.filter(operator_id__in=operators).values_list(
                "operator_id", flat=True
            )
        )
        self.seen: set[tuple] = set()
        self.new: list[ComplianceItem] = []
        self.changed: list[ComplianceItem] = []
        self.closing: dict[str, list[int]] = {CloseReason.SUPERSEDED: [], CloseReason.GONE: []}
        self.events: list[ComplianceItemEvent] = []

    def _event(self, row: ComplianceItem, kind: str, before: str, after: str) -> None:
        self.events.append(
            ComplianceItemEvent(
                item=row, at=self.now, kind=kind, from_status=before, to_status=after
            )
        )

    def add(self, item: EvaluatedItem) -> None:
        key = _key(item.subject_type, item.subject_id, item.rule, due_key(item.due_date))
        self.seen.add(key)
        row = self.stored.get(key)
        if row is None:
            row = _new_row(item, as_of=self.as_of, now=self.now)
            self.new.append(row)
            if item.operator_id in self.known and key[:3] not in self.clock:
                self.result.drift.append((item.operator_id, *key[:3], "appeared"))
            if item.status in OPEN_STATUSES:
                self._event(row, ItemEventKind.OPENED, "", item.status)
            return
        before, reopened = row.status, row.closed_at is not None
        if not reopened and all(getattr(row, f) == getattr(item, f) for f in _COMPARED):
            return
        if not reopened:
            _note_drift(self.result, row, item, self.as_of, self.now)
        _apply(row, item, as_of=self.as_of, now=self.now)
        if reopened:
            row.closed_at, row.close_reason = None, ""
            self.result.reopened += 1
            self._event(row, ItemEventKind.REOPENED, "", row.status)
        elif before != row.status:
            self._event(row, ItemEventKind.STATUS, before, row.status)
        self.changed.append(row)

    def close_missing(self) -> None:
        """Stored current rows the engine no longer returns, by why they close."""
        live = {k[:3] for k in self.seen}
        for key, row in self.stored.items():
            if key in self.seen or row.closed_at is not None:
                continue
            reason = CloseReason.SUPERSEDED if key[:3] in live else CloseReason.GONE
            self.closing[reason].append(row.pk)
            if not _clock_came(row, self.as_of, self.now):
                self.result.drift.append((row.operator_id, *key[:3], "vanished"))
            if row.status in OPEN_STATUSES:
                self._event(row, ItemEventKind.CLOSED, row.status, "")

    def write(self) -> None:
        ComplianceItem.objects.bulk_create(self.new, batch_size=1000)  # ids for the events
        ComplianceItem.objects.bulk_update(
            self.changed, [*_UPDATED, "closed_at", "close_reason"], batch_size=500
        )
        for reason, pks in self.closing.items():
            if pks:
                ComplianceItem.objects.filter(pk__in=pks).update(
                    closed_at=self.now, close_reason=reason
                )
        ComplianceItemEvent.objects.bulk_create(self.events, batch_size=1000)
        self.result.created = len(self.new)
        self.result.updated = len(self.changed) - self.result.reopened
        self.result.closed = sum(len(v) for v in self.closing.values())


def _clock_came(row: ComplianceItem, as_of: datetime.date, now: datetime.datetime) -> bool:
    """Whether the next change the row announced (a day or an instant) has come."""
    return (row.changes_on is not None and row.changes_on <= as_of) or (
        row.changes_at is not None and row.changes_at <= now
    )


def _note_drift(
    result: RefreshResult, row: ComplianceItem, item: EvaluatedItem, as_of, now
) -> None:
    """A status or due-date change the stored next change did not announce."""
    if row.status == item.status and row.due_date == item.due_date:
        return  # the sentence or the next change moved: not drift
    if _clock_came(row, as_of, now):
        return  # the clock moved: expected
    result.drift.append((row.operator_id, row.subject_type, row.subject_id, row.rule, "status"))


def _new_row(item: EvaluatedItem, *, as_of: datetime.date, now: datetime.datetime):
    row = ComplianceItem(
        organization_id=item.organization_id,
        operator_id=item.operator_id,
        subject_type=item.subject_type,
        subject_id=item.subject_id,
        rule=item.rule,
        due_key=due_key(item.due_date),
        first_seen_at=now,
    )
    _apply(row, item, as_of=as_of, now=now)
    return row


def _apply(row: ComplianceItem, item: EvaluatedItem, *, as_of, now) -> None:
    if row.status != item.status:
        row.status_changed_at = now
        # An acknowledgement is of the situation seen: a new status asks to be seen again.
        row.acknowledged_at, row.acknowledged_by = None, None
    for name in _COMPARED:
        setattr(row, name, getattr(item, name))
    row.subject_name = item.subject_name[:255]
    row.severity = _SEVERITY[item.status]
    row.priority = rule_priority(item.rule)
    row.evaluated_on = as_of
    row.last_evaluated_at = now


# --- per-operator summary -------------------------------------------------------------------

_SUMMARY_FIELDS = (
    "organization_id",
    "worst_status",
    "worst_severity",
    "overdue",
    "due_soon",
    "compliant",
    "not_applicable",
    "services_overdue",
    "services_due_soon",
    "services_compliant",
    "services_not_applicable",
    "next_deadline",
    "next_deadline_rule",
    "oldest_overdue",
    "takedown_risk",
    "rule_counts",
    "evaluated_on",
    "updated_at",
)
_NEXT_DEADLINE_STATUSES = frozenset({str(S.DUE_SOON), str(S.COMPLIANT)})


def summary_for(
    organization_id: int, items: Iterable[EvaluatedItem], *, as_of: datetime.date
) -> dict:
    """Counts, worst status, next deadline and oldest overdue date of one operator's items
    (the same figures compliance.engine.summarize gives per operator)."""
    counts: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = {}
    services: dict[tuple[str, int], str] = {}
    worst = str(S.NOT_APPLICABLE)
    next_deadline: datetime.date | None = None
    next_rule = ""
    oldest: datetime.date | None = None
    takedown = 0
    for i in items:
        counts[i.status] += 1
        if i.status in OPEN_STATUSES and rule_priority(i.rule) == Priority.TAKEDOWN:
            takedown += 1
        by_rule.setdefault(i.rule, Counter())[i.status] += 1
        if _SEVERITY[i.status] > _SEVERITY[worst]:
            worst = i.status
        if i.subject_type in SERVICE_SUBJECTS:
            k = (i.subject_type, i.subject_id)
            if k not in services or _SEVERITY[i.status] >= _SEVERITY[services[k]]:
                services[k] = i.status
        due = i.due_date
        if due is None:
            continue
        if (
            i.status in _NEXT_DEADLINE_STATUSES
            and due >= as_of
            and (next_deadline is None or due < next_deadline)
        ):
            next_deadline, next_rule = due, i.rule
        if i.status == S.OVERDUE and (oldest is None or due < oldest):
            oldest = due
    service_counts = Counter(services.values())
    return {
        "organization_id": organization_id,
        "worst_status": worst,
        "worst_severity": _SEVERITY[worst],
        **{str(s): counts[str(s)] for s in S},
        **{f"services_{s}": service_counts[str(s)] for s in S},
        "next_deadline": next_deadline,
        "next_deadline_rule": next_rule,
        "oldest_overdue": oldest,
        "takedown_risk": takedown,
        "rule_counts": {rule: dict(c) for rule, c in by_rule.items()},
        "evaluated_on": as_of,
    }


def _write_summaries(
    operators: dict[int, int], items: list[EvaluatedItem], *, as_of: datetime.date, now
) -> None:
    by_operator: dict[int, list[EvaluatedItem]] = {pk: [] for pk in operators}
    for item in items:
        by_operator.setdefault(item.operator_id, []).append(item)
    rows = [
        OperatorCompliance(
            operator_id=pk,
            updated_at=now,
            **summary_for(operators[pk], by_operator[pk], as_of=as_of),
        )
        for pk in operators
    ]
    OperatorCompliance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["operator"],
        update_fields=[f.removesuffix("_id") for f in _SUMMARY_FIELDS],
        batch_size=1000,
    )
