"""Limits on what a request may send: JSON bodies, dates and the health checks' budgets."""

import datetime

from .environment import env

# Dates read from a query string or a form must fall in this range: a deadline computed from
# 9999-12-31 would overflow, and nothing the register tracks lies outside these years.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)

# API request bodies (core.parsers): JSON nested deeper than this, or a JSON or form body of
# more bytes than this, is a 400 before the body is decoded. Uploads (multipart) keep Django's
# and the documents app's own limits.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=64)
API_BODY_MAX_BYTES = env.int("API_BODY_MAX_BYTES", default=2_621_440)  # Django's 2.5 MiB

# /readyz: each check (database, broker, media storage) gets this long before it counts as down.
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=2.0)
# The 503 page asks clients to retry after this many seconds.
UNAVAILABLE_RETRY_AFTER_SECONDS = env.int("UNAVAILABLE_RETRY_AFTER_SECONDS", default=30)
