"""When a signed-in session began and was last used (core.middleware.SessionTimeoutMiddleware)."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

# Keys in the session (seconds since the epoch).
SESSION_STARTED = "_started_at"
SESSION_SEEN = "_seen_at"


def session_stamp_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """On sign-in (user_logged_in): the session starts now, so its first request writes nothing."""
    if request is None or not hasattr(request, "session") or request.path.startswith("/api/"):
        return  # an API token sign-in starts no browser session
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
