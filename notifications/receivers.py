"""Receivers of the signals of the apps below notifications; connected in apps.ready()."""

from __future__ import annotations

from typing import Any

from .tasks import reminder_resync_task


def reminders_resync_on_transition(*, operator_id: int, **_kwargs: Any) -> None:
    """A status change can settle a deadline: re-plan the operator's reminders now rather
    than at the next hourly sweep. Runs after the transition has committed."""
    reminder_resync_task.delay(operator_id)
