"""Celery entry points of core: thin, idempotent wrappers."""

from celery import shared_task

from . import purge
from .idempotency import idempotency_keys_purge

PURGE_TASK = "core.purge"


@shared_task(name=PURGE_TASK, acks_late=True)
def purge_task() -> None:
    """Every registered purger (daily, from beat); each purger is idempotent."""
    purge.purge()


@shared_task(name="core.purge_idempotency_keys")
def purge_idempotency_keys_task() -> int:
    """Forget submission keys older than a day (running it twice deletes nothing more)."""
    return idempotency_keys_purge()
