"""Dispatch -> send -> deliver: the steps after planning (.plan). Each is safe to run twice.

Style.md §6: claim under skip-locked row locks, recheck at send time, one Delivery per
recipient x channel, bounded retries.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.access import is_recipient
from compliance import rows
from compliance.engine import compliance_items
from compliance.selectors import is_today
from miniprograms.models import Operator

from .. import channels, conf
from ..models import Channel, Delivery, DeliveryStatus, Reminder, ReminderStatus
from ..recipients import deliveries_for
from .failures import webhook_failure_notify
from .plan import RELEVANT_STATUSES, ladder_for

logger = logging.getLogger(__name__)


# --- dispatch ---------------------------------------------------------------------------------


class Enqueue(Protocol):
    """Where claimed IDs go: Celery tasks after commit, or a list for in-process runs."""

    def send(self, reminder_ids: list[int]) -> None:
        """Queue the sending of these reminders."""

    def deliver(self, delivery_ids: list[int]) -> None:
        """Queue these deliveries."""


@dataclass
class Claimed:
    """The reminder and delivery IDs one dispatch run claimed."""

    reminder_ids: list[int]
    delivery_ids: list[int]

    @property
    def full(self) -> bool:
        """True when a batch limit was reached (there may be more to claim)."""
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
    """Zulip-style recheck at send time: is the deadline still due_soon/overdue, and not
    snoozed? Today: its current row (one indexed read). Another date (a sweep "as of"): the
    engine for the one operator and rule, and the row's snooze.
    """
    row = rows.item_for(
        reminder.subject_type, reminder.subject_id, reminder.rule, reminder.due_date
    )
    if row is not None and rows.is_snoozed(row, as_of=as_of):
        return False
    if is_today(as_of):
        return row is not None and row.status in RELEVANT_STATUSES
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
    if d.user is None:  # no query without a user id
        return True
    if not d.user.is_active:
        return False
    return is_recipient(
        user_id=d.user.pk,
        organization_id=d.reminder.organization_id,
        operator_id=d.reminder.operator_id,
    )


@dataclass(frozen=True)
class DeliveryResult:
    """How one delivery attempt ended, and when to retry."""

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
                if d.channel == Channel.WEBHOOK:
                    webhook_failure_notify(delivery=d, now=now)
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
