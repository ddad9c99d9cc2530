"""Celery entry points: thin, IDs only, stable names (style.md §6)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.queue import enqueue_many_on_commit, enqueue_on_commit

from . import services
from .models import Delivery, DeliveryStatus, Reminder, ReminderStatus

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError,)  # database restarts and lost connections


def _reminders_back_to_pending(ids: list[int]) -> None:
    Reminder.objects.filter(pk__in=ids, status=ReminderStatus.QUEUED).update(
        status=ReminderStatus.PENDING
    )


def _deliveries_due_now(ids: list[int]) -> None:
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )


class CeleryEnqueue:
    def send(self, reminder_ids: list[int]) -> None:
        enqueue_many_on_commit(
            reminder_send_task, reminder_ids, on_failure=_reminders_back_to_pending
        )

    def deliver(self, delivery_ids: list[int]) -> None:
        enqueue_many_on_commit(delivery_send_task, delivery_ids, on_failure=_deliveries_due_now)


ENQUEUE = CeleryEnqueue()


@shared_task(name="notifications.plan", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=30)
def reminder_plan_task(as_of: str | None = None) -> None:
    """The hourly sweep: compliance items -> reminder rows; then dispatch at once."""
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = services.sweep_plan(as_of=day)
    logger.info("reminder plan %s: %d new, %d cancelled", day, result.created, result.cancelled)
    enqueue_on_commit(reminder_dispatch_task)


@shared_task(name="notifications.resync", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=10)
def reminder_resync_task(operator_id: int) -> None:
    """For writers of the register: `reminder_resync_task.delay_on_commit(operator.pk)` after
    a change that can settle a deadline (filing approved, domain renewed)."""
    services.reminder_resync(operator_id=operator_id)


@shared_task(
    name="notifications.dispatch", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=10
)
def reminder_dispatch_task() -> None:
    claimed = services.reminder_dispatch(enqueue=ENQUEUE)
    if claimed.full:
        enqueue_on_commit(reminder_dispatch_task)  # more are due: drain in batches


@shared_task(
    name="notifications.send",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    max_retries=3,
    retry_backoff=10,
)
def reminder_send_task(reminder_id: int) -> None:
    services.reminder_send(reminder_id=reminder_id, enqueue=ENQUEUE)


@shared_task(
    bind=True,
    name="notifications.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    max_retries=10,
    retry_backoff=10,
)
def delivery_send_task(self, delivery_id: int) -> None:
    result = services.delivery_send(delivery_id=delivery_id)
    if result.status == "retry" and self.request.retries < self.max_retries:
        # The bound is the row's attempts (NOTIFICATIONS_MAX_ATTEMPTS); should this retry
        # message be lost, dispatch claims the row again once its lease has passed.
        raise self.retry(countdown=result.retry_in)


@shared_task(name="notifications.send_digests", autoretry_for=TRANSIENT, max_retries=3)
def digests_send_task(day: str | None = None) -> None:
    day = day or timezone.localdate().isoformat()
    for user_id in services.digest_user_ids():
        enqueue_on_commit(digest_send_task, user_id, day)


@shared_task(
    bind=True,
    name="notifications.send_digest",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    max_retries=3,
)
def digest_send_task(self, user_id: int, day: str) -> None:
    status = services.digest_send(user_id=user_id, day=datetime.date.fromisoformat(day))
    if status == "retry" and self.request.retries < self.max_retries:
        raise self.retry(countdown=600 * 2**self.request.retries)
