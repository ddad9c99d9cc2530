"""Celery tasks: thin, idempotent wrappers (a repeated message is a skipped or empty run)."""

from __future__ import annotations

from celery import shared_task

from .models import SyncRun


@shared_task(name="connectors.sweep", ignore_result=True)
def sweep_task() -> int:
    """Queue a sync of every account whose time has come (bounded, jittered), and pushes
    accepted but never acted on."""
    from .pushes import stale_push_ids
    from .sync import schedule_due

    queued = schedule_due()
    for account_id in queued:
        sync_task.delay(account_id=account_id, trigger="schedule")
    # Pushes whose message was lost (a broker outage, a failure while acting on it) again.
    for push_id in stale_push_ids():
        push_task.delay(push_id)
    return len(queued)


@shared_task(name="connectors.sync", ignore_result=True)
def sync_task(
    account_id: int,
    trigger: str = "schedule",
    only: str = "",
    resume_run_id: int | None = None,
    attempt: int = 0,
) -> int:
    """Sync one account (all of it, or `only` one object); the run's id."""
    from .sync import run_sync

    resume = None
    if resume_run_id is not None:
        resume = SyncRun.objects.filter(pk=resume_run_id, account_id=account_id).first()
        if resume is None:
            return 0
        if SyncRun.objects.filter(resumed_from=resume).exists():
            return 0  # resumed already (the message came twice)
    return run_sync(account_id, trigger=trigger, only=only, resume=resume, attempt=attempt).pk


@shared_task(name="connectors.push", ignore_result=True)
def push_task(push_id: int) -> bool:
    """Act on one accepted push once (`processed_at` marks it done)."""
    from .pushes import process_push

    return process_push(push_id)


# Celery discovers `<app>.tasks` only: the WeChat kind's own task registers through here.
from .wechat.tasks import face_tasks_tick_task  # noqa: E402, F401
