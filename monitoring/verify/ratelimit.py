"""The shared limit on automatic lookups: at most N in any 60 seconds, across every worker.

N slots in the default cache; taking one is an atomic ``cache.add`` that holds it for the
window, so no N+1 lookups fit in any window (a sliding window, not a fixed minute). The value
kept is when the slot was taken, which tells a caller how long to wait for the first to free.
With Redis as the cache (CACHE_URL) the limit holds across processes and hosts; the default
memory cache limits each process only.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60
PREFIX = "monitoring:miit-lookup-slot"


def acquire(*, limit: int | None = None, window: int = WINDOW_SECONDS) -> float:
    """Take a slot: 0.0 when taken (go ahead), else the seconds to wait before trying again."""
    limit = settings.MIIT_LOOKUP_RATE_PER_MINUTE if limit is None else limit
    now = time.time()
    waits: list[float] = []
    for i in range(limit):
        key = f"{PREFIX}:{i}"
        if cache.add(key, now, timeout=window):
            return 0.0
        taken = cache.get(key)
        if taken is None:  # freed between the two calls: one more try
            if cache.add(key, now, timeout=window):
                return 0.0
            continue
        waits.append(float(taken) + window - now)
    return max(1.0, min(waits)) if waits else 1.0
