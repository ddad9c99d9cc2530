"""How long a throttled sign-in must wait: read from allauth's own `login_failed` counters,
the ones the sign-in page and this API share (per account and per client address)."""

from __future__ import annotations

import math
import time

from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.core.cache import cache
from django.http import HttpRequest

APP = "allauth.account"
ACTION = "login_failed"


def account_key(request: HttpRequest, username: str) -> str:
    """allauth's per-account key for a password sign-in with `username`."""
    return get_adapter(request)._get_login_attempts_cache_key(request, username=username)


def wait_seconds(request: HttpRequest, key: str) -> int:
    """Seconds until a `login_failed` attempt with `key` is allowed again (at least 1)."""
    now = time.time()
    wait = 0.0
    for rate in get_rates(app=APP, action=ACTION):
        cache_key = get_cache_key(request, app=APP, action=ACTION, rate=rate, key=key)
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:  # newest first: the amount-th newest must expire
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait))
