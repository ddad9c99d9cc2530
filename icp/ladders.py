"""Reminder-ladder arithmetic: which step is current for a deadline on a given day. No database.

Steps are chosen by date RANGE: the current step is the latest one whose date is on or before
`as_of`. A missed run therefore catches up on the next one (CISO's `due_date == target` loses
the reminder), and a long outage yields one reminder, not a burst of every missed step.
The configured ladders are rows of `notifications.models.ReminderLadder`; any object with the
attributes of :class:`LadderRow` will do here.

A deadline with an hour (a provider notice, an SMS window) may be reminded by the hour
instead: `hour_offsets` are hours before that instant (`hours:24` … `hours:1`), chosen by
range the same way (:func:`current_hour_step`). Once the instant has passed, the day steps
(`overdue:N`) and the escalation take over.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "DEFAULT_LADDER",
    "DEFAULT_OFFSETS",
    "DEFAULT_ROLES",
    "ESCALATION_STEP",
    "Ladder",
    "LadderRow",
    "Step",
    "current_hour_step",
    "current_step",
    "ladder_resolve",
]

#: Days before the deadline on which a reminder is due, latest first.
DEFAULT_OFFSETS: tuple[int, ...] = (30, 14, 7, 3, 1, 0)
#: Membership roles that receive reminders unless a ladder says otherwise.
DEFAULT_ROLES: tuple[str, ...] = ("manager", "editor", "client")

ESCALATION_STEP = "escalation"


class LadderRow(Protocol):
    """A configured ladder as stored: per organization (None: all) and rule ("": all)."""

    @property
    def organization_id(self) -> int | None: ...
    @property
    def rule(self) -> str: ...
    @property
    def offsets(self) -> Sequence[int]: ...
    @property
    def overdue_every_days(self) -> int: ...
    @property
    def escalate_when_overdue(self) -> bool: ...
    @property
    def escalate_unacknowledged_after_days(self) -> int | None: ...
    @property
    def roles(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Ladder:
    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    overdue_every_days: int = 7
    escalate_when_overdue: bool = True
    escalate_unacknowledged_after_days: int | None = 3
    roles: tuple[str, ...] = DEFAULT_ROLES
    #: Hours before a deadline's instant on which a reminder is due, latest first ((): none).
    hour_offsets: tuple[int, ...] = ()

    @classmethod
    def from_row(cls, row: LadderRow) -> Ladder:
        # Optional on a row (older rows and plain objects have none): no hour steps then.
        hours: Sequence[int] = getattr(row, "hour_offsets", None) or ()
        return cls(
            offsets=tuple(sorted({int(o) for o in row.offsets if int(o) >= 0}, reverse=True)),
            overdue_every_days=row.overdue_every_days,
            escalate_when_overdue=row.escalate_when_overdue,
            escalate_unacknowledged_after_days=row.escalate_unacknowledged_after_days,
            roles=tuple(row.roles),
            hour_offsets=tuple(sorted({int(h) for h in hours if int(h) > 0}, reverse=True)),
        )


DEFAULT_LADDER = Ladder()


@dataclass(frozen=True, slots=True)
class Step:
    step: str
    send_on: datetime.date
    #: The instant of an hour step (None: a day step, sent at the day's sending hour).
    send_at: datetime.datetime | None = None


def current_step(*, due_date: datetime.date, as_of: datetime.date, ladder: Ladder) -> Step | None:
    """The latest step on or before `as_of`, or None when the first step is still ahead."""
    every = ladder.overdue_every_days
    candidates = [
        Step(f"before:{o}", due_date - datetime.timedelta(days=o))
        for o in ladder.offsets
        if due_date - datetime.timedelta(days=o) <= as_of
    ]
    if every and as_of > due_date:
        n = (as_of - due_date).days // every
        if n >= 1:
            candidates.append(Step(f"overdue:{n}", due_date + datetime.timedelta(days=every * n)))
    return max(candidates, key=lambda s: s.send_on, default=None)


def current_hour_step(
    *, due_at: datetime.datetime, now: datetime.datetime, ladder: Ladder
) -> Step | None:
    """The latest hour step at or before `now`, while `now` is before `due_at`.

    None when the ladder has no hour offsets, the first one is still ahead, or the instant
    has passed (the day steps and the escalation answer then). Both instants must be aware.
    """
    if due_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("due_at and now must be aware datetimes")
    if not ladder.hour_offsets or now >= due_at:
        return None
    candidates = [
        (due_at - datetime.timedelta(hours=h), h)
        for h in ladder.hour_offsets
        if due_at - datetime.timedelta(hours=h) <= now
    ]
    if not candidates:
        return None
    send_at, hours = max(candidates)
    return Step(f"hours:{hours}", send_at.date(), send_at)


def ladder_resolve(rows: Iterable[LadderRow], *, organization_id: int, rule: str) -> Ladder:
    """Most specific configured ladder: (org, rule) > (org, *) > (*, rule) > (*, *) > default."""
    by_key = {(r.organization_id, r.rule): r for r in rows}
    for key in ((organization_id, rule), (organization_id, ""), (None, rule), (None, "")):
        if key in by_key:
            return Ladder.from_row(by_key[key])
    return DEFAULT_LADDER
