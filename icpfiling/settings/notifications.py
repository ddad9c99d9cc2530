"""The reminder pipeline (notifications/). Read through notifications.conf.

Each can be set in the environment too, so a worker process can be tuned without its own
settings module (the integration tests shorten the lease and the backoff this way).
"""

from .environment import env

# Local (Beijing) hour at which a day's reminders become due.
NOTIFICATIONS_SEND_HOUR = env.int("NOTIFICATIONS_SEND_HOUR", default=9)
# Seconds after which a queued reminder or claimed delivery that has not finished is claimed
# again (its broker message was lost, or its worker died). Longer than any send.
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=15 * 60)
# Backoff of a failing channel in seconds: base, 2 x base, 4 x base …
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
# Attempts per delivery before it is recorded as failed.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
# Reminders claimed per dispatch run; a full batch re-queues the dispatch.
NOTIFICATIONS_DISPATCH_BATCH = env.int("NOTIFICATIONS_DISPATCH_BATCH", default=500)
# Responsible persons have no account and no language setting: they are written to in
# Chinese, the language of the filing system they deal with.
NOTIFICATIONS_PERSON_LANGUAGE = env.str("NOTIFICATIONS_PERSON_LANGUAGE", default="zh-hans")
# Seconds to wait for a chat bot's answer (WeCom, DingTalk, Feishu, Lark) once the request
# is sent. A webhook that timed out may have arrived: it is retried with the same
# Idempotency-Key, at most NOTIFICATIONS_MAX_ATTEMPTS times in all.
NOTIFICATIONS_WEBHOOK_VENDOR_TIMEOUT = env.float("NOTIFICATIONS_WEBHOOK_VENDOR_TIMEOUT", default=5)
# The same for a generic JSON hook, unless its URL sets `rto=` (at most 30 s).
NOTIFICATIONS_WEBHOOK_JSON_TIMEOUT = env.float("NOTIFICATIONS_WEBHOOK_JSON_TIMEOUT", default=10)
