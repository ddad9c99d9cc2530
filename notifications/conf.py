"""Tunables of the reminder pipeline: a Django setting wins, then the environment, then the
default. The environment route lets a worker process be tuned without a settings module."""

from __future__ import annotations

import environ
from django.conf import settings

_env = environ.Env()


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    return int(value) if value is not None else _env.int(name, default=default)


def _str(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value is not None else _env.str(name, default=default)


def send_hour() -> int:
    """Local (Beijing) hour at which a day's reminders become due."""
    return _int("NOTIFICATIONS_SEND_HOUR", 9)


def lease_seconds() -> int:
    """A queued reminder or claimed delivery not finished after this long is claimed again
    (its broker message was lost, or its worker died). Longer than any send."""
    return _int("NOTIFICATIONS_LEASE_SECONDS", 15 * 60)


def retry_base_seconds() -> int:
    """Backoff of a failing channel: base, 2 x base, 4 x base …"""
    return _int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)


def max_attempts() -> int:
    """Attempts per delivery before it is recorded as failed."""
    return _int("NOTIFICATIONS_MAX_ATTEMPTS", 5)


def dispatch_batch() -> int:
    return _int("NOTIFICATIONS_DISPATCH_BATCH", 500)


def items_source() -> str:
    """Dotted path of `compliance_items(*, as_of, operators=None, rules=None)`."""
    return _str("NOTIFICATIONS_ITEMS_SOURCE", "compliance.engine.compliance_items")


def person_language() -> str:
    """Responsible persons have no account and no language setting: they are written to in
    Chinese, the language of the filing system they deal with."""
    return _str("NOTIFICATIONS_PERSON_LANGUAGE", "zh-hans")


def webhook_timeout_seconds() -> int:
    return _int("NOTIFICATIONS_WEBHOOK_TIMEOUT", 10)
