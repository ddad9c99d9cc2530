"""The kinds of chat bot and JSON hook an organization can send its reminders to.

A kind is one entry in WEBHOOK_KINDS: the value stored in `WebhookEndpoint.kind`, its label,
the apprise URL schemes it accepts, the only hosts it may reach, and how its request is built
and its answer read. The model field reads `webhook_kind_choices`, so a new kind is one entry
here and its translation: no migration.

The stored format stays the apprise URL (`wecombot://KEY`); apprise only parses it. The
request itself is built here and sent by core.egress (checked, pinned, capped), never by
apprise's plugins.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import egress


class WebhookURLError(Exception):
    """The stored URL cannot be used: not this kind's, not recognised, or unsafe."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WebhookRequest:
    """One POST: where, what, and for how long to wait for the answer."""

    url: str
    payload: dict[str, Any]
    headers: dict[str, str]
    timeout: float
    allow_hosts: frozenset[str] | None


Builder = Callable[[Any, str, str], tuple[str, dict[str, Any], dict[str, str]]]


@dataclass(frozen=True)
class WebhookKindSpec:
    """One kind of webhook: stored value, label, apprise schemes, allowed hosts, request."""

    value: str
    label: str | Promise
    schemes: tuple[str, ...]
    hosts: frozenset[str] | None  # None: any public host (generic JSON)
    build: Builder
    error_field: str = ""  # the vendor's JSON answer: non-zero here means refused


def _text(title: str, body: str) -> str:
    return f"{title}\r\n{body}" if title else body


