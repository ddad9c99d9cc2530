"""Reports (reports/)."""

from .environment import env

# A report covering at most this many services renders in the request; larger ones run in
# the worker and are fetched when ready.
REPORTS_SYNC_MAX_SERVICES = env.int("REPORTS_SYNC_MAX_SERVICES", default=300)
