"""Celery entry points: thin, idempotent wrappers that take ids (HackSoft, Sentry)."""

from typing import TypedDict

from celery import shared_task

from . import recovery, services

SWEEP_TASK = "imports.sweep"


class TaskOptions(TypedDict):
    """The keyword arguments every task here passes to shared_task."""

    acks_late: bool
    reject_on_worker_lost: bool
    soft_time_limit: int
    time_limit: int


# Longer limits than the default 4/5 minutes: a 50,000-row import can take that long on a
# busy worker. Still below the broker's visibility_timeout (1 h).
OPTIONS: TaskOptions = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 20 * 60,
    "time_limit": 21 * 60,
}


@shared_task(name=services.PREVIEW_TASK, **OPTIONS)
def import_preview_task(run_id: int) -> None:
    """Validate an uploaded file; only a PENDING run is claimed, so a redelivery is a no-op."""
    services.import_run_preview(run_id=run_id)


@shared_task(name=services.COMMIT_TASK, **OPTIONS)
def import_commit_task(run_id: int) -> None:
    """Import a validated file; only a QUEUED run is claimed, so a redelivery is a no-op."""
    services.import_run_commit(run_id=run_id)


@shared_task(name=SWEEP_TASK, acks_late=True)
def import_sweep_task() -> None:
    """Queue again the runs the broker never delivered (every 5 minutes, from beat)."""
    recovery.import_run_requeue_stale()


# The names these tasks had while imports lived in reports/: messages queued before a
# deployment still carry them, so a worker must still know them.
@shared_task(name="reports.import_preview", **OPTIONS)
def legacy_import_preview_task(run_id: int) -> None:
    """Alias of imports.preview for messages queued under its former name."""
    services.import_run_preview(run_id=run_id)


@shared_task(name="reports.import_commit", **OPTIONS)
def legacy_import_commit_task(run_id: int) -> None:
    """Alias of imports.commit for messages queued under its former name."""
    services.import_run_commit(run_id=run_id)
