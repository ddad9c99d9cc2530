"""Receiving one WeChat push: verify, decrypt, record, queue.

The endpoint is open to the internet (WeChat calls it), so every check is made before
anything is believed: the account by its push key, the timestamp's age, the signature
(constant-time), the decryption and the receiving AppID. Every push, refused or accepted, is
a PushEvent row without secrets; a refused one is also a WARNING log line without secrets.

The ticket or authorization code a push carries is a secret: it is never put in
`PushEvent.payload`. It is handed to the queued work as an encrypted ConnectorToken named
`push:<event id>` (the token store's own encryption), which the event handler reads once and
deletes (connectors.wechat.events).
"""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ConnectorAccount, ConnectorToken, PushEvent, PushOutcome
from . import crypto

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024

# Elements whose value is a secret: handed over encrypted, never kept in the payload.
SECRET_FIELDS = ("ComponentVerifyTicket", "AuthorizationCode")
# Elements kept in PushEvent.payload (an allow-list: an element WeChat adds later is dropped
# rather than risk keeping a secret).
PAYLOAD_FIELDS = frozenset(
    {
        "AppId",
        "CreateTime",
        "InfoType",
        "MsgType",
        "Event",
        "ToUserName",
        "AuthorizerAppid",
        "AuthorizationCodeExpiredTime",
        "authorizer_appid",
        "beian_status",
        "task_id",
        "verify_appid",
        "result",
        "along_with_auth_result",
        "appid",
        "expired",
        "message",
    }
)
# Where a message names its mini-program, in order of preference.
APPID_FIELDS = ("AuthorizerAppid", "authorizer_appid", "verify_appid", "appid")
SECRET_TOKEN_PREFIX = "push:"  # noqa: S105 (a name prefix, not a secret)
# How long an unprocessed secret is kept (a ticket is valid ~12 h, a code ~1 h).
SECRET_TTL = datetime.timedelta(hours=12)


@dataclass(frozen=True)
class Received:
    """What the endpoint answers: the outcome and the HTTP status."""

    outcome: str
    status: int
    event: PushEvent | None = None


REFUSAL_STATUS: dict[str, int] = {
    PushOutcome.FORGED: 403,
    PushOutcome.STALE: 403,
    PushOutcome.REPLAYED: 403,
    PushOutcome.UNDECRYPTABLE: 403,
    PushOutcome.MALFORMED: 400,
}


def account_for_push(push_key: uuid.UUID) -> ConnectorAccount | None:
    return ConnectorAccount.objects.filter(push_key=push_key, kind="wechat", enabled=True).first()


