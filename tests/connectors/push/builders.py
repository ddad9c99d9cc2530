"""Signed, encrypted WeChat pushes for tests and fakes, made as WeChat makes them."""

from __future__ import annotations

import secrets
import time
from typing import Any

from connectors.wechat import crypto


def message_xml(fields: dict[str, Any]) -> bytes:
    """A flat WeChat message: <xml><Name><![CDATA[value]]></Name>…</xml>."""
    parts = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
    return f"<xml>{parts}</xml>".encode()


TICKET = "ticket@@@Xy9-secret-verify-ticket-value"


def ticket_xml(account: Any, ticket: str = TICKET) -> bytes:
    """The component_verify_ticket message WeChat pushes every ten minutes."""
    return message_xml(
        {
            "AppId": account.credential_values()["component_appid"],
            "CreateTime": int(time.time()),
            "InfoType": "component_verify_ticket",
            "ComponentVerifyTicket": ticket,
        }
    )


def signed_push(
    account: Any,
    xml: bytes | str,
    *,
    appid: str | None = None,
    timestamp: int | str | None = None,
    nonce: str | None = None,
) -> tuple[dict[str, str], bytes]:
    """(query parameters, body) of a push of `xml` to `account`, signed with its token and
    encrypted with its EncodingAESKey for receiver `appid` (default: its component AppID)."""
    values = account.credential_values()
    message = xml.encode() if isinstance(xml, str) else xml
    receiver = values["component_appid"] if appid is None else appid
    encrypted = crypto.encrypt(values["encoding_aes_key"], message, appid=receiver)
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or str(secrets.randbelow(10**10))
    query = {
        "timestamp": ts,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": crypto.signature(values["token"], ts, nonce, encrypted),
    }
    body = (
        f"<xml><AppId><![CDATA[{receiver}]]></AppId>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    ).encode()
    return query, body
