"""Tencent Cloud filing API (`ba`, 2020-07-20) client of one connector account.

Every call is a signed POST (connectors.tencent.tc3) through `connectors.http.call`, to the
host of `settings.CONNECTOR_TENCENT_API_BASE` only. An answer is `{"Response": {...}}`; a failed
call carries `Response.Error {Code, Message}` (HTTP 200), mapped here:

- `AuthFailure.*`, `UnauthorizedOperation*` → CredentialError (nothing works until a person
  fixes the keys or their `ba` permission; the ba actions are authorized per action in CAM);
- `RequestLimitExceeded*` → QuotaError. The documented limits are per second (N requests a
  second per action), so the window is one second; we back off a full minute, which covers it
  and keeps a run from hammering the account;
- anything else → VendorError with the code and the message.

Field names of the answers: PassedCount/PendingCount, IcpOrderId ("" when no order is in
flight), TotalCount/Rows, Result (a JSON string), ProvinceRules and the four booleans GovStatus,
LandedStatus, AuditTicket, Ban were confirmed in public material describing real answers; the
actions are not in the public SDKs (their models cover only three ba actions). What is read
beyond those is marked [U] where it is read.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import http
from ..errors import CredentialError, QuotaError, TransportError, VendorError
from ..models import ConnectorAccount
from . import tc3

logger = logging.getLogger(__name__)

SERVICE = "ba"
VERSION = "2020-07-20"
QUOTA_BACKOFF = datetime.timedelta(seconds=60)
PAGE_SIZE = 100
MAX_PAGES = 50  # 5,000 orders: far more than one entity files; a loop guard, not a limit
MESSAGE_MAX = 300

CREDENTIAL_PREFIXES = ("AuthFailure", "UnauthorizedOperation")
QUOTA_PREFIXES = ("RequestLimitExceeded",)


def _count(answer: dict[str, Any], name: str) -> int:
    """A count field of an answer; a malformed one is the vendor's error, not a crash."""
    value = answer.get(name) or 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise VendorError(
            _("Tencent Cloud answered %(field)s = “%(value)s”, not a number.")
            % {"field": name, "value": str(value)[:40]}
        ) from None


