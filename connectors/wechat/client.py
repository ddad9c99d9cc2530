"""WeChat open-platform client of one connector account: the token chain, the calls, and
WeChat's error codes as connectors.errors.

Token chain (channels.md): the pushed `component_verify_ticket` → `api_component_token` →
the component access token → `api_authorizer_token` with each mini-program's refresh token →
its authorizer access token. Every value is a ConnectorToken row (encrypted, with its expiry)
and is reused until five minutes before it expires. The rows of the account are read once per
client (one query), so a sync of a thousand mini-programs does not ask the database for each
token. A token WeChat calls invalid or expired (40001/42001/40014) is dropped, renewed and the
call repeated once; a second refusal is an error.

Nothing secret leaves this module: the exception messages are scrubbed of every credential
and token the client knows, and urllib3's debug log lines have `access_token=` values masked
(WeChat wants the tokens in the query string).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import http
from ..credentials import MASK
from ..errors import TokenExpiredError, TransportError, VendorError
from ..models import ConnectorAccount, ConnectorToken
from .codes import check, no_ticket_error, refused_twice

logger = logging.getLogger(__name__)

TICKET = "component_verify_ticket"
COMPONENT = "component_access_token"
TICKET_LIFETIME = datetime.timedelta(hours=12)
PAGE = 500  # api_get_authorizer_list: at most 500 per call


def access_name(appid: str) -> str:
    return f"authorizer_access_token:{appid}"


def refresh_name(appid: str) -> str:
    return f"authorizer_refresh_token:{appid}"


_TOKEN_IN_URL = re.compile(r"((?:component_)?access_token=)[^&\s\"']+")


class _MaskTokensInUrls(logging.Filter):
    """urllib3 logs each request line (path and query) at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_URL.sub(rf"\1{MASK}", a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_URL.sub(rf"\1{MASK}", record.msg)
        return True


def _install_log_filter() -> None:
    target = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _MaskTokensInUrls) for f in target.filters):
        target.addFilter(_MaskTokensInUrls())


_install_log_filter()


