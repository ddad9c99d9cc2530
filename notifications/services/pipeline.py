"""Plan -> dispatch -> send -> deliver. Each step is safe to run twice (style.md §6)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from compliance.engine import compliance_items
from compliance.types import ComplianceItem, ComplianceStatus
from icp.ladders import ESCALATION_STEP, Ladder, current_step, ladder_resolve
from miniprograms.models import Operator

from .. import channels, conf
from ..models import (
    Delivery,
    DeliveryStatus,
    Reminder,
    ReminderKind,
    ReminderLadder,
    ReminderStatus,
)
from ..recipients import deliveries_for

logger = logging.getLogger(__name__)

RELEVANT_STATUSES = frozenset({ComplianceStatus.DUE_SOON, ComplianceStatus.OVERDUE})
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
    rows = _ladders_for([reminder.organization_id])
    return ladder_resolve(rows, organization_id=reminder.organization_id, rule=reminder.rule)


# --- plan -------------------------------------------------------------------------------------


@dataclass
class PlanResult:
    wanted: list[Reminder] = field(default_factory=list)  # the current step of every due item
    created: int = 0
    cancelled: int = 0


def _ack_state(operator_ids: set[int]) -> tuple[set[ItemKey], dict[ItemKey, datetime.datetime]]:
    """Deadlines acknowledged by someone, and when the first reminder of each was sent."""
    acked: set[ItemKey] = set()
    first_sent: dict[ItemKey, datetime.datetime] = {}
    rows = Reminder.objects.filter(
        operator_id__in=operator_ids, status=ReminderStatus.SENT, kind=ReminderKind.REMINDER
    ).values_list("subject_type", "subject_id", "rule", "due_date", "sent_at", "acknowledged_at")
    for st, sid, rule, due, sent_at, acked_at in rows:
        k = (st, sid, rule, due)
        if acked_at:
            acked.add(k)
        if sent_at and (k not in first_sent or sent_at < first_sent[k]):
            first_sent[k] = sent_at
    return acked, first_sent


def _new_reminder(item: ComplianceItem, *, step: str, send_on: datetime.date, kind: str):
    return Reminder(
        organization_id=item.organization_id,
        operator_id=item.operator_id,
        subject_type=item.subject_type,
        subject_id=item.subject_id,
        subject_name=item.subject_name[:255],
        rule=item.rule,
        due_date=item.due_date,
        step=step,
        kind=kind,
        item_status=item.status,
        message=item.message,
        due_at=_due_at(send_on),
    )


def reminder_plan(
    *,
    items: Sequence[ComplianceItem],
    as_of: datetime.date,
    now: datetime.datetime | None = None,
    operator_ids: Iterable[int] | None = None,
    dry_run: bool = False,
) -> PlanResult:
    """Create the current ladder step (and escalation) of every due_soon/overdue item, and
    cancel what no longer applies.

    `operator_ids` is the scope the items were computed for (None: every operator): open
    reminders in that scope whose item is no longer due are cancelled. Re-running with the
    same items creates nothing (unique key per item, rule, deadline and step).
    """
    now = now or timezone.now()
    relevant = {
        _key(i): i for i in items if i.status in RELEVANT_STATUSES and i.due_date is not None
    }
    ladders = _ladders_for(i.organization_id for i in relevant.values())
    acked, first_sent = _ack_state({i.operator_id for i in relevant.values()})
    result = PlanResult()
    for k, item in relevant.items():
        ladder = ladder_resolve(ladders, organization_id=item.organization_id, rule=item.rule)
        step = current_step(due_date=item.due_date, as_of=as_of, ladder=ladder)
        if step is not None:
            result.wanted.append(
                _new_reminder(item, step=step.step, send_on=step.send_on, kind="reminder")
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
            result.wanted.append(
                _new_reminder(item, step=ESCALATION_STEP, send_on=as_of, kind="escalation")
            )

    scope = Reminder.objects.all()
    if operator_ids is not None:
        scope = scope.filter(operator_id__in=set(operator_ids))
    wanted_at = {(*_key(r), r.kind): r.due_at for r in result.wanted}
    to_cancel: dict[str, list[int]] = {"resolved": [], "superseded": []}
    for pk, st, sid, rule, due, kind, due_at, status in scope.filter(status__in=OPEN).values_list(
        "pk", "subject_type", "subject_id", "rule", "due_date", "kind", "due_at", "status"
    ):
        k = (st, sid, rule, due)
        if k not in relevant:
            to_cancel["resolved"].append(pk)
        elif (
            status == ReminderStatus.PENDING
            and (*k, kind) in wanted_at
            and due_at < wanted_at[(*k, kind)]
        ):
            to_cancel["superseded"].append(pk)  # a later step replaces it: no burst
    existing = set(
        scope.filter(
            operator_id__in={r.operator_id for r in result.wanted},
            due_date__in={r.due_date for r in result.wanted},
        ).values_list("subject_type", "subject_id", "rule", "due_date", "step")
    )
    new = [r for r in result.wanted if (*_key(r), r.step) not in existing]
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


def sweep_plan(
    *, as_of: datetime.date, now: datetime.datetime | None = None, dry_run: bool = False
) -> PlanResult:
    """The hourly sweep: evaluate every operator, then plan."""
    items = compliance_items(as_of=as_of)
    return reminder_plan(items=items, as_of=as_of, now=now, dry_run=dry_run)


def reminder_resync(
    *, operator_id: int, as_of: datetime.date | None = None, now: datetime.datetime | None = None
) -> PlanResult:
    """Re-plan one operator right after a change (e.g. a filing approved): reminders of
    deadlines that are no longer due are cancelled now, not at the next hourly sweep.
    """
    as_of = as_of or timezone.localdate()
    items = compliance_items(as_of=as_of, operators=Operator.objects.filter(pk=operator_id))
    return reminder_plan(items=items, as_of=as_of, now=now, operator_ids=[operator_id])


# --- dispatch ---------------------------------------------------------------------------------


class Enqueue(Protocol):
    """Where claimed IDs go: Celery tasks after commit, or a list for in-process runs."""

    def send(self, reminder_ids: list[int]) -> None: ...
    def deliver(self, delivery_ids: list[int]) -> None: ...


@dataclass
class Claimed:
    reminder_ids: list[int]
    delivery_ids: list[int]

    @property
    def full(self) -> bool:
        batch = conf.dispatch_batch()
        return len(self.reminder_ids) >= batch or len(self.delivery_ids) >= batch


def reminder_dispatch(*, enqueue: Enqueue, now: datetime.datetime | None = None) -> Claimed:
    """Claim due reminders (and deliveries due for a retry or whose claim lapsed), mark them,
    and hand their IDs to `enqueue` inside the same transaction.

    Queued reminders older than the lease are claimed again: their message was lost (broker
    restarted empty) or their worker died. Safe because send is idempotent.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=conf.lease_seconds())
    batch = conf.dispatch_batch()
    with transaction.atomic():
        reminder_ids = list(
            Reminder.objects.filter(
                Q(status=ReminderStatus.PENDING, due_at__lte=now)
                | Q(status=ReminderStatus.QUEUED, queued_at__lt=stale)
            )
            .order_by("due_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch]
        )
        Reminder.objects.filter(pk__in=reminder_ids).update(
            status=ReminderStatus.QUEUED, queued_at=now, updated_at=now
        )
        delivery_ids = list(
            Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch]
        )
        Delivery.objects.filter(pk__in=delivery_ids).update(
            next_attempt_at=now + datetime.timedelta(seconds=conf.lease_seconds()),
            updated_at=now,
        )
        if reminder_ids:
            enqueue.send(reminder_ids)
        if delivery_ids:
            enqueue.deliver(delivery_ids)
    return Claimed(reminder_ids, delivery_ids)


