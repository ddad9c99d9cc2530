"""Celery entry points of the maintained compliance rows: thin, idempotent, IDs only."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.queue import enqueue_on_commit
from miniprograms.models import Operator

from . import tracking
from .store import refresh_operators

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError,)
RECONCILE_BATCH = 500


def _day(as_of: str | None) -> datetime.date:
    return datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()


@shared_task(name="compliance.advance", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=30)
def advance_task(as_of: str | None = None) -> dict:
    """Every 15 minutes: rows whose next change (day or instant) has come, and operators
    never evaluated; the bound on how late an hour window turns overdue in the rows."""
    result = tracking.advance(as_of=_day(as_of))
    return {"operators": result.operators, "updated": result.updated, "closed": result.closed}


@shared_task(name=tracking.RECONCILE_TASK, autoretry_for=TRANSIENT, max_retries=3, retry_backoff=60)
def reconcile_task(as_of: str | None = None) -> int:
    """Nightly: every operator re-evaluated, one task per batch (bounded time and memory)."""
    ids = list(Operator.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[i : i + RECONCILE_BATCH] for i in range(0, len(ids), RECONCILE_BATCH)]
    for batch in batches:
        enqueue_on_commit("compliance.refresh", batch, as_of=as_of, report=True)
    tracking.purge_closed()
    return len(batches)


@shared_task(name="compliance.refresh", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=30)
def refresh_task(operator_ids: list[int], as_of: str | None = None, report: bool = False) -> int:
    result = refresh_operators(operator_ids, as_of=_day(as_of))
    if report and result.drift:
        logger.warning(
            "compliance reconcile fixed %d drifted item(s), e.g. %s",
            len(result.drift),
            result.drift[:10],
        )
    return len(result.drift)