class _RefusedError(Exception):
    def __init__(self, outcome: str, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


def _int_or_none(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 2**62 else None


def _nul_free(value: str) -> str:
    return value.replace("\x00", "")


def receive_push(
    account: ConnectorAccount,
    *,
    query: dict[str, str],
    body: bytes,
    remote_addr: str | None,
    url_appid: str = "",
) -> Received:
    """Check and record one push; queue the accepted one's work once the row is committed."""
    timestamp = _int_or_none(query.get("timestamp", ""))
    nonce, signature = query.get("nonce", ""), query.get("msg_signature", "")
    base = {
        "account": account,
        "timestamp": timestamp,
        "nonce": _nul_free(nonce)[:64],
        "msg_signature": _nul_free(signature)[:64],
        "remote_addr": remote_addr,
        "appid": _nul_free(url_appid)[:64],
    }
    if any("\x00" in v for v in (nonce, signature, url_appid)):
        # PostgreSQL stores no NUL; no signature WeChat makes has one.
        return _refuse(base, PushOutcome.MALFORMED, "NUL in the query or the URL")
    try:
        fields, secrets = _open(account, query, body, timestamp)
    except _RefusedError as refusal:
        return _refuse(base, refusal.outcome, refusal.reason)
    fields = {k: _nul_free(v) for k, v in fields.items()}
    info_type = fields.get("InfoType") or fields.get("Event") or ""
    appid = next((fields[f] for f in APPID_FIELDS if fields.get(f)), url_appid)
    payload = {k: v for k, v in fields.items() if k in PAYLOAD_FIELDS}
    if url_appid:
        payload["url_appid"] = url_appid
    try:
        with transaction.atomic():
            event = PushEvent.objects.create(
                **{**base, "appid": appid[:64]},
                outcome=PushOutcome.ACCEPTED,
                info_type=info_type[:64],
                payload=payload,
            )
            if secrets:
                # Secrets of pushes never processed (the queue lost them) go in time.
                ConnectorToken.objects.filter(
                    account=account,
                    name__startswith=SECRET_TOKEN_PREFIX,
                    expires_at__lt=timezone.now(),
                ).delete()
                ConnectorToken.objects.create(
                    account=account,
                    name=f"{SECRET_TOKEN_PREFIX}{event.pk}",
                    value=secrets,
                    expires_at=timezone.now() + SECRET_TTL,
                )
    except IntegrityError:
        return _refuse(
            {**base, "appid": appid[:64]},
            PushOutcome.REPLAYED,
            "already accepted",
            info_type=info_type,
        )
    from ..tasks import push_task

    transaction.on_commit(lambda: push_task.delay(event.pk))
    return Received(PushOutcome.ACCEPTED, 200, event)


def _open(
    account: ConnectorAccount, query: dict[str, str], body: bytes, timestamp: int | None
) -> tuple[dict[str, str], str]:
    """The decrypted message's fields and its secret (JSON text, "" if none); _RefusedError with
    the outcome when any check fails."""
    nonce, given = query.get("nonce", ""), query.get("msg_signature", "")
    if timestamp is None or not nonce or not given:
        raise _RefusedError(PushOutcome.MALFORMED, "timestamp, nonce or msg_signature missing")
    if len(body) > MAX_BODY:
        raise _RefusedError(PushOutcome.MALFORMED, "body too large")
    try:
        outer = crypto.parse_xml(body)
    except crypto.XmlError as exc:
        raise _RefusedError(PushOutcome.MALFORMED, str(exc)) from None
    encrypted = outer.get("Encrypt", "")
    if not encrypted:
        raise _RefusedError(PushOutcome.MALFORMED, "no Encrypt element")
    age = abs(timezone.now().timestamp() - timestamp)
    if age > settings.CONNECTOR_PUSH_MAX_AGE:
        raise _RefusedError(PushOutcome.STALE, f"timestamp {int(age)} s away from now")
    values = account.credential_values()
    token, key = str(values.get("token", "")), str(values.get("encoding_aes_key", ""))
    component_appid = str(values.get("component_appid", ""))
    expected = crypto.signature(token, str(timestamp), nonce, encrypted)
    if not token or not crypto.signature_matches(expected, given):
        raise _RefusedError(PushOutcome.FORGED, "signature does not match")
    try:
        plain = crypto.decrypt(key, encrypted, appid=component_appid)
    except crypto.AppIdMismatchError:
        raise _RefusedError(PushOutcome.UNDECRYPTABLE, "encrypted for another AppID") from None
    except crypto.CryptoError as exc:
        raise _RefusedError(PushOutcome.UNDECRYPTABLE, str(exc)) from None
    try:
        fields = crypto.parse_xml(plain)
    except crypto.XmlError as exc:
        raise _RefusedError(PushOutcome.MALFORMED, f"decrypted message: {exc}") from None
    secret = {f: fields[f] for f in SECRET_FIELDS if fields.get(f)}
    return fields, json.dumps(secret) if secret else ""


def _refuse(base: dict, outcome: str, reason: str, *, info_type: str = "") -> Received:
    event = PushEvent.objects.create(**base, outcome=outcome, info_type=info_type[:64])
    account = base["account"]
    logger.warning(
        "WeChat push refused (%s: %s) for connector account %s from %s",
        outcome,
        reason,
        account.pk,
        base["remote_addr"] or "?",
    )
    return Received(outcome, REFUSAL_STATUS[outcome], event)


def take_push_secret(event: PushEvent) -> dict[str, str]:
    """The secret fields an accepted push carried, once: the token is deleted as it is read."""
    token = (
        ConnectorToken.objects.select_for_update()
        .filter(account_id=event.account_id, name=f"{SECRET_TOKEN_PREFIX}{event.pk}")
        .first()
    )
    if token is None:
        return {}
    value = token.value
    token.delete()
    try:
        data = json.loads(value or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
