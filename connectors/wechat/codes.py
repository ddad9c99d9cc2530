"""WeChat's error codes as connectors.errors.

WeChat answers `{errcode, errmsg}` (HTTP 200 either way); `errcode` 0 or absent is success.
The codes below are the ones the documentation and the public SDKs (WxJava, SKIT) name, and
community reports of the third-party-platform calls; each is marked where only the latter
confirm it. A code not listed is a VendorError about the one object: recorded, the sync goes on.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ConnectorError, CredentialError, QuotaError, TokenExpiredError, VendorError

BEIJING = ZoneInfo("Asia/Shanghai")

# The access token the call carried is invalid or expired: refresh it once, repeat the call.
# 40001 invalid credential, 42001 access_token expired, 40014 invalid access_token.
TOKEN_CODES = frozenset({40001, 40014, 42001})

DAILY_QUOTA = 45009  # reach max api daily quota limit (resets at midnight Beijing time)
MINUTE_QUOTA = 45011  # api minute-quota reach limit


def _credential_messages() -> Mapping[int, Callable[[], str]]:
    # What a person must fix, per code (translated when raised).
    return MappingProxyType(
        {
            40013: lambda: _(
                "WeChat does not know the component AppID: check it in the connector's "
                "credentials (open platform, third-party platform details)."
            ),
            40125: lambda: _(
                "WeChat refused the component AppSecret: copy the current one from the open "
                "platform (reset it there if unsure) into the connector's credentials."
            ),
            61004: lambda: _(
                "WeChat refused the call from this server's address: add the server's public "
                "IP address to the platform's IP whitelist in the open platform."
            ),
            # 61003 "component is not authorized by this account" (community reports, [U]).
            61003: lambda: _(
                "WeChat says the platform is not authorized by this account: the client must "
                "authorize the platform again (with the filing permission sets)."
            ),
            61005: lambda: _(
                "The component_verify_ticket has expired: check that the authorization-event "
                "URL receives WeChat's pushes (every 10 minutes)."
            ),
            61006: lambda: _(
                "WeChat refused the component_verify_ticket: check that the authorization-event "
                "URL is this connector's push URL and that its token and EncodingAESKey match."
            ),
            61023: lambda: _(
                "WeChat refused a mini-program's refresh token: the client may have revoked the "
                "authorization; ask them to authorize the platform again."
            ),
        }
    )


CREDENTIAL_MESSAGES = _credential_messages()


def next_beijing_midnight(now: datetime.datetime | None = None) -> datetime.datetime:
    """When WeChat's daily quota resets: the next 00:00 in Beijing time."""
    local = timezone.localtime(now or timezone.now(), BEIJING)
    tomorrow = local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, datetime.time(0, 0), tzinfo=BEIJING)


def no_ticket_error() -> CredentialError:
    return CredentialError(
        _(
            "No component_verify_ticket received yet: register this connector's push URL as "
            "the platform's authorization-event URL in the WeChat open platform, then wait up "
            "to 10 minutes for WeChat to push the ticket."
        ),
        code="no_ticket",
    )


def check(data: Any, *, scrub: Callable[[str], str]) -> dict[str, Any]:
    """The answer when it is a success; else the matching ConnectorError (messages scrubbed
    of any secret the vendor might echo)."""
    if not isinstance(data, dict):
        raise VendorError(_("WeChat's answer is not a JSON object."))
    try:
        code = int(data.get("errcode") or 0)
    except (TypeError, ValueError):
        code = -2
    if code == 0:
        return data
    errmsg = scrub(str(data.get("errmsg") or ""))[:300]
    if code in TOKEN_CODES:
        raise TokenExpiredError(
            _("WeChat refused the access token (errcode %(code)d).") % {"code": code}, code=code
        )
    if code == DAILY_QUOTA:
        raise QuotaError(
            _("WeChat's daily call quota is spent (errcode 45009); the sync resumes at midnight."),
            until=next_beijing_midnight(),
            code=code,
        )
    if code == MINUTE_QUOTA:
        raise QuotaError(
            _("WeChat's per-minute quota is spent (errcode 45011); the sync resumes in a minute."),
            until=timezone.now() + datetime.timedelta(seconds=60),
            code=code,
        )
    message = CREDENTIAL_MESSAGES.get(code)
    if message is not None:
        raise CredentialError(f"{message()} (errcode {code}: {errmsg})", code=code)
    raise VendorError(
        _("WeChat answered errcode %(code)d: %(errmsg)s") % {"code": code, "errmsg": errmsg},
        code=code,
    )


def refused_twice(code: str | int | None) -> ConnectorError:
    return ConnectorError(
        _(
            "WeChat refused a freshly issued access token (errcode %(code)s) after one refresh; "
            "the call was not repeated again."
        )
        % {"code": code},
        code=code,
    )
