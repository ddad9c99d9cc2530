"""How long a throttled sign-in has to wait, read from allauth's rate-limit counters."""

from __future__ import annotations

import math
import time
from typing import Any

from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.http import HttpRequest

APP = "allauth.account"
ACTION = "login_failed"


def wait_seconds(request: HttpRequest, *, key: str) -> int:
    """Seconds until the failed sign-ins counted for this address and for `key` (the
    account tried) fall back under every login_failed rate; 0 when none is exceeded."""
    now = time.time()
    longest = 0.0
    for rate in ratelimit.get_rates(app=APP, action=ACTION):
        cache_key = ratelimit.get_cache_key(request, app=APP, action=ACTION, rate=rate, key=key)
        # Newest first: the attempt at index amount-1 must expire before one more is allowed.
        history: list[float] = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            longest = max(longest, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(longest)


def wait_minutes(seconds: int) -> int:
    """The wait as whole minutes, rounded up (at least one)."""
    return max(1, math.ceil(seconds / 60))


def login_tried(credentials: dict[str, Any]) -> str:
    """The username or e-mail a sign-in attempt named."""
    return str(credentials.get("email") or credentials.get("username") or "")
