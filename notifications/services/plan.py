"""Plan: the current ladder step of every due item, and cancelling what no longer applies.

The first step of plan -> dispatch -> send -> deliver (style.md §6); safe to run twice.
Today's sweep reads the maintained compliance rows (compliance.rows); a sweep "as of" another
date evaluates the engine. Both go by batches of operators, so memory and the number of
queries per batch stay flat whatever the size of the portfolio; ladders, acknowledgements and
existing reminders are read once per batch, never per reminder.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance import rows
from compliance.calendar import get_workday_calendar
from compliance.engine import compliance_items
from compliance.messages import render_message
from compliance.selectors import is_today
from compliance.types import OPEN_STATUSES, ComplianceStatus
from icp.ladders import ESCALATION_STEP, Ladder, ladder_resolve
from miniprograms.models import Operator

from .. import conf
from ..items import DueItem
from ..models import (
    Delivery,
    DeliveryStatus,
    Reminder,
    ReminderKind,
    ReminderLadder,
    ReminderStatus,
)
from .hour_steps import missed_hour, step_for

logger = logging.getLogger(__name__)

RELEVANT_STATUSES = OPEN_STATUSES  # due soon or overdue: a reminder is owed
OPEN = (ReminderStatus.PENDING, ReminderStatus.QUEUED)

ItemKey = tuple[str, int, str, datetime.date]  # subject_type, subject_id, rule, due_date


def _key(obj) -> ItemKey:
    return (obj.subject_type, obj.subject_id, obj.rule, obj.due_date)


def _due_at(day: datetime.date) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(conf.send_hour()), tzinfo=tz)


def _ladders_for(org_ids: Iterable[int]) -> list[ReminderLadder]:
    return list(
        ReminderLadder.objects.filter(Q(organization_id__in=set(org_ids)) | Q(organization=None))
    )


def ladder_for(reminder: Reminder) -> Ladder:
    """The ladder that applies to `reminder` (its organization's, else the default)."""
    return ladders_for([reminder.organization_id])(reminder)


def ladders_for(org_ids: Iterable[int]) -> Callable[[Reminder], Ladder]:
    """One query for the ladders of these organizations; then the ladder of any of their
    reminders, from memory.
    """
    configured = _ladders_for(org_ids)

    def resolve(reminder: Reminder) -> Ladder:
        return ladder_resolve(
            configured, organization_id=reminder.organization_id, rule=reminder.rule
        )

    return resolve


# --- plan -------------------------------------------------------------------------------------


@dataclass
class PlanResult:
    """What one planning run wants, created and cancelled."""

    wanted: list[Reminder] = field(default_factory=list)  # the current step of every due item
    created: int = 0
    cancelled: int = 0
    planned: int = 0  # current steps (len(wanted) of every batch, also once wanted is dropped)

    def add(self, other: PlanResult, *, keep_wanted: bool = False) -> None:
        """Add the counts of a batch (and its wanted reminders when asked)."""
        self.created += other.created
        self.cancelled += other.cancelled
        self.planned += other.planned
        if keep_wanted:
            self.wanted.extend(other.wanted)


def _ack_state(operator_ids: set[int]) -> tuple[set[ItemKey], dict[ItemKey, datetime.datetime]]:
    """Deadlines acknowledged by someone, and when the first reminder of each was sent."""
    acked: set[ItemKey] = set()
    first_sent: dict[ItemKey, datetime.datetime] = {}
    sent = Reminder.objects.filter(
        operator_id__in=operator_ids, status=ReminderStatus.SENT, kind=ReminderKind.REMINDER
    ).values_list("subject_type", "subject_id", "rule", "due_date", "sent_at", "acknowledged_at")
    for st, sid, rule, due, sent_at, acked_at in sent:
        k = (st, sid, rule, due)
        if acked_at:
            acked.add(k)
        if sent_at and (k not in first_sent or sent_at < first_sent[k]):
            first_sent[k] = sent_at
    return acked, first_sent


def _new_reminder(
    item: DueItem,
    *,
    due_date: datetime.date,
    step: str,
    send_on: datetime.date,
    kind: str,
    send_at: datetime.datetime | None = None,
) -> Reminder:
    return Reminder(
        organization_id=item.organization_id,
        operator_id=item.operator_id,
        subject_type=item.subject_type,
        subject_id=item.subject_id,
        subject_name=item.subject_name[:255],
        rule=item.rule,
        due_date=due_date,
        step=step,
        kind=kind,
        item_status=item.status,
        note=item.note,  # `message` is rendered once the reminder is known to be new
        due_at=send_at or _due_at(send_on),
    )


def _wanted_steps(
    relevant: dict[ItemKey, DueItem], *, as_of: datetime.date, now: datetime.datetime
) -> list[Reminder]:
    """The current step (and escalation) of each item; ladders and acknowledgements are read
    once for all of them.
    """
    ladders = _ladders_for(i.organization_id for i in relevant.values())
    acked, first_sent = _ack_state({i.operator_id for i in relevant.values()})
    wanted: list[Reminder] = []
    for k, item in relevant.items():
        due = k[3]  # the item's deadline: `relevant` holds dated items only
        ladder = ladder_resolve(ladders, organization_id=item.organization_id, rule=item.rule)
        step = step_for(item, due=due, as_of=as_of, now=now, ladder=ladder)
        if step is not None:
            wanted.append(
                _new_reminder(
                    item,
                    due_date=due,
                    step=step.step,
                    send_on=step.send_on,
                    send_at=step.send_at,
                    kind="reminder",
                )
            )
        overdue = item.status == ComplianceStatus.OVERDUE and ladder.escalate_when_overdue
        n_days = ladder.escalate_unacknowledged_after_days
        unacked = (
            n_days is not None
            and k not in acked
            and k in first_sent
            and first_sent[k] <= now - datetime.timedelta(days=n_days)
        )
        if overdue or unacked:
            wanted.append(
                _new_reminder(
                    item,
                    due_date=due,
                    step=ESCALATION_STEP,
                    send_on=as_of,
                    send_at=missed_hour(item, ladder, now),
                    kind="escalation",
                )
            )
    return wanted


def _to_cancel(
    scope: QuerySet[Reminder],
    *,
    relevant: Collection[ItemKey],
    snoozed: Collection[ItemKey],
    wanted: Sequence[Reminder],
) -> dict[str, list[int]]:
    """Open reminders in `scope` to cancel, by reason (one query)."""
    wanted_at = {(*_key(r), r.kind): r.due_at for r in wanted}
    to_cancel: dict[str, list[int]] = {"resolved": [], "superseded": [], "snoozed": []}
    for pk, st, sid, rule, due, kind, due_at, status in scope.filter(status__in=OPEN).values_list(
        "pk", "subject_type", "subject_id", "rule", "due_date", "kind", "due_at", "status"
    ):
        k = (st, sid, rule, due)
        if k in snoozed:
            to_cancel["snoozed"].append(pk)
        elif k not in relevant:
            to_cancel["resolved"].append(pk)
        elif (
            status == ReminderStatus.PENDING
            and (*k, kind) in wanted_at
            and due_at < wanted_at[(*k, kind)]
        ):
            to_cancel["superseded"].append(pk)  # a later step replaces it: no burst
    return to_cancel


def _existing_steps(wanted: Sequence[Reminder]) -> set[tuple[str, int, str, datetime.date, str]]:
    """The steps already planned for the subjects of `wanted` (any status), in one query on
    the (subject_type, subject_id, rule) index.
    """
    by_type: dict[str, set[int]] = defaultdict(set)
    for r in wanted:
        by_type[r.subject_type].add(r.subject_id)
    if not by_type:
        return set()
    match = Q()
    for subject_type, ids in by_type.items():
        match |= Q(subject_type=subject_type, subject_id__in=ids)
    return set(
        Reminder.objects.filter(match).values_list(
            "subject_type", "subject_id", "rule", "due_date", "step"
        )
    )


def reminder_plan(
    *,
    items: Sequence[DueItem],
    as_of: datetime.date,
    now: datetime.datetime | None = None,
    operator_ids: Iterable[int] | None = None,
    dry_run: bool = False,
    snoozed: Collection[ItemKey] = frozenset(),
) -> PlanResult:
    """Create the current ladder step (and escalation) of every due_soon/overdue item, and
    cancel what no longer applies.

    `operator_ids` is the scope the items were computed for (None: every operator): open
    reminders in that scope whose item is no longer due are cancelled, and those of a
    `snoozed` deadline too (its snooze ends: the next step is planned). Re-running with the
    same items creates nothing (unique key per item, rule, deadline and step).
    """
    now = now or timezone.now()
    relevant = {
        _key(i): i
        for i in items
        if i.status in RELEVANT_STATUSES and i.due_date is not None and _key(i) not in snoozed
    }
    result = PlanResult(wanted=_wanted_steps(relevant, as_of=as_of, now=now))
    scope = Reminder.objects.all()
    if operator_ids is not None:
        scope = scope.filter(operator_id__in=set(operator_ids))
    to_cancel = _to_cancel(scope, relevant=relevant, snoozed=snoozed, wanted=result.wanted)
    existing = _existing_steps(result.wanted)
    new = [r for r in result.wanted if (*_key(r), r.step) not in existing]
    for r in new:  # rendered for the new ones only: a re-run renders nothing
        r.message = render_message(r.note)
    result.planned = len(result.wanted)
    result.created = len(new)
    result.cancelled = sum(len(v) for v in to_cancel.values())
    if dry_run:
        return result

    with transaction.atomic():
        Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        for reason, pks in to_cancel.items():
            # status filter again: a row sent meanwhile stays sent.
            Reminder.objects.filter(pk__in=pks, status__in=OPEN).update(
                status=ReminderStatus.CANCELLED, cancel_reason=reason, updated_at=now
            )
        # Deliveries not yet out for deadlines that are no longer due.
        stale_sent = [
            pk
            for pk, *k in scope.filter(
                status=ReminderStatus.SENT,
                deliveries__status__in=(DeliveryStatus.PENDING, DeliveryStatus.HELD),
            )
            .distinct()
            .values_list("pk", "subject_type", "subject_id", "rule", "due_date")
            if tuple(k) not in relevant
        ]
        Delivery.objects.filter(
            reminder_id__in=stale_sent, status__in=(DeliveryStatus.PENDING, DeliveryStatus.HELD)
        ).update(status=DeliveryStatus.CANCELLED, last_error="no longer due", updated_at=now)
    return result


def _due_batches(
    *, as_of: datetime.date, operator_ids: Iterable[int] | None = None
) -> Iterator[tuple[list[int], Sequence[DueItem], set[ItemKey]]]:
    """(operator ids, their items, their snoozed deadlines) per batch of operators: the
    maintained rows for today, the engine for another date.
    """
    if is_today(as_of):
        for ids, batch in rows.open_items(
            as_of=as_of, operator_ids=operator_ids, include_snoozed=True
        ):
            snoozed = {_key(r) for r in batch if rows.is_snoozed(r, as_of=as_of)}
            yield ids, [r for r in batch if _key(r) not in snoozed], snoozed
        return
    calendar = get_workday_calendar()  # once per sweep, not per batch
    for ids in rows.operator_batches(operator_ids=operator_ids):
        items = compliance_items(
            as_of=as_of, operators=Operator.objects.filter(pk__in=ids), calendar=calendar
        )
        yield ids, items, rows.snoozed_keys(operator_ids=ids, as_of=as_of)


def _plan_batches(
    *,
    as_of: datetime.date,
    now: datetime.datetime | None,
    dry_run: bool,
    operator_ids: Iterable[int] | None = None,
) -> Iterator[PlanResult]:
    now = now or timezone.now()
    for ids, items, snoozed in _due_batches(as_of=as_of, operator_ids=operator_ids):
        yield reminder_plan(
            items=items,
            as_of=as_of,
            now=now,
            operator_ids=ids,
            dry_run=dry_run,
            snoozed=snoozed,
        )


def sweep_plan(
    *,
    as_of: datetime.date,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    on_batch: Callable[[PlanResult], None] | None = None,
) -> PlanResult:
    """The hourly sweep over every operator, one batch of operators at a time.

    Returns the counts; each batch's wanted reminders go to `on_batch` (a dry run prints
    them) and are not kept, so memory does not grow with the portfolio.
    """
    total = PlanResult()
    for part in _plan_batches(as_of=as_of, now=now, dry_run=dry_run):
        total.add(part)
        if on_batch is not None:
            on_batch(part)
    return total


def reminder_resync(
    *, operator_id: int, as_of: datetime.date | None = None, now: datetime.datetime | None = None
) -> PlanResult:
    """Re-plan one operator right after a change (e.g. a filing approved): reminders of
    deadlines that are no longer due are cancelled now, not at the next hourly sweep.
    """
    as_of = as_of or timezone.localdate()
    total = PlanResult()
    for part in _plan_batches(as_of=as_of, now=now, dry_run=False, operator_ids=[operator_id]):
        total.add(part, keep_wanted=True)
    return total
