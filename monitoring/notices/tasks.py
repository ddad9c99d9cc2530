"""Celery entry points of provider notices: thin, idempotent."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.queue import enqueue_on_commit

from ..models import NoticeState, ProviderNotice
from .services import expire_missed_notices

TRANSIENT = (OperationalError,)
# Hour steps (24, 12, 4, 1 h) are planned by the hourly reminder sweep; operators with a
# deadline this close are re-planned on every tick so a step goes out within one tick.
RESYNC_WITHIN = datetime.timedelta(hours=25)
RESYNC_LIMIT = 500


@shared_task(
    name="monitoring.notices_tick", autoretry_for=TRANSIENT, max_retries=3, retry_backoff=30
)
def notices_tick_task() -> dict:
    """Every 5 minutes: missed deadlines cancel access (unless kept), and the reminders of
    operators with a deadline within 25 hours are re-planned (notifications.resync)."""
    now = timezone.now()
    moved = expire_missed_notices(now=now)
    operator_ids = list(
        ProviderNotice.objects.filter(
            state__in=(NoticeState.OPEN, NoticeState.ACCESS_CANCELLED),
            deadline_at__lte=now + RESYNC_WITHIN,
        )
        .order_by("operator_id")
        .values_list("operator_id", flat=True)
        .distinct()[:RESYNC_LIMIT]
    )
    for operator_id in operator_ids:
        enqueue_on_commit("notifications.resync", operator_id)
    return {"expired": moved, "resynced": len(operator_ids)}