class TencentClient:
    """Signs and sends one action at a time; answers of the account-wide reads are cached for
    the life of the client (one sync run), so N domains cost one order look-up, not N."""

    def __init__(self, account: ConnectorAccount, *, now: Any = None) -> None:
        self.account = account
        values = account.credential_values()
        self._secret_id = str(values.get("secret_id", ""))
        self._secret_key = str(values.get("secret_key", ""))
        self.base_url = settings.CONNECTOR_TENCENT_API_BASE.rstrip("/")
        self.host = http.host_of(self.base_url)
        self._now = now or time.time
        self._cache: dict[str, Any] = {}
        self._last_signature = ""

    # -- transport -------------------------------------------------------------------------

    def _host_header(self) -> str:
        """The Host the request carries (and the signature covers): the base URL's netloc."""
        netloc = self.base_url.split("://", 1)[-1].split("/", 1)[0]
        return netloc.lower()

    def scrub(self, text: str) -> str:
        """A vendor text safe to store: no key, no signature, bounded."""
        for secret in (self._secret_key, self._last_signature, self._secret_id):
            if secret:
                text = text.replace(secret, "••••••••")
        return text[:MESSAGE_MAX]

    def call(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send `action` with `params`; the answer's `Response` object, or a ConnectorError."""
        if not self._secret_id or not self._secret_key:
            raise CredentialError(_("The SecretId or the SecretKey is missing."))
        payload = json.dumps(params or {}, ensure_ascii=False, separators=(",", ":")).encode()
        signed = tc3.sign(
            secret_id=self._secret_id,
            secret_key=self._secret_key,
            service=SERVICE,
            host=self._host_header(),
            action=action,
            version=VERSION,
            payload=payload,
            timestamp=int(self._now()),
        )
        self._last_signature = signed.signature
        _status, data = http.call(
            "POST", self.base_url + "/", hosts=frozenset({self.host}), body=payload,
            headers=signed.headers,
        )  # fmt: skip
        response = data.get("Response") if isinstance(data, dict) else None
        if not isinstance(response, dict):
            raise TransportError(
                _("The answer of %(action)s has no Response.") % {"action": action}
            )
        error = response.get("Error")
        if isinstance(error, dict):
            raise self._error(action, str(error.get("Code", "")), str(error.get("Message", "")))
        return response

    def _error(self, action: str, code: str, message: str) -> Exception:
        code, message = self.scrub(code)[:100], self.scrub(message)
        logger.info("tencent_cloud account %s: %s answered %s", self.account.pk, action, code)
        if code == "AuthFailure.SignatureExpire":
            # Refused like bad keys (nothing works until fixed), but the keys are not the cause.
            return CredentialError(
                _(
                    "Tencent Cloud refused the request's time (%(code)s): this server's clock "
                    "is more than five minutes off."
                )
                % {"code": code},
                code=code,
            )
        if code.startswith(CREDENTIAL_PREFIXES):
            return CredentialError(
                _(
                    "Tencent Cloud refused the keys (%(code)s): these keys do not belong to the "
                    "filing entity's account, or lack the `ba` (ICP filing) read permission. "
                    "Use an API key of the account that filed, allowed to read ba."
                )
                % {"code": code},
                code=code,
            )
        if code.startswith(QUOTA_PREFIXES):
            return QuotaError(
                _("Tencent Cloud's request limit is reached (%(code)s); retrying later.")
                % {"code": code},
                until=timezone.now() + QUOTA_BACKOFF,
                code=code,
            )
        return VendorError(
            _("Tencent Cloud answered %(action)s with %(code)s: %(message)s")
            % {"action": action, "code": code or "?", "message": message},
            code=code,
        )

    def _cached(self, key: str, fetch: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = fetch()
        return self._cache[key]

    # -- the read actions ------------------------------------------------------------------

    def last_order_in_progress(self) -> str:
        """DescribeLastIcpOrderInProgress → the IcpOrderId in flight, "" when none."""
        return self._cached(
            "last_order",
            lambda: str(self.call("DescribeLastIcpOrderInProgress").get("IcpOrderId") or ""),
        )

    def orders(self) -> list[dict[str, Any]]:
        """DescribeIcpOrders, every page (Offset/Limit; TotalCount, Rows)."""

        def fetch() -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            for page in range(MAX_PAGES):
                answer = self.call(
                    "DescribeIcpOrders", {"Offset": page * PAGE_SIZE, "Limit": PAGE_SIZE}
                )
                batch = [r for r in answer.get("Rows") or [] if isinstance(r, dict)]
                rows.extend(batch)
                total = _count(answer, "TotalCount")
                if not batch or len(rows) >= total:
                    break
            return rows

        return self._cached("orders", fetch)

    def user_summary(self) -> dict[str, int]:
        """DescribeUserSummary → {"PassedCount", "PendingCount"}."""
        answer = self.call("DescribeUserSummary")
        return {
            "PassedCount": _count(answer, "PassedCount"),
            "PendingCount": _count(answer, "PendingCount"),
        }

    def evaluate_audit_days(self) -> dict[str, Any]:
        """DescribeEvaluateAuditDays → {province code: what the answer says of it}.

        `Result` is a JSON string of province code → expected review days; its exact shape is
        [U]: a mapping, or a list of objects carrying `ProvinceCode`, are both read, and each
        entry is kept as given (information for people, never computed with)."""

        def fetch() -> dict[str, Any]:
            result = self.call("DescribeEvaluateAuditDays").get("Result")
            try:
                data = json.loads(result) if isinstance(result, str) else result
            except ValueError:
                return {}
            if isinstance(data, dict):
                return {str(k): v for k, v in data.items()}
            if isinstance(data, list):
                return {
                    str(item["ProvinceCode"]): item
                    for item in data
                    if isinstance(item, dict) and "ProvinceCode" in item
                }
            return {}

        return self._cached("audit_days", fetch)

    def forget_audit_days(self) -> dict[str, Any]:
        """Read the review days as unknown for the rest of the run (after a refusal)."""
        self._cache["audit_days"] = {}
        return {}

    def province_rules(self) -> list[dict[str, Any]]:
        """DescribeProvinceRules → ProvinceRules[] (Personal / Enterprise: HTML of each
        province's rules; the key naming the province is [U])."""
        rules = self.call("DescribeProvinceRules").get("ProvinceRules") or []
        return [r for r in rules if isinstance(r, dict)]

    def domain_status(self, domain: str) -> dict[str, Any]:
        """DescribeDomainIcpStatus {Domain} → GovStatus (the authority has it on record),
        LandedStatus (accessed at Tencent Cloud), AuditTicket (a verification ticket is open),
        Ban (blocked): four booleans. `IcpNumber` is read when present [U]."""
        return self.call("DescribeDomainIcpStatus", {"Domain": domain})
