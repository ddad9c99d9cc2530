"""WeCom's server API as the sign-in needs it: the corp access token (cached for its lifetime),
the identity behind a sign-in code, and the member's name and e-mail.

Every call goes through the social account adapter's requests session (the egress guard).
WeCom answers HTTP 200 with `errcode`; anything but 0 is an `OAuth2Error` that names the code
and never the secret or a token.
"""

from __future__ import annotations

import hashlib
from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.core.cache import cache

API = "https://qyapi.weixin.qq.com/cgi-bin"
GETTOKEN_URL = f"{API}/gettoken"
USERINFO_URL = f"{API}/auth/getuserinfo"
USER_GET_URL = f"{API}/user/get"

# The corp token is dropped this many seconds before WeCom says it expires.
EXPIRY_MARGIN = 300
# errcodes meaning the corp token is no longer valid: fetch a new one and ask again, once.
STALE_TOKEN_ERRORS = frozenset({40014, 42001})
# What is kept of a member's directory entry (no mobile, gender, address…).
PROFILE_FIELDS = ("name", "alias", "email", "biz_mail")


class WeComError(OAuth2Error):
    """WeCom answered with an errcode other than 0 (or not at all)."""

    def __init__(self, what: str, errcode: int | None = None, errmsg: str = "") -> None:
        self.errcode = errcode
        detail = f"errcode {errcode}: {errmsg}" if errcode is not None else errmsg
        super().__init__(f"WeCom {what} failed ({detail})")


def _call(what: str, url: str, params: dict[str, str]) -> dict[str, Any]:
    try:
        with get_adapter().get_requests_session() as session:
            resp = session.get(url, params=params)
            resp.raise_for_status()
            data = resp.json()
    except (requests.RequestException, ValueError) as exc:
        # The URL carries the secret or a token: name only the kind of failure.
        raise WeComError(what, errmsg=type(exc).__name__) from None
    if not isinstance(data, dict):
        raise WeComError(what, errmsg="unexpected answer")
    try:
        errcode = int(data.get("errcode") or 0)
    except (TypeError, ValueError):
        raise WeComError(what, errmsg="unexpected answer") from None
    if errcode != 0:
        raise WeComError(what, errcode, str(data.get("errmsg", ""))[:200])
    return data


def _cache_key(corp_id: str, secret: str) -> str:
    # A new secret never reuses the old secret's token.
    digest = hashlib.sha256(f"{corp_id}\0{secret}".encode()).hexdigest()[:24]
    return f"signin:wecom:corp-token:{digest}"


def corp_access_token(corp_id: str, secret: str, *, fresh: bool = False) -> str:
    """The corp access token of (corp_id, secret), from the cache unless fresh or expired."""
    key = _cache_key(corp_id, secret)
    if not fresh:
        token = cache.get(key)
        if token:
            return token
    data = _call("gettoken", GETTOKEN_URL, {"corpid": corp_id, "corpsecret": secret})
    token = str(data.get("access_token") or "")
    if not token:
        raise WeComError("gettoken", errmsg="no access_token")
    lifetime = int(data.get("expires_in") or 7200)
    cache.set(key, token, timeout=max(lifetime - EXPIRY_MARGIN, 60))
    return token


def _with_corp_token(what: str, url: str, corp_id: str, secret: str, params: dict[str, str]):
    token = corp_access_token(corp_id, secret)
    try:
        return _call(what, url, {"access_token": token, **params})
    except WeComError as exc:
        if exc.errcode not in STALE_TOKEN_ERRORS:
            raise
    token = corp_access_token(corp_id, secret, fresh=True)
    return _call(what, url, {"access_token": token, **params})


def identity(corp_id: str, secret: str, code: str) -> dict[str, Any]:
    """The member a sign-in code stands for: {"corpid", "userid"} plus what the directory
    tells of them (name, e-mail; a directory error leaves those out)."""
    info = _with_corp_token("getuserinfo", USERINFO_URL, corp_id, secret, {"code": code})
    userid = str(info.get("userid") or info.get("UserId") or "")
    if not userid:
        # An "openid" only: someone outside the corp.
        raise WeComError("getuserinfo", errmsg="not a member of this corp")
    data: dict[str, Any] = {"corpid": corp_id, "userid": userid}
    try:
        member = _with_corp_token("user/get", USER_GET_URL, corp_id, secret, {"userid": userid})
    except WeComError:
        return data  # the app may not read the directory: the identity is enough
    data.update({k: member[k] for k in PROFILE_FIELDS if member.get(k)})
    return data
