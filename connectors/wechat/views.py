"""WeChat's push endpoint: authorization events and the messages of authorized mini-programs.

Thin: the account by its push key (404 without detail otherwise), the body read up to the
cap, then connectors.wechat.receive decides. No sign-in, no CSRF token (WeChat cannot send
one; the signature and the encryption are the authentication).
"""

from __future__ import annotations

import ipaddress
import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from audit.context import client_address

from .receive import MAX_BODY, account_for_push, receive_push


def _remote(request: HttpRequest) -> str | None:
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def _body(request: HttpRequest) -> bytes:
    """At most MAX_BODY + 1 bytes: enough to tell that a body is over the cap."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return b"\0" * (MAX_BODY + 1)
    return request.read(MAX_BODY + 1)


def _handle(request: HttpRequest, push_key: uuid.UUID, appid: str = "") -> HttpResponse:
    account = account_for_push(push_key)
    if account is None:
        raise Http404
    query = {k: request.GET.get(k, "") for k in ("timestamp", "nonce", "msg_signature")}
    received = receive_push(
        account, query=query, body=_body(request), remote_addr=_remote(request), url_appid=appid
    )
    if received.status == 200:
        return HttpResponse("success", content_type="text/plain")
    return HttpResponse(status=received.status, content_type="text/plain")


@csrf_exempt
@require_POST
def authorization_events(request: HttpRequest, push_key: uuid.UUID) -> HttpResponse:
    """component_verify_ticket, authorized, updateauthorized, unauthorized, and the
    platform-level notify_* events."""
    return _handle(request, push_key)


@csrf_exempt
@require_POST
def mini_program_messages(request: HttpRequest, push_key: uuid.UUID, appid: str) -> HttpResponse:
    """The message events of one authorized mini-program (WeChat puts its AppID in the URL)."""
    return _handle(request, push_key, appid[:64])
