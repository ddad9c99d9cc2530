"""Keeps the request for the audit entries written while it runs (audit.context)."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.cid import set_cid
from django.http import HttpRequest, HttpResponse

from .context import request_context


class AuditContextMiddleware:
    """After AuthenticationMiddleware. Unlike auditlog's own middleware it reads the actor when
    an entry is written (token users exist only then) and never trusts X-Forwarded-For."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_cid(request)
        with request_context(request):
            return self.get_response(request)
