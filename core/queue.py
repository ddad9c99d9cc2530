"""The one seam through which services queue background work: after the commit, never before.

Services name the task by its registered Celery name ("imports.preview"), so they never
import their app's `tasks` module, which imports them: no services ↔ tasks circle. A task
module declares its name from a constant of its services module, so the two cannot drift.
Tasks that re-queue themselves may pass the task object instead of its name.

The task is looked up when the work is queued, so a misspelt name fails in the service
(and its test), not silently after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


class QueueTask(Protocol):
    """What the seam needs of a task: Celery's `delay` and `name`."""

    name: str

    def delay(self, *args: Any, **kwargs: Any) -> Any: ...


class UnknownTaskError(LookupError):
    """No Celery task is registered under this name."""


def task_for(task: QueueTask | str) -> QueueTask:
    """The task object for a registered name (or the task itself)."""
    if not isinstance(task, str):
        return task
    app = current_app
    if task not in app.tasks:
        # In a web process the `<app>.tasks` modules are only imported on demand.
        app.loader.import_default_modules()
    try:
        return app.tasks[task]
    except KeyError:
        raise UnknownTaskError(task) from None


def enqueue_on_commit(task: QueueTask | str, *args: Any, **kwargs: Any) -> None:
    """`task.delay(*args, **kwargs)` once the current transaction commits; nothing on rollback.

    Outside a transaction (autocommit) the task is queued at once, as Django runs
    `on_commit` callbacks immediately there.
    """
    resolved = task_for(task)
    transaction.on_commit(lambda: resolved.delay(*args, **kwargs))


def enqueue_many_on_commit(
    task: QueueTask | str,
    ids: Sequence[int],
    *,
    on_failure: Callable[[list[int]], None] | None = None,
) -> None:
    """`task.delay(pk)` for each id after the commit.

    Should the broker fail part-way, the ids not published are handed to `on_failure` at
    once (to put their rows back where the next sweep finds them) instead of raising in the
    caller, whose transaction has already committed.
    """
    resolved = task_for(task)
    pending = list(ids)

    def publish() -> None:
        for i, pk in enumerate(pending):
            try:
                resolved.delay(pk)
            except Exception:
                logger.warning(
                    "broker unavailable: %d %s not enqueued", len(pending) - i, resolved.name
                )
                if on_failure is not None:
                    on_failure(pending[i:])
                return

    transaction.on_commit(publish)