class WeChatClient:
    def __init__(self, account: ConnectorAccount) -> None:
        self.account = account
        self.base = settings.CONNECTOR_WECHAT_API_BASE.rstrip("/")
        self.hosts = frozenset({http.host_of(self.base)})
        values = account.credential_values()
        self.component_appid = str(values.get("component_appid", ""))
        self._appsecret = str(values.get("component_appsecret", ""))
        self._secrets: set[str] = {
            str(v) for k, v in values.items() if v and k != "component_appid"
        }
        self._tokens: dict[str, ConnectorToken] | None = None

    # -- stored tokens -------------------------------------------------------------------

    def _stored(self) -> dict[str, ConnectorToken]:
        if self._tokens is None:
            self._tokens = {t.name: t for t in ConnectorToken.objects.filter(account=self.account)}
            self._secrets.update(t.value for t in self._tokens.values() if t.value)
        return self._tokens

    def _fresh(self, name: str) -> str:
        token = self._stored().get(name)
        return token.value if token is not None and token.is_fresh() else ""

    def _keep(self, values: Mapping[str, tuple[str, datetime.datetime | None]]) -> None:
        """Store {name: (value, expires_at)} in one statement (insert or update)."""
        if not values:
            return
        rows = [
            ConnectorToken(account=self.account, name=name, value=value, expires_at=expires)
            for name, (value, expires) in values.items()
        ]
        ConnectorToken.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["account", "name"],
            update_fields=["value", "expires_at", "updated_at"],
        )
        stored = self._stored()
        for row in rows:
            stored[row.name] = row
            self._secrets.add(row.value)

    def _forget(self, name: str) -> None:
        ConnectorToken.objects.filter(account=self.account, name=name).delete()
        self._stored().pop(name, None)

    @staticmethod
    def _expiry(data: dict[str, Any]) -> datetime.datetime:
        try:
            seconds = int(data.get("expires_in") or 7200)
        except (TypeError, ValueError):
            seconds = 7200
        return timezone.now() + datetime.timedelta(seconds=seconds)

    def _scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if len(secret) >= 6:
                text = text.replace(secret, MASK)
        return _TOKEN_IN_URL.sub(rf"\1{MASK}", text)

    # -- transport -----------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, query: dict[str, str], body: Any = None
    ) -> dict[str, Any]:
        url = f"{self.base}{path}"
        if query:
            url = f"{url}?{urlencode(query)}"
        try:
            _status, data = http.call(method, url, hosts=self.hosts, json_body=body)
        except TransportError as exc:
            raise TransportError(self._scrub(exc.message), code=exc.code) from None
        return check(data, scrub=self._scrub)

    def _retrying(
        self,
        name: str,
        token: Callable[[], str],
        param: str,
        method: str,
        path: str,
        body: Any = None,
    ) -> dict[str, Any]:
        """Call with the token `name`; a refused token is renewed and the call made once more."""
        for attempt in (1, 2):
            try:
                return self._call(method, path, query={param: token()}, body=body)
            except TokenExpiredError as exc:
                self._forget(name)
                logger.info("connector %s: %s refused, renewing it", self.account.pk, name)
                if attempt == 2:
                    raise refused_twice(exc.code) from None
        raise AssertionError("unreachable")

    def _component_call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._retrying(
            COMPONENT, self.component_token, "component_access_token", "POST", path, body
        )

    def _app_call(self, appid: str, method: str, path: str, body: Any = None) -> dict[str, Any]:
        return self._retrying(
            access_name(appid), lambda: self.authorizer_token(appid), "access_token", method,
            path, body,
        )  # fmt: skip

    # -- token chain ---------------------------------------------------------------------

    def store_ticket(self, ticket: str) -> None:
        """Keep the pushed component_verify_ticket (encrypted, ~12 h)."""
        self._keep({TICKET: (ticket, timezone.now() + TICKET_LIFETIME)})

    def component_token(self) -> str:
        value = self._fresh(COMPONENT)
        if value:
            return value
        ticket = self._stored().get(TICKET)
        if ticket is None or not ticket.value:
            raise no_ticket_error()
        data = self._call(
            "POST",
            "/cgi-bin/component/api_component_token",
            query={},
            body={
                "component_appid": self.component_appid,
                "component_appsecret": self._appsecret,
                "component_verify_ticket": ticket.value,
            },
        )
        value = str(data.get("component_access_token") or "")
        if not value:
            raise VendorError(_("WeChat's answer has no component access token."))
        self._keep({COMPONENT: (value, self._expiry(data))})
        logger.info("connector %s: component access token renewed", self.account.pk)
        return value

    def authorizer_token(self, appid: str) -> str:
        value = self._fresh(access_name(appid))
        if value:
            return value
        refresh = self._stored().get(refresh_name(appid))
        if refresh is None or not refresh.value:
            self.authorizers()  # the list carries every authorizer's refresh token
            refresh = self._stored().get(refresh_name(appid))
        if refresh is None or not refresh.value:
            raise VendorError(
                _("%(appid)s has not authorized this platform (WeChat lists no such authorizer).")
                % {"appid": appid}
            )
        data = self._component_call(
            "/cgi-bin/component/api_authorizer_token",
            {
                "component_appid": self.component_appid,
                "authorizer_appid": appid,
                "authorizer_refresh_token": refresh.value,
            },
        )
        return self._keep_authorizer(appid, data, previous_refresh=refresh.value)

    def _keep_authorizer(self, appid: str, data: dict[str, Any], *, previous_refresh: str) -> str:
        value = str(data.get("authorizer_access_token") or "")
        if not value:
            raise VendorError(_("WeChat's answer has no authorizer access token."))
        keep: dict[str, tuple[str, datetime.datetime | None]] = {
            access_name(appid): (value, self._expiry(data))
        }
        new_refresh = str(data.get("authorizer_refresh_token") or "")
        if new_refresh and new_refresh != previous_refresh:
            keep[refresh_name(appid)] = (new_refresh, None)
        self._keep(keep)
        return value

    def query_auth(self, authorization_code: str) -> str:
        """Exchange an authorization code (authorized event): stores the authorizer's refresh
        token; returns the authorizer AppID."""
        data = self._component_call(
            "/cgi-bin/component/api_query_auth",
            {"component_appid": self.component_appid, "authorization_code": authorization_code},
        )
        info = data.get("authorization_info")
        info = info if isinstance(info, dict) else {}
        appid = str(info.get("authorizer_appid") or "")
        if not appid:
            raise VendorError(_("WeChat's answer names no authorizer."))
        self._keep_authorizer(appid, info, previous_refresh="")
        return appid

    def authorizers(self) -> list[dict[str, Any]]:
        """Every authorizer: [{"authorizer_appid", "auth_time"}] (refresh tokens stored)."""
        found: list[dict[str, Any]] = []
        refresh: dict[str, str] = {}
        offset = 0
        while True:
            data = self._component_call(
                "/cgi-bin/component/api_get_authorizer_list",
                {"component_appid": self.component_appid, "offset": offset, "count": PAGE},
            )
            items = data.get("list") or []
            if not isinstance(items, list):
                raise VendorError(_("WeChat's list of authorizers is not a list."))
            for item in items:
                if not isinstance(item, dict):
                    continue
                appid = str(item.get("authorizer_appid") or "")
                if not appid:
                    continue
                found.append({"authorizer_appid": appid, "auth_time": item.get("auth_time")})
                if item.get("refresh_token"):
                    refresh[appid] = str(item["refresh_token"])
            offset += len(items)
            total = data.get("total_count")
            if not items or not isinstance(total, int) or offset >= total:
                break
        stored = self._stored()
        changed = {
            refresh_name(appid): (value, None)
            for appid, value in refresh.items()
            if getattr(stored.get(refresh_name(appid)), "value", None) != value
        }
        self._keep(changed)
        return found

    # -- filing calls --------------------------------------------------------------------

    def entrance_info(self, appid: str) -> dict[str, Any]:
        """`/wxa/icp/get_icp_entrance_info` → its `info` object."""
        data = self._app_call(appid, "GET", "/wxa/icp/get_icp_entrance_info")
        info = data.get("info")
        return info if isinstance(info, dict) else {}

    def online_order(self, appid: str) -> dict[str, Any]:
        """`/wxa/icp/get_online_icp_order` → the answer without errcode/errmsg."""
        data = self._app_call(appid, "GET", "/wxa/icp/get_online_icp_order")
        return {k: v for k, v in data.items() if k not in ("errcode", "errmsg")}

    def create_verify_task(self, appid: str, *, along_with_auth: bool = False) -> str:
        """`/wxa/icp/create_icp_verifytask` → task_id."""
        data = self._app_call(
            appid, "POST", "/wxa/icp/create_icp_verifytask", {"along_with_auth": along_with_auth}
        )
        task_id = str(data.get("task_id") or "")
        if not task_id:
            raise VendorError(_("WeChat's answer has no task id."))
        return task_id

    def query_verify_task(self, appid: str, task_id: str) -> dict[str, Any]:
        """`/wxa/icp/query_icp_verifytask` → {"is_finish": bool, "face_status": int}."""
        data = self._app_call(appid, "POST", "/wxa/icp/query_icp_verifytask", {"task_id": task_id})
        try:
            face_status = int(data.get("face_status") or 0)
        except (TypeError, ValueError):
            face_status = 0
        return {"is_finish": bool(data.get("is_finish")), "face_status": face_status}
