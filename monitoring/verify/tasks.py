"""Celery entry points of the MIIT lookups: thin, idempotent, IDs only."""

from __future__ import annotations

import math

from celery import shared_task
from django.db import OperationalError

from . import services

TRANSIENT = (OperationalError,)


@shared_task(
    name=services.LOOKUP_TASK, bind=True, autoretry_for=TRANSIENT, max_retries=3, retry_backoff=30
)
def miit_lookup_task(
    self, service_type: str, service_id: int, requested_by_id: int | None = None
) -> str:
    """One lookup; when the shared rate limit is reached, queued again for when a slot frees
    (a re-queue, not a retry: it never runs out)."""
    outcome = services.lookup_run(
        service_type=service_type, service_id=service_id, requested_by_id=requested_by_id
    )
    if outcome.wait > 0:
        self.apply_async(
            args=(service_type, service_id, requested_by_id), countdown=math.ceil(outcome.wait)
        )
        return "requeued"
    if outcome.skipped:
        return outcome.skipped
    assert outcome.lookup is not None  # noqa: S101
    return outcome.lookup.status


@shared_task(name="monitoring.miit_lookup_sweep", autoretry_for=TRANSIENT, max_retries=3)
def miit_lookup_sweep_task() -> int:
    """Daily: queue lookups of services not looked up within miit_record_check's cadence
    (nothing with the manual backend)."""
    return services.lookup_sweep()
