"""Middleware of the core layer."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext

from core import health
from core.sessions import SESSION_SEEN, SESSION_STARTED

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": health.healthz,
    "/readyz": health.readyz,
}


class ProbeMiddleware:
    """Answers /healthz and /readyz first in the chain: before the host check, the HTTPS
    redirect, sessions and authentication, so a probe by IP address over plain HTTP gets an
    answer, and /healthz one that needs no database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)


# A background poll (templates/*/partials/_*status.html) sends this header: it is not activity.
POLL_HEADER = "X-Background-Poll"


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request, or
    SESSION_COOKIE_AGE seconds after it began however busy (settings/sessions.py).

    The last-seen time is written at most once per SESSION_ACTIVITY_RESOLUTION, so an active
    user does not cost a session write on every request, and background polls do not count:
    a page left open on a running import still times out. An ended session is signed out
    before the view runs: pages then send the visitor to the sign-in page, the API answers
    401/403, and an htmx request gets HX-Redirect to the sign-in page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            idle = seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT
            too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                return self._end(request, idle=idle)
            if started is None:
                request.session[SESSION_STARTED] = now
            polling = request.headers.get(POLL_HEADER) == "1"
            if seen is None or (not polling and now - seen >= settings.SESSION_ACTIVITY_RESOLUTION):
                request.session[SESSION_SEEN] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, *, idle: bool) -> HttpResponse:
        logout(request)
        if idle:
            minutes = max(1, settings.SESSION_IDLE_TIMEOUT // 60)
            message = ngettext(
                "You were signed out after %(minutes)d minute without activity.",
                "You were signed out after %(minutes)d minutes without activity.",
                minutes,
            ) % {"minutes": minutes}
        else:
            message = gettext("Your session has ended. Please sign in again.")
        messages.info(request, message)
        if request.headers.get("HX-Request") == "true":
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            page = current.path + (f"?{current.query}" if current.query else "")
            target = redirect_to_login(page or request.get_full_path()).url
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return self.get_response(request)
