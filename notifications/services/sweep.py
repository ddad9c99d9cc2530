"""The whole sweep in one process, no broker: what `run_compliance_sweep` runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .pipeline import DeliveryResult, delivery_send, reminder_dispatch, reminder_send
from .plan import PlanResult, sweep_plan


@dataclass
class InlineEnqueue:
    """An enqueuer that records the ids instead of queueing tasks."""

    reminder_ids: list[int] = field(default_factory=list)
    delivery_ids: list[int] = field(default_factory=list)

    def send(self, reminder_ids: list[int]) -> None:
        """Record the reminders to send."""
        self.reminder_ids.extend(reminder_ids)

    def deliver(self, delivery_ids: list[int]) -> None:
        """Record the deliveries to make."""
        self.delivery_ids.extend(delivery_ids)


@dataclass
class SweepReport:
    """What one inline sweep planned and sent."""

    plan: PlanResult
    sends: dict[int, str] = field(default_factory=dict)  # reminder id -> outcome
    deliveries: dict[int, DeliveryResult] = field(default_factory=dict)


def sweep_now_for(as_of: datetime.date) -> datetime.datetime:
    """The clock of a sweep "as of" a day: now for today, else the end of that day."""
    if as_of == timezone.localdate():
        return timezone.now()
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(as_of, datetime.time(23, 59, 59), tzinfo=tz)


def sweep_run_inline(*, as_of: datetime.date, now: datetime.datetime | None = None) -> SweepReport:
    """Plan, dispatch, send and deliver synchronously; the same services as the tasks, so
    running it any number of times sends each reminder once.
    """
    now = now or sweep_now_for(as_of)
    report = SweepReport(plan=sweep_plan(as_of=as_of, now=now))
    queue = InlineEnqueue()
    while True:
        claimed = reminder_dispatch(enqueue=queue, now=now)
        for rid in queue.reminder_ids:
            report.sends[rid] = reminder_send(reminder_id=rid, enqueue=queue, now=now)
        for did in queue.delivery_ids:
            report.deliveries[did] = delivery_send(delivery_id=did, now=now)
        queue = InlineEnqueue()
        if not claimed.full:
            return report
