"""Runs that recover: background work recorded as a row with a status survives a broker that
was down when it was queued, and a worker that died while it ran.

A request queues the row's task after the commit; should the broker refuse, the row simply
stays in its waiting state (the request still answers). A periodic sweep re-queues rows left
waiting longer than a grace period. The task claims its row with a conditional update
(`filter(pk=…, status=…).update(…)`), so a message delivered twice builds the row once.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from .queue import QueueTask, enqueue_many_on_commit

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200


def enqueue_run_on_commit(task: QueueTask | str, pk: int) -> None:
    """`task.delay(pk)` after the commit. A broker failure is logged, never raised: the row
    stays where `runs_requeue_stale` finds it."""
    enqueue_many_on_commit(task, [pk])


def runs_requeue_stale(
    *,
    model: type[models.Model],
    statuses: Iterable[str],
    older_than: datetime.timedelta,
    task: QueueTask | str,
    reset_to: str | None = None,
    batch: int = SWEEP_BATCH,
) -> list[int]:
    """Re-queue `task(pk)` for rows of `model` in `statuses` not touched for `older_than`.

    The rows' `updated_at` is set to now, so the next sweep gives the re-queued message the
    same grace period; with `reset_to`, their status too (a run whose worker died goes back
    to waiting, where the task's claim takes it). Locked rows (a worker claiming them right
    now) are skipped. Returns the ids re-queued (at most `batch`; the next sweep takes the
    rest).
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            model._default_manager.select_for_update(skip_locked=True)
            .filter(status__in=list(statuses), updated_at__lt=now - older_than)
            .order_by("updated_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            changes: dict[str, object] = {"updated_at": now}
            if reset_to is not None:
                changes["status"] = reset_to
            model._default_manager.filter(pk__in=ids).update(**changes)
            enqueue_many_on_commit(task, ids)
    if ids:
        logger.info("re-queued %d %s rows: %s", len(ids), model._meta.label, ids)
    return ids
