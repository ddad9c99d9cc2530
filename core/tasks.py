"""Celery entry points of core: thin, idempotent wrappers."""

from celery import shared_task

from . import purge

PURGE_TASK = "core.purge"


@shared_task(name=PURGE_TASK, acks_late=True)
def purge_task() -> None:
    """Every registered purger (daily, from beat); each purger is idempotent."""
    purge.purge()