# --- send -------------------------------------------------------------------------------------


def reminder_is_relevant(reminder: Reminder, *, as_of: datetime.date) -> bool:
    """Zulip-style recheck at send time: is the deadline still due_soon/overdue?"""
    try:
        items = compliance_items(
            as_of=as_of,
            operators=Operator.objects.filter(pk=reminder.operator_id),
            rules=[reminder.rule],
        )
    except ValueError:  # compliance.engine.UnknownRuleError: the rule is gone
        return False
    for item in items:
        if (item.subject_type, item.subject_id, item.rule) == (
            reminder.subject_type,
            reminder.subject_id,
            reminder.rule,
        ):
            return item.status in RELEVANT_STATUSES and item.due_date == reminder.due_date
    return False


def reminder_send(
    *, reminder_id: int, enqueue: Enqueue, now: datetime.datetime | None = None
) -> str:
    """Lock a queued reminder, recheck it, write one Delivery per recipient x channel, mark it
    sent, and hand the deliveries to `enqueue`. Returns "sent", "cancelled" or "skipped".
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("operator")
            .filter(pk=reminder_id, status=ReminderStatus.QUEUED)
            .first()
        )
        if reminder is None:
            return "skipped"  # already sent or cancelled, or another worker holds it
        if not reminder_is_relevant(reminder, as_of=timezone.localdate(now)):
            reminder.status = ReminderStatus.CANCELLED
            reminder.cancel_reason = "resolved"
            reminder.save(update_fields=["status", "cancel_reason", "updated_at"])
            return "cancelled"
        rows = deliveries_for(reminder, ladder=ladder_for(reminder))
        lease = now + datetime.timedelta(seconds=conf.lease_seconds())
        for row in rows:
            row.next_attempt_at = lease
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        reminder.status = ReminderStatus.SENT
        reminder.sent_at = now
        reminder.save(update_fields=["status", "sent_at", "updated_at"])
        pending = list(
            reminder.deliveries.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True)
        )
        if pending:
            enqueue.deliver(pending)
    return "sent"


def _still_entitled(d: Delivery) -> bool:
    """Zulip's recheck: a member removed (or unassigned) since the send is told nothing."""
    if d.user_id is None:
        return True
    if not d.user.is_active:
        return False
    return (
        Membership.objects.filter(user_id=d.user_id, organization_id=d.reminder.organization_id)
        .filter(Q(limited_to_assigned=False) | Q(operators=d.reminder.operator_id))
        .exists()
    )


