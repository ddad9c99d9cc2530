"""Typed accessors over the reminder pipeline's settings (icpfiling/settings/notifications.py).

The settings module declares each tunable once, with its default and its meaning, and reads
the environment; these read `django.conf.settings` at call time, so a test's override holds.
"""

from __future__ import annotations

from django.conf import settings


def send_hour() -> int:
    """Local (Beijing) hour at which a day's reminders become due."""
    return int(settings.NOTIFICATIONS_SEND_HOUR)


def lease_seconds() -> int:
    """A queued reminder or claimed delivery not finished after this long is claimed again."""
    return int(settings.NOTIFICATIONS_LEASE_SECONDS)


def retry_base_seconds() -> int:
    """Backoff of a failing channel: base, 2 x base, 4 x base …"""
    return int(settings.NOTIFICATIONS_RETRY_BASE_SECONDS)


def max_attempts() -> int:
    """Attempts per delivery before it is recorded as failed."""
    return int(settings.NOTIFICATIONS_MAX_ATTEMPTS)


def dispatch_batch() -> int:
    """Reminders claimed per dispatch run."""
    return int(settings.NOTIFICATIONS_DISPATCH_BATCH)


def person_language() -> str:
    """Language of messages to responsible persons (no account, no language setting)."""
    return str(settings.NOTIFICATIONS_PERSON_LANGUAGE)
