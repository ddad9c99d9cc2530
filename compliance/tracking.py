"""Keeping the compliance rows current: what changed, and when to re-evaluate it.

Three ways, all idempotent (compliance.store.refresh_operators is):

1. **Changes.** A saved or deleted subject (operator, service, domain, person, licence,
   pre-approval, document, application or its status history — compliance.receivers) marks its
   operator; bulk writes (imports) call ``operators_changed`` themselves. The marked operators
   are re-evaluated when the transaction commits (``on_commit``; at once outside a
   transaction), and before any read of the rows in the same thread (``flush``), so a page
   rendered in the request that made the change already shows it. A change to the rules or the
   calendar marks every operator: inline for a small register, else a background reconcile.
2. **The clock.** ``advance`` re-evaluates only operators with a row whose stored
   ``changes_on`` day or ``changes_at`` instant has come (and operators never evaluated) —
   the periodic task, every 15 minutes: a window measured in hours turns overdue in the rows
   at most one period (plus the task's run time) after its hour. Pages do not wait for it:
   ``compliance.selectors.overdue_q`` counts such a row as overdue from its ``due_at``.
3. **Reconcile.** ``reconcile`` re-evaluates everything in batches and reports the drift it
   had to fix (there should be none) — the nightly task.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue_on_commit
from miniprograms.models import Operator

from .models import ComplianceItem
from .store import RefreshResult, refresh_operators

logger = logging.getLogger(__name__)

RECONCILE_TASK = "compliance.reconcile"


class _Pending(threading.local):
    def __init__(self) -> None:
        self.operators: set[int] = set()
        self.everything = False
        self.deferred = 0


_pending = _Pending()


def inline_limit() -> int:
    """Up to this many operators, a change of the rules re-evaluates inline."""
    return int(settings.COMPLIANCE_INLINE_OPERATORS)


def operators_changed(operator_ids: Iterable[int | None]) -> None:
    """Mark operators whose subjects changed; re-evaluated on commit (or at once)."""
    ids = {pk for pk in operator_ids if pk is not None}
    if not ids:
        return
    _pending.operators |= ids
    _schedule()


def everything_changed() -> None:
    """The rules or the calendar changed: every operator's items may have."""
    _pending.everything = True
    _schedule()


def _schedule() -> None:
    if _pending.deferred:
        return
    # At once outside a transaction. robust: a failed refresh is logged, never undoes or
    # fails the change that was committed (the nightly reconcile repairs the rows).
    transaction.on_commit(flush, robust=True)


@contextmanager
def deferred() -> Iterator[None]:
    """Collect marks inside the block and re-evaluate them once at its end (seeding, bulk
    writes that still go through model saves)."""
    _pending.deferred += 1
    try:
        yield
    finally:
        _pending.deferred -= 1
    if not _pending.deferred:
        flush()


def flush() -> RefreshResult:
    """Re-evaluate what is marked (safe to call any time; nothing marked, nothing done)."""
    result = RefreshResult()
    if _pending.deferred:
        return result
    if _pending.everything:
        _pending.everything = False
        _pending.operators.clear()
        if Operator.objects.count() <= inline_limit():
            return reconcile(report=False)
        enqueue_on_commit(RECONCILE_TASK)
        return result
    while _pending.operators:
        ids, _pending.operators = _pending.operators, set()
        result.add(refresh_operators(ids))
    return result


def discard_pending() -> None:
    """Forget marks (a test's rolled-back transaction)."""
    _pending.operators.clear()
    _pending.everything = False
    _pending.deferred = 0


def advance(
    *,
    as_of: datetime.date | None = None,
    now: datetime.datetime | None = None,
    batch: int = 500,
) -> RefreshResult:
    """Re-evaluate the operators whose items the clock has changed since they were stored
    (a ``changes_on`` day or ``changes_at`` instant that has come), and operators never
    evaluated. Touches nothing else."""
    now = now or timezone.now()
    as_of = as_of or timezone.localdate(now)
    due = set(
        ComplianceItem.objects.filter(
            Q(changes_on__lte=as_of) | Q(changes_at__lte=now), closed_at__isnull=True
        )
        .values_list("operator_id", flat=True)
        .distinct()
    )
    due |= set(
        Operator.objects.filter(
            Q(compliance__isnull=True) | Q(compliance__rule_counts__isnull=True)
        ).values_list("pk", flat=True)
    )
    result = RefreshResult()
    ids = sorted(due)
    for start in range(0, len(ids), batch):
        result.add(refresh_operators(ids[start : start + batch], as_of=as_of, now=now))
    return result


def reconcile(*, as_of: datetime.date | None = None, batch: int = 500, report: bool = True):
    """Re-evaluate every operator in batches; log (and return) the drift it had to fix."""
    as_of = as_of or timezone.localdate()
    result = RefreshResult()
    ids = list(Operator.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        result.add(refresh_operators(ids[start : start + batch], as_of=as_of))
    if report and result.drift:
        logger.warning(
            "compliance reconcile fixed %d drifted item(s), e.g. %s",
            len(result.drift),
            result.drift[:10],
        )
    return result


def purge_closed(*, now: datetime.datetime | None = None) -> int:
    """Delete items closed longer ago than COMPLIANCE_CLOSED_RETENTION_DAYS (with history)."""
    now = now or timezone.now()
    days = int(settings.COMPLIANCE_CLOSED_RETENTION_DAYS)
    cutoff = now - datetime.timedelta(days=days)
    deleted, _ = ComplianceItem.objects.filter(closed_at__lt=cutoff).delete()
    return deleted
