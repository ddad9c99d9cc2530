"""Reports (reports/)."""

from .environment import env

# A report covering at most this many services renders in the request; larger ones run in
# the worker and are fetched when ready.
REPORTS_SYNC_MAX_SERVICES = env.int("REPORTS_SYNC_MAX_SERVICES", default=300)
# A queued report still waiting after this many seconds is queued again (its message was
# lost: the broker was down when it was requested).
REPORTS_REQUEUE_AFTER = env.int("REPORTS_REQUEUE_AFTER", default=5 * 60)
# A report "running" for longer than this (longer than the render task's hard time limit)
# belongs to a worker that died: it is queued again.
REPORTS_RUNNING_STALE_AFTER = env.int("REPORTS_RUNNING_STALE_AFTER", default=30 * 60)
