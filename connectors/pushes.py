"""Accepted pushes are acted on by their kind, once."""

from __future__ import annotations

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
        with acting_as(event.account.actor_label):
            registry.get(event.account.kind).handle_push(event)
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return True
