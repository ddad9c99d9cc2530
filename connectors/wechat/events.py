"""What each accepted WeChat push does: a registry from InfoType (authorization-event URL) or
Event (message URL) to a handler, so a new event is one decorated function.

Called once per accepted push by connectors.pushes.process_push, inside its transaction and
acting as `connector:wechat`. Syncs are queued on commit. Element names, from WeChat's
documentation as the public SDKs (WxJava WxOpenXmlMessage, Senparc, SKIT) spell them:
ComponentVerifyTicket; AuthorizerAppid, AuthorizationCode; authorizer_appid, beian_status;
task_id, verify_appid, result; appid, expired, message.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from miniprograms.models import MiniProgram

from ..apply import open_finding
from ..models import (
    CertificationReview,
    ConnectorLink,
    FaceTaskState,
    FaceVerifyTask,
    FindingCode,
    LinkKind,
    PushEvent,
)
from .client import WeChatClient
from .receive import take_push_secret

logger = logging.getLogger(__name__)

Handler = Callable[[PushEvent], None]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = handler
        return handler

    return register


def handle_event(event: PushEvent) -> None:
    """Run the handler of the push's type; a type nobody handles is noted and left."""
    handler = HANDLERS.get(event.info_type)
    if handler is None:
        logger.info("WeChat push %s of type %r: nothing to do", event.pk, event.info_type)
        return
    handler(event)


def _queue_sync(event: PushEvent, appid: str) -> None:
    from ..tasks import sync_task

    account_id = event.account_id
    transaction.on_commit(
        lambda: sync_task.delay(account_id=account_id, trigger="push", only=appid)
    )


def _link(event: PushEvent, appid: str) -> ConnectorLink:
    link, _ = ConnectorLink.objects.get_or_create(
        account=event.account, kind=LinkKind.MINIPROGRAM, external_id=appid
    )
    return link


@handles("component_verify_ticket")
def _ticket(event: PushEvent) -> None:
    ticket = take_push_secret(event).get("ComponentVerifyTicket", "")
    if ticket:
        WeChatClient(event.account).store_ticket(ticket)


@handles("authorized", "updateauthorized")
def _authorized(event: PushEvent) -> None:
    code = take_push_secret(event).get("AuthorizationCode", "")
    if not code:
        return
    appid = WeChatClient(event.account).query_auth(code) or event.appid
    if not appid:
        return
    link = _link(event, appid)
    if link.gone_at is not None:  # authorized again after a revocation
        link.gone_at = None
        link.save(update_fields=["gone_at"])
    _queue_sync(event, appid)


@handles("unauthorized")
def _unauthorized(event: PushEvent) -> None:
    appid = event.appid
    if not appid:
        return
    link = _link(event, appid)
    if link.gone_at is None:
        link.gone_at = timezone.now()
        link.save(update_fields=["gone_at"])
    open_finding(event.account, link, FindingCode.REVOKED, appid, {"info_type": event.info_type})


@handles("notify_apply_icpfiling_result")
def _filing_result(event: PushEvent) -> None:
    appid = event.payload.get("authorizer_appid") or event.appid
    if appid:
        _queue_sync(event, appid)


FACE_RESULTS = {2: FaceTaskState.FAILED, 3: FaceTaskState.SUCCEEDED}


@handles("notify_icpfiling_verify_result")
def _face_result(event: PushEvent) -> None:
    task_id = str(event.payload.get("task_id", ""))
    try:
        result = int(event.payload.get("result", ""))
    except ValueError:
        result = 0
    state = FACE_RESULTS.get(result)
    task = (
        FaceVerifyTask.objects.select_for_update()
        .filter(account=event.account, task_id=task_id)
        .first()
    )
    if task is None or state is None:
        logger.warning("WeChat face-verification result for an unknown task or result (%s)", result)
        return
    if task.state in (FaceTaskState.SUCCEEDED, FaceTaskState.FAILED):
        return  # decided already (the same push, or the poll got there first)
    task.state = state
    task.face_status = result
    task.finished_at = timezone.now()
    task.save(update_fields=["state", "face_status", "finished_at"])


@handles("notify_3rd_wxa_wxverify")
def _certification_expiry(event: PushEvent) -> None:
    appid = event.payload.get("appid") or event.payload.get("url_appid") or event.appid
    try:
        expires = datetime.datetime.fromtimestamp(
            int(event.payload.get("expired", "")), tz=datetime.UTC
        )
    except (TypeError, ValueError, OverflowError, OSError):
        logger.warning("WeChat certification notice %s without a usable expiry", event.pk)
        return
    if not appid:
        return
    link = _link(event, appid)
    miniprogram = link.miniprogram or (
        MiniProgram.objects.filter(organization_id=event.account.organization_id, appid=appid)
        .order_by("pk")
        .first()
    )
    if miniprogram is None:
        open_finding(
            event.account, link, FindingCode.UNLINKED, appid, {"info_type": event.info_type}
        )
        return
    review = CertificationReview.objects.filter(
        account=event.account, miniprogram=miniprogram
    ).first() or CertificationReview(account=event.account, miniprogram=miniprogram)
    if review.pk is not None and review.expires_at != expires:
        review.renewed_on = None  # a new expiry: the review to do is a new one
    review.expires_at = expires
    review.notified_at = timezone.now()
    review.save()
