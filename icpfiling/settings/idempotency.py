"""Idempotent submissions (core.idempotency)."""

from .environment import env

# Seconds a form's or API client's idempotency key is remembered; older keys are purged daily.
IDEMPOTENCY_KEY_TTL = env.int("IDEMPOTENCY_KEY_TTL", default=24 * 60 * 60)
