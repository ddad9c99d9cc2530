"""Reconciliation with the MIIT record (monitoring.verify): which lookup backend, and its limits.

"manual" (the default): nothing is looked up automatically; each filed service gets a
"verify in MIIT" task with the lookup link and the query to type, closed by a screenshot.
"http": a third-party lookup service (MIIT_LOOKUP_URL, MIIT_LOOKUP_KEY), called only through
core.egress, queued, at most MIIT_LOOKUP_RATE_PER_MINUTE lookups a minute across every worker
(the limiter counts in the default cache: CACHE_URL must be shared, e.g. Redis). A failed
lookup leaves the manual task open. The MIIT site itself (captcha, WAF bans) is never scraped.
"""

from .environment import env

# "manual" or "http" (monitoring.verify.backends.BACKENDS).
MIIT_LOOKUP_BACKEND = env.str("MIIT_LOOKUP_BACKEND", default="manual")
# The third-party service's endpoint: GET <url>?query=<q>&type=<domain|app|miniprogram|quickapp>.
MIIT_LOOKUP_URL = env.str("MIIT_LOOKUP_URL", default="")
# Sent as "Authorization: Bearer <key>"; empty: no header.
MIIT_LOOKUP_KEY = env.str("MIIT_LOOKUP_KEY", default="")
# Where the answer's fields are (dotted paths into the JSON), for services that name them
# differently: found (bool), state ("normal"/"cancelled"…), entity name, number.
MIIT_LOOKUP_FIELDS: dict[str, str] = env.dict(
    "MIIT_LOOKUP_FIELDS",
    default={
        "found": "found",
        "state": "state",
        "entity_name": "entity_name",
        "number": "number",
    },
)
# States of a found record that mean it is no longer valid (compared case-insensitively).
MIIT_LOOKUP_CANCELLED_STATES: list[str] = env.list(
    "MIIT_LOOKUP_CANCELLED_STATES", default=["cancelled", "canceled", "已注销", "注销"]
)
# Lookups a minute, shared by every worker (open-source lookup tools keep to about 10).
MIIT_LOOKUP_RATE_PER_MINUTE = env.int("MIIT_LOOKUP_RATE_PER_MINUTE", default=10)
# Seconds to wait for the service's answer.
MIIT_LOOKUP_TIMEOUT = env.float("MIIT_LOOKUP_TIMEOUT", default=10.0)
# Lookups queued by the daily sweep at most (the rest wait for the next day).
MIIT_LOOKUP_SWEEP_BATCH = env.int("MIIT_LOOKUP_SWEEP_BATCH", default=500)
