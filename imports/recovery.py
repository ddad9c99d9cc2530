"""Runs the broker never delivered: queued again by the imports.sweep task (every 5 minutes).

When Redis is down the upload still succeeds (the run is stored PENDING, the request answers
202) but no preview task exists. The sweep finds runs still PENDING or QUEUED some minutes
after their last change and queues their task again. Idempotent: the tasks claim a run with
a conditional UPDATE, so a run queued twice is still worked on once.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from . import services
from .models import ImportRun, ImportStatus
from .services import COMMIT_TASK, PREVIEW_TASK

logger = logging.getLogger(__name__)
BATCH = 200
# The task that moves a run on from each waiting status.
WAITING = {ImportStatus.PENDING: PREVIEW_TASK, ImportStatus.QUEUED: COMMIT_TASK}
# A run claimed by a worker that died (killed, machine lost) stays in its working status: a
# redelivered task finds it no longer waiting. Past the tasks' hard time limit (21 minutes,
# tasks.OPTIONS) it is surely dead; its work was one transaction, rolled back, so the run
# goes back to waiting and is queued again.
STUCK_AFTER = datetime.timedelta(minutes=30)
WORKING = {
    ImportStatus.VALIDATING: ImportStatus.PENDING,
    ImportStatus.COMMITTING: ImportStatus.QUEUED,
}


def import_run_requeue_stale(*, now: datetime.datetime | None = None) -> dict[str, list[int]]:
    """Queue again the runs waiting longer than IMPORTS_REQUEUE_AFTER_MINUTES, and those
    whose worker died (STUCK_AFTER); {task: ids}.

    Their `updated_at` is moved to now, so the next sweep waits as long again before
    queueing the same run (a busy worker is not flooded with duplicates).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=int(settings.IMPORTS_REQUEUE_AFTER_MINUTES))
    for working, waiting in WORKING.items():
        revived = ImportRun.objects.filter(status=working, updated_at__lt=now - STUCK_AFTER).update(
            status=waiting, progress=0, updated_at=cutoff - datetime.timedelta(seconds=1)
        )
        if revived:
            logger.warning("%d import runs stuck in %s: queued again", revived, working)
    queued: dict[str, list[int]] = {}
    for status, task in WAITING.items():
        ids = list(
            ImportRun.objects.filter(status=status, updated_at__lt=cutoff)
            .exclude(file="")
            .order_by("updated_at", "pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            continue
        ImportRun.objects.filter(pk__in=ids, status=status).update(updated_at=now)
        logger.info("re-queueing %d import runs (%s)", len(ids), task)
        services.enqueue(task, ids)
        queued[task] = ids
    return queued
