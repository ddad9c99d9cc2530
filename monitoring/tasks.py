"""Celery tasks of the app (found by autodiscovery): each part's module is imported here."""

from .notices.tasks import notices_tick_task  # noqa: F401