@dataclass(frozen=True)
class DeliveryResult:
    status: str  # "sent" | "retry" | "failed" | "cancelled" | "skipped"
    retry_in: int | None = None


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> DeliveryResult:
    """Deliver one row on its channel, under its row lock; a failure is recorded with a
    bounded exponential backoff, and never touches the reminder's other deliveries.
    """
    now = now or timezone.now()
    with transaction.atomic():
        d = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("reminder", "reminder__operator", "user", "endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if d is None:
            return DeliveryResult("skipped")
        if d.reminder.status != ReminderStatus.SENT or not _still_entitled(d):
            d.status = DeliveryStatus.CANCELLED
            d.save(update_fields=["status", "updated_at"])
            return DeliveryResult("cancelled")
        d.attempts += 1
        try:
            with transaction.atomic():  # a failing in-app write must not poison the row update
                channels.deliver(d, today=timezone.localdate(now))
        except Exception as exc:
            permanent = isinstance(exc, channels.PermanentChannelError)
            if not isinstance(exc, channels.ChannelError):
                logger.exception("delivery %s: unexpected channel error", d.pk)
            d.last_error = str(exc)[:2000] or type(exc).__name__
            if permanent or d.attempts >= conf.max_attempts():
                d.status = DeliveryStatus.FAILED
                d.save(update_fields=["status", "attempts", "last_error", "updated_at"])
                logger.warning("delivery %s failed for good: %s", d.pk, d.last_error)
                return DeliveryResult("failed")
            backoff = conf.retry_base_seconds() * 2 ** (d.attempts - 1)
            # The lease on top: dispatch claims it again only if the retry message is lost.
            d.next_attempt_at = now + datetime.timedelta(seconds=backoff + conf.lease_seconds())
            d.save(update_fields=["attempts", "last_error", "next_attempt_at", "updated_at"])
            return DeliveryResult("retry", retry_in=backoff)
        d.status = DeliveryStatus.SENT
        d.sent_at = now
        d.save(update_fields=["status", "sent_at", "attempts", "updated_at"])
    return DeliveryResult("sent")
