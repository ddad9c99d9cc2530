"""Sessions: an absolute lifetime and an idle timeout (core.middleware.SessionTimeoutMiddleware)."""

from .environment import env

# A signed-in session ends this long after sign-in, however busy (12 hours: one working day).
SESSION_COOKIE_AGE = env.int("SESSION_MAX_AGE_SECONDS", default=12 * 60 * 60)
# …and this long after the last request that was not a background poll (30 minutes).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# Activity is written to the session at most this often: no database write on every request.
SESSION_ACTIVITY_RESOLUTION = env.int("SESSION_ACTIVITY_RESOLUTION_SECONDS", default=60)
