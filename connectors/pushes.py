"""Accepted pushes are acted on by their kind, once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from audit.context import acting_as

from . import registry
from .models import PushEvent, PushOutcome


def process_push(push_id: int) -> bool:
    """Hand an accepted, unprocessed push to its kind; False if there was nothing to do."""
    with transaction.atomic():
        event = (
            PushEvent.objects.select_for_update(skip_locked=True)
            .select_related("account")
            .filter(pk=push_id, outcome=PushOutcome.ACCEPTED, processed_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        if not event.account.enabled:
            return False  # switched off: calls nothing (acted on if switched on within a day)
        with acting_as(event.account.actor_label):
            registry.get(event.account.kind).handle_push(event)
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return True


# A push not processed this long after it arrived lost its message (broker down, a failure):
# the sweep queues it again, for a day at most (WeChat sends the next ticket anyway).
RETRY_AFTER = datetime.timedelta(minutes=2)
RETRY_FOR = datetime.timedelta(days=1)
RETRY_BATCH = 100


def stale_push_ids(now: datetime.datetime | None = None) -> list[int]:
    """Accepted pushes still unprocessed after RETRY_AFTER (oldest first, bounded)."""
    now = now or timezone.now()
    return list(
        PushEvent.objects.filter(
            outcome=PushOutcome.ACCEPTED,
            processed_at__isnull=True,
            received_at__lte=now - RETRY_AFTER,
            received_at__gte=now - RETRY_FOR,
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:RETRY_BATCH]
    )
