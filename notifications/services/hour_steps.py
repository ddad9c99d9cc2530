"""Reminder steps by the hour (icp.ladders.current_hour_step) for items with a deadline
instant (`due_at`), and when a missed one escalates: used by the planner (plan.py).
"""

from __future__ import annotations

import datetime

from icp.ladders import Ladder, Step, current_hour_step, current_step

from ..items import DueItem


def step_for(
    item: DueItem,
    *,
    due: datetime.date,
    as_of: datetime.date,
    now: datetime.datetime,
    ladder: Ladder,
) -> Step | None:
    """The item's current step: by the hour before a deadline's instant when its ladder has
    hour offsets (icp.ladders.current_hour_step), else (and once the instant has passed) by
    the day.
    """
    due_at = getattr(item, "due_at", None)
    if ladder.hour_offsets and due_at is not None and now < due_at:
        return current_hour_step(due_at=due_at, now=now, ladder=ladder)
    return current_step(due_date=due, as_of=as_of, ladder=ladder)


def missed_hour(item: DueItem, ladder: Ladder, now: datetime.datetime) -> datetime.datetime | None:
    """A missed deadline of an hour ladder escalates from its instant, not at the day's
    sending hour (a notice missed at 05:00 must not wait for 09:00).
    """
    due_at = getattr(item, "due_at", None)
    if ladder.hour_offsets and due_at is not None and now >= due_at:
        return due_at
    return None
