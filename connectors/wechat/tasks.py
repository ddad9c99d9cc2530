"""Celery task of the WeChat connector: thin and idempotent (the work is in services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="connectors.face_tasks_tick", ignore_result=True)
def face_tasks_tick_task() -> dict[str, int]:
    """Expire overdue face-verification tasks and poll the pending ones."""
    from .services import face_tasks_tick

    return face_tasks_tick()
