"""Who is acting, and from where, for every audit entry written while a request (or a task
or command) runs.

The middleware keeps the request; the actor is read from it when an entry is written, not
when the request arrives: DRF authenticates a token only inside the view, and sets the user
on the underlying request then, so token requests get the right actor too. Without a request
(Celery tasks, management commands) the actor is `acting_as`'s label, or "system".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest

SYSTEM_LABEL = "system"
USER_AGENT_MAX = 300

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_label: ContextVar[str] = ContextVar("audit_actor_label", default="")
_user: ContextVar[Any] = ContextVar("audit_actor_user", default=None)


@contextlib.contextmanager
def request_context(request: HttpRequest) -> Iterator[None]:
    """Entries written inside the block take their actor and address from `request`."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextlib.contextmanager
def acting_as(label: str) -> Iterator[None]:
    """Entries written inside the block without a signed-in user name `label` as the actor
    (e.g. "connector:wechat", "import:42")."""
    token = _label.set(label)
    try:
        yield
    finally:
        _label.reset(token)


@contextlib.contextmanager
def acting_for(user: Any) -> Iterator[None]:
    """Entries written inside the block without a request name `user` as the actor: work a
    person started that a worker finishes (an import's commit)."""
    token = _user.set(user)
    try:
        yield
    finally:
        _user.reset(token)


def acting_label() -> str:
    """The label `acting_as` set for the running block ("" outside one)."""
    return _label.get()


def current_request() -> HttpRequest | None:
    return _request.get()


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind the reverse proxy the header the proxy
    sets itself (`ALLAUTH_TRUSTED_CLIENT_IP_HEADER`, production: X-Real-IP, which Caddy
    overwrites), the same address the sign-in throttle counts. Without that setting a
    header a client sends is never read."""
    if request is None:
        return None
    header = settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    if header:
        forwarded = str(request.headers.get(header, "")).split(",")[0].strip()
        if forwarded:
            return forwarded[:45]
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]


def request_user(request: HttpRequest | None) -> Any:
    """The signed-in user of `request` now (after DRF's authentication), or None."""
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def actor_fields(request: HttpRequest | None = None) -> dict[str, Any]:
    """actor, actor_label, remote_addr and user_agent of an entry written now."""
    request = request if request is not None else current_request()
    user = request_user(request) or _user.get()
    label = _label.get()
    if user is not None:
        label = user.get_username()
    elif not label:
        label = SYSTEM_LABEL if request is None else ""
    return {
        "actor": user,
        "actor_label": label,
        "remote_addr": client_address(request),
        "user_agent": user_agent(request),
    }
