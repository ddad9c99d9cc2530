"""Celery entry points of the display checker: thin, idempotent, IDs only."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import services

TRANSIENT = (OperationalError,)


@shared_task(
    name="monitoring.display_sweep", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=60
)
def display_sweep_task() -> int:
    """Hourly: queue checks of the sites due per their organization's cadence, in batches."""
    return len(services.display_sweep())


@shared_task(
    name=services.BATCH_TASK,
    autoretry_for=TRANSIENT,
    max_retries=3,
    retry_backoff=30,
    acks_late=True,
    reject_on_worker_lost=True,
)
def display_check_batch_task(check_ids: list[int]) -> int:
    """A batch of queued checks, fetched concurrently (DISPLAY_CHECK_CONCURRENCY)."""
    return services.display_checks_run(check_ids)


@shared_task(
    name=services.CHECK_TASK,
    autoretry_for=TRANSIENT,
    max_retries=3,
    retry_backoff=30,
    acks_late=True,
    reject_on_worker_lost=True,
)
def display_check_task(check_id: int) -> int:
    """One queued check ("Check now")."""
    return services.display_checks_run([check_id])
