"""Celery entry points of core: thin, idempotent wrappers."""

from celery import shared_task

from .idempotency import idempotency_keys_purge


@shared_task(name="core.purge_idempotency_keys")
def purge_idempotency_keys_task() -> int:
    """Forget submission keys older than a day (running it twice deletes nothing more)."""
    return idempotency_keys_purge()
