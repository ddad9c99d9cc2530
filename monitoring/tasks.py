"""Celery tasks of the app (found by autodiscovery): each part's module, imported here."""

from .verify import tasks as verify_tasks  # noqa: F401
