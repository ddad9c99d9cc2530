"""Maintained compliance rows (compliance/tracking.py, compliance/selectors.py)."""

from .environment import env

# "As of" another date is evaluated inside a request for at most this many operators; a
# wider scope is asked to narrow down (or runs as a background report).
COMPLIANCE_AS_OF_MAX_OPERATORS = env.int("COMPLIANCE_AS_OF_MAX_OPERATORS", default=200)
# A change to the rules or the calendar re-evaluates every operator inline up to this many
# operators, else in the worker.
COMPLIANCE_INLINE_OPERATORS = env.int("COMPLIANCE_INLINE_OPERATORS", default=500)
# Closed items (resolved deadlines, deleted subjects) are kept this long for their history.
COMPLIANCE_CLOSED_RETENTION_DAYS = env.int("COMPLIANCE_CLOSED_RETENTION_DAYS", default=400)
