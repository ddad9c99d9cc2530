"""Filing histories for the synthetic portfolio, as plain data (no database).

A story is what happened to one service: the applications made for it, each with its status
history (FilingStatusChange rows to write). Every path follows `icp.workflow.allowed_targets`
(PROVIDER_REVIEW goes through SMS verification to the authority; rejections go back to review;
nothing is withdrawn at the authority). Times are aware Beijing datetimes, all before the start
of `anchor` (the day the portfolio is "as of", today by default), so that the in-flight stages
give due-soon, overdue and compliant SLA items on that day.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from icp.channels import FilingChannel
from icp.workflow import FilingKind, FilingStatus

BEIJING = ZoneInfo("Asia/Shanghai")
S = FilingStatus
K = FilingKind
EPOCH = datetime.date(2023, 1, 1)  # the portfolio's history starts here
HORIZON = datetime.date(2027, 12, 31)  # and its future dates end here
CLOUDS = (
    FilingChannel.ALIBABA_CLOUD,
    FilingChannel.TENCENT_CLOUD,
    FilingChannel.HUAWEI_CLOUD,
    FilingChannel.BAIDU_CLOUD,
)
# In-flight stages (the operator's single slot), with their weights.
IN_FLIGHT_STAGES = (
    (S.PROVIDER_REVIEW, 25),
    (S.PROVIDER_REJECTED, 10),
    (S.SMS_VERIFICATION, 10),
    (S.AUTHORITY_REVIEW, 45),
    (S.AUTHORITY_REJECTED, 10),
)


@dataclass
class Filing:
    kind: str
    channel: str
    created: datetime.datetime
    steps: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    planned_for: datetime.date | None = None

    @property
    def status(self) -> str:
        return self.steps[-1][0] if self.steps else S.DRAFT

    @property
    def entered(self) -> datetime.datetime:
        return self.steps[-1][1] if self.steps else self.created

    @property
    def approved_at(self) -> datetime.datetime | None:
        return self.entered if self.status == S.APPROVED else None


class Clock:
    """Random times and dates around the anchor day."""

    def __init__(self, rng: random.Random, anchor: datetime.date) -> None:
        self.rng = rng
        self.anchor = anchor
        self.start_of_anchor = datetime.datetime.combine(anchor, datetime.time(), tzinfo=BEIJING)

    def date_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        span = max((last - first).days, 0)
        return first + datetime.timedelta(days=self.rng.randint(0, span))

    def at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours time on `day`."""
        minutes = self.rng.randint(9 * 60, 18 * 60)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=BEIJING) + datetime.timedelta(
            minutes=minutes
        )

    def later(self, t: datetime.datetime, low: float, high: float) -> datetime.datetime:
        """`t` plus between `low` and `high` days."""
        return t + datetime.timedelta(hours=self.rng.uniform(low * 24, high * 24))

    def days_before_anchor(self, low: float, high: float) -> datetime.datetime:
        return self.start_of_anchor - datetime.timedelta(
            hours=self.rng.uniform(low * 24, high * 24)
        )

    def expiry(self, warn_days: int) -> datetime.date:
        """15 % expired, 15 % within the warning window, the rest valid until 2027."""
        r = self.rng.random()
        if r < 0.15:
            return self.date_between(
                max(EPOCH, self.anchor - datetime.timedelta(days=700)),
                self.anchor - datetime.timedelta(days=1),
            )
        if r < 0.30:
            return self.date_between(self.anchor, self.anchor + datetime.timedelta(days=warn_days))
        first = self.anchor + datetime.timedelta(days=warn_days + 1)
        return self.date_between(first, max(HORIZON, first + datetime.timedelta(days=365)))