def _wecom(obj: Any, title: str, body: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    url = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={quote(obj.key, safe='')}"
    return url, {"msgtype": "text", "text": {"content": _text(title, body)}}, {}


def dingtalk_signature(secret: str, timestamp: str) -> str:
    """DingTalk's `sign`: base64 HMAC-SHA256 of "timestamp\\nsecret", URL-quoted."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return quote(base64.b64encode(digest.digest()), safe="")


def _dingtalk(obj: Any, title: str, body: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    url = f"https://oapi.dingtalk.com/robot/send?access_token={quote(obj.token, safe='')}"
    if obj.secret:
        timestamp = str(round(time.time() * 1000))
        url += f"&timestamp={timestamp}&sign={dingtalk_signature(obj.secret, timestamp)}"
    payload = {
        "msgtype": "text",
        "text": {"content": _text(title, body)},
        "at": {"atMobiles": list(obj.targets or []), "isAtAll": False},
    }
    return url, payload, {}


def _feishu(obj: Any, title: str, body: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    url = f"https://open.feishu.cn/open-apis/bot/v2/hook/{quote(obj.token, safe='')}"
    return url, {"msg_type": "text", "content": {"text": _text(title, body)}}, {}


def _lark(obj: Any, title: str, body: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    url = f"https://open.larksuite.com/open-apis/bot/v2/hook/{quote(obj.token, safe='')}"
    return url, {"msg_type": "text", "content": {"text": _text(title, body)}}, {}


def _json(obj: Any, title: str, body: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    host = f"[{obj.host}]" if ":" in obj.host and not obj.host.startswith("[") else obj.host
    port = f":{obj.port}" if isinstance(obj.port, int) else ""
    url = f"{'https' if obj.secure else 'http'}://{host}{port}{obj.fullpath or '/'}"
    headers = {}
    if obj.user:
        auth = f"{obj.user}:{obj.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(auth).decode("ascii")
    # apprise's JSON payload (version 1.0)
    payload = {"version": "1.0", "title": title, "message": body, "attachments": [], "type": "info"}
    return url, payload, headers


WEBHOOK_KINDS: dict[str, WebhookKindSpec] = {
    spec.value: spec
    for spec in (
        WebhookKindSpec(
            "wecom",
            gettext_lazy("WeCom bot"),
            ("wecombot",),
            frozenset({"qyapi.weixin.qq.com"}),
            _wecom,
            "errcode",
        ),
        WebhookKindSpec(
            "dingtalk",
            gettext_lazy("DingTalk bot"),
            ("dingtalk",),
            frozenset({"oapi.dingtalk.com"}),
            _dingtalk,
            "errcode",
        ),
        WebhookKindSpec(
            "feishu",
            gettext_lazy("Feishu bot"),
            ("feishu",),
            frozenset({"open.feishu.cn"}),
            _feishu,
            "code",
        ),
        WebhookKindSpec(
            "lark",
            gettext_lazy("Lark bot"),
            ("lark",),
            frozenset({"open.larksuite.com"}),
            _lark,
            "code",
        ),
        WebhookKindSpec("json", gettext_lazy("Generic JSON"), ("json", "jsons"), None, _json),
    )
}


def webhook_kind_choices() -> list[tuple[str, str | Promise]]:
    """(value, label) of every webhook kind, for the model and form fields."""
    return [(spec.value, spec.label) for spec in WEBHOOK_KINDS.values()]


def webhook_schemes(kind: str) -> tuple[str, ...]:
    """The apprise URL schemes a webhook of `kind` accepts (none for an unknown kind)."""
    spec = WEBHOOK_KINDS.get(kind)
    return spec.schemes if spec else ()


def webhook_kind_for_url(url: str) -> str | None:
    """The kind whose scheme `url` uses (personal webhooks store no kind), or None."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    return next((k for k, spec in WEBHOOK_KINDS.items() if scheme in spec.schemes), None)


_OVERRIDE_PREFIXES = ("+", "-", ":", "%2b", "%2d", "%3a")


def _refuse_overrides(url: str, obj: Any) -> None:
    """apprise lets a JSON URL choose the method (`?method=GET`), headers (`+Name=`), query
    parameters (`-name=`) and payload fields (`:key=`): none of that is accepted."""
    keys = [part.split("=", 1)[0].lower() for part in urlsplit(url).query.split("&") if part]
    if (
        any(k == "method" or k.startswith(_OVERRIDE_PREFIXES) for k in keys)
        or obj.method != "POST"
        or obj.headers
        or obj.params
        or obj.payload_extras
    ):
        raise WebhookURLError(
            _(
                "A JSON webhook URL may not set the method, headers, query parameters or "
                "payload fields (?method=, +Header=, -param=, :key=)."
            )
        )


def _read_timeout(spec: WebhookKindSpec, url: str, obj: Any) -> float:
    if spec.hosts is not None:
        return float(settings.NOTIFICATIONS_WEBHOOK_VENDOR_TIMEOUT)
    explicit = "rto=" in urlsplit(url).query
    seconds = obj.socket_read_timeout if explicit else settings.NOTIFICATIONS_WEBHOOK_JSON_TIMEOUT
    return min(float(seconds), 30.0)


def webhook_request(
    url: str, *, kind: str | None = None, title: str = "", body: str = "", key: str = ""
) -> WebhookRequest:
    """The request a stored webhook URL means, after checking the URL fits `kind` (by default
    the kind of its scheme). `key` is sent as the Idempotency-Key header."""
    import apprise

    kind = kind or webhook_kind_for_url(url) or ""
    spec = WEBHOOK_KINDS.get(kind)
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if spec is None:  # a personal webhook whose scheme is no kind's
        raise WebhookURLError(_("This webhook URL is not recognised."))
    if scheme not in spec.schemes:
        raise WebhookURLError(
            _("Use a URL starting with %(s)s://.") % {"s": "://, ".join(spec.schemes)}
        )
    obj = apprise.Apprise.instantiate(url)
    if obj is None:
        if spec.hosts is None:  # name the address when apprise cannot read it (`0177.0.0.1`)
            try:
                egress.check_url("http" + url[url.index("://") :], lookup=False)
            except egress.EgressError as exc:
                raise WebhookURLError(exc.message) from None
        raise WebhookURLError(_("This webhook URL is not recognised."))
    if spec.hosts is None:
        _refuse_overrides(url, obj)
    target, payload, headers = spec.build(obj, title, body)
    if key:
        headers["Idempotency-Key"] = key
    return WebhookRequest(target, payload, headers, _read_timeout(spec, url, obj), spec.hosts)


def webhook_url_check(url: str, *, kind: str | None = None, lookup: bool = True) -> None:
    """Refuse a webhook URL that does not fit its kind or would reach a non-public host
    (`lookup=False`: literal addresses and names only, no DNS)."""
    req = webhook_request(url, kind=kind)
    try:
        egress.check_url(req.url, allow_hosts=req.allow_hosts, lookup=lookup)
    except egress.EgressError as exc:
        raise WebhookURLError(exc.message) from None


def webhook_answer_error(kind: str, response: egress.Response) -> str | None:
    """Why the receiver's answer means "not delivered", or None."""
    if not 200 <= response.status < 300:
        return _("HTTP %(status)d") % {"status": response.status}
    spec = WEBHOOK_KINDS.get(kind)
    if spec is None or not spec.error_field:
        return None
    try:
        answer = response.json()
    except ValueError:
        return _("the answer is not JSON")
    code = answer.get(spec.error_field, 0) if isinstance(answer, dict) else 0
    if code not in (0, None):
        message = answer.get("errmsg") or answer.get("msg") or ""
        return f"{spec.error_field}={code} {message}".strip()
    return None
