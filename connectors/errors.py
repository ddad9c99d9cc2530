"""What can go wrong talking to a vendor, as the sync runner needs to tell it apart."""

from __future__ import annotations

import datetime


class ConnectorError(Exception):
    """A call failed; the message is safe to show and store (no secrets)."""

    def __init__(self, message: str, *, code: str | int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class CredentialError(ConnectorError):
    """The vendor refused the account's credentials (WeChat 40013/40125/61004…, Tencent Cloud
    AuthFailure / UnauthorizedOperation): nothing will work until a person fixes them."""


class TokenExpiredError(ConnectorError):
    """The access token the call used is invalid or expired (WeChat 40001/42001): refresh it
    once and repeat the call."""


class QuotaError(ConnectorError):
    """The vendor's quota is spent (WeChat 45009/45011, Tencent Cloud RequestLimitExceeded):
    call nothing before `until`."""

    def __init__(self, message: str, *, until: datetime.datetime, code: str | int | None = None):
        super().__init__(message, code=code)
        self.until = until


class VendorError(ConnectorError):
    """The vendor answered with an error about this one object: record it, go on."""


class TransportError(ConnectorError):
    """The vendor could not be reached (refused by the egress guard, DNS, timeout, 5xx)."""