class Stories:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.rng = clock.rng

    def _through_review(self, f: Filing, t: datetime.datetime) -> datetime.datetime:
        """PROVIDER_REVIEW → SMS → AUTHORITY_REVIEW from `t`, maybe with one rejection."""
        c = self.clock
        t = c.later(t, 0.5, 10)
        f.steps.append((S.PROVIDER_REVIEW, t))
        if self.rng.random() < 0.1:
            t = c.later(t, 1, 4)
            f.steps.append((S.PROVIDER_REJECTED, t))
            t = c.later(t, 1, 10)
            f.steps.append((S.PROVIDER_REVIEW, t))
        t = c.later(t, 0.5, 3)
        f.steps.append((S.SMS_VERIFICATION, t))
        t = c.later(t, 0.05, 1)
        f.steps.append((S.AUTHORITY_REVIEW, t))
        if self.rng.random() < 0.1:
            t = c.later(t, 3, 20)
            f.steps.append((S.AUTHORITY_REJECTED, t))
            t = c.later(t, 1, 15)
            f.steps.append((S.PROVIDER_REVIEW, t))
            t = c.later(t, 0.5, 3)
            f.steps.append((S.SMS_VERIFICATION, t))
            t = c.later(t, 0.05, 1)
            f.steps.append((S.AUTHORITY_REVIEW, t))
        return t

    def approved(self, kind: str, channel: str, start: datetime.datetime) -> Filing:
        f = Filing(kind, channel, start)
        t = self._through_review(f, start)
        f.steps.append((S.APPROVED, self.clock.later(t, 2, 25)))
        return f

    def withdrawn(self, kind: str, channel: str, start: datetime.datetime) -> Filing:
        f = Filing(kind, channel, start)
        t = start
        if self.rng.random() < 0.5:
            t = self.clock.later(t, 0.5, 10)
            f.steps.append((S.PROVIDER_REVIEW, t))
        f.steps.append((S.WITHDRAWN, self.clock.later(t, 1, 20)))
        return f

    def in_flight(self, kind: str, channel: str) -> Filing:
        """An application sitting in one of the in-flight stages on the anchor day."""
        c = self.clock
        stage = self.rng.choices(
            [s for s, _ in IN_FLIGHT_STAGES], [w for _, w in IN_FLIGHT_STAGES]
        )[0]
        if stage == S.SMS_VERIFICATION:
            entered = c.days_before_anchor(0.05, 3)
        elif stage == S.PROVIDER_REVIEW:
            entered = c.days_before_anchor(0.05, 6)
        else:  # authority review: 20 working days, so up to about 6 weeks to reach overdue
            entered = c.days_before_anchor(0.05, 45)
        path = {
            S.PROVIDER_REVIEW: [S.PROVIDER_REVIEW],
            S.PROVIDER_REJECTED: [S.PROVIDER_REVIEW, S.PROVIDER_REJECTED],
            S.SMS_VERIFICATION: [S.PROVIDER_REVIEW, S.SMS_VERIFICATION],
            S.AUTHORITY_REVIEW: [S.PROVIDER_REVIEW, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW],
            S.AUTHORITY_REJECTED: [
                S.PROVIDER_REVIEW,
                S.SMS_VERIFICATION,
                S.AUTHORITY_REVIEW,
                S.AUTHORITY_REJECTED,
            ],
        }[stage]
        times = [entered]
        for _ in path[:-1]:
            times.append(times[-1] - datetime.timedelta(hours=self.rng.uniform(2, 5 * 24)))
        times.reverse()
        created = times[0] - datetime.timedelta(days=self.rng.uniform(0.5, 10))
        return Filing(kind, channel, created, list(zip(path, times, strict=True)))

    def change(self, channel: str, after: datetime.datetime) -> Filing:
        """A change filing with its planned date: approved, still a draft, or withdrawn."""
        c = self.clock
        r = self.rng.random()
        latest = c.start_of_anchor - datetime.timedelta(days=100)  # settled by the anchor
        if r < 0.55 and after < latest:
            start = c.at(c.date_between(after.date(), latest.date()))
            f = self.approved(K.CHANGE, channel, start)
            # Submitted 10–60 days ahead of the change: some are late (the rule asks for 30).
            submitted = f.steps[0][1]
            f.planned_for = (submitted + datetime.timedelta(days=self.rng.randint(10, 60))).date()
            return f
        if r < 0.80:
            f = Filing(K.CHANGE, channel, c.days_before_anchor(0, 40))
            f.planned_for = c.anchor + datetime.timedelta(days=self.rng.randint(-20, 100))
            return f
        f = self.withdrawn(K.CHANGE, channel, c.days_before_anchor(20, 200))
        f.planned_for = f.created.date() + datetime.timedelta(days=self.rng.randint(20, 90))
        return f

    def in_flight_change(self, channel: str) -> Filing:
        f = self.in_flight(K.CHANGE, channel)
        f.planned_for = self.clock.anchor + datetime.timedelta(days=self.rng.randint(-10, 60))
        return f

    def history_start(self) -> datetime.datetime:
        """When a settled story begins: early enough to be settled by the anchor day."""
        c = self.clock
        return c.at(c.date_between(EPOCH, c.anchor - datetime.timedelta(days=120)))
