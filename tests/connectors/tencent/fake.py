"""A local fake of Tencent Cloud's filing API (`ba`, 2020-07-20), for the connector's tests.

It listens on 127.0.0.1 (a port of its own), checks each request's TC3-HMAC-SHA256 signature
with the SecretKey it holds for the SecretId (computed here independently of the signer under
test), and answers the read actions from the data the test sets. Like the real service it
answers errors as HTTP 200 with `Response.Error`: an unknown SecretId, a bad or expired
signature (AuthFailure.*), a valid key of another account (UnauthorizedOperation) and, on
demand, RequestLimitExceeded.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OWNER_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
OWNER_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLEKEY"
STRANGER_ID = "AKIDotherAccount0123456789EXAMPLE"
STRANGER_KEY = "otherAccountSecretKey0123456789EXAMPLE"

_AUTH = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)"
    r"/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<sig>[0-9a-f]{64})$"
)


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def expected_signature(
    secret_key: str, *, headers: dict[str, str], signed: str, body: bytes, date: str, service: str
) -> str:
    """The signature the request should carry (the documented algorithm, written out)."""
    names = signed.split(";")
    canonical_headers = "".join(f"{n}:{headers.get(n, '').strip().lower()}\n" for n in names)
    canonical = "\n".join(
        ["POST", "/", "", canonical_headers, signed, hashlib.sha256(body).hexdigest()]
    )
    to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            headers.get("x-tc-timestamp", ""),
            f"{date}/{service}/tc3_request",
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass
class FakeTencent:
    """The fake's state: keys, the account's filing data, and what it was asked."""

    keys: dict[str, str] = field(
        default_factory=lambda: {OWNER_ID: OWNER_KEY, STRANGER_ID: STRANGER_KEY}
    )
    owner: str = OWNER_ID
    order_in_progress: str = ""
    orders: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=lambda: {"PassedCount": 1, "PendingCount": 0})
    audit_days: str = json.dumps({"440000": 5, "110000": 3})
    rules: list[dict[str, Any]] = field(default_factory=list)
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    limit_next: int = 0  # the next N calls answer RequestLimitExceeded
    limit_domain: str = ""  # ... only calls about this domain, when set
    denied_actions: set[str] = field(default_factory=set)  # the owner's key may not call these
    calls: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # error codes answered
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def actions(self) -> list[str]:
        return [c["action"] for c in self.calls]

    # -- answers ------------------------------------------------------------------------

    def answer(self, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        error = self._authenticate(headers, body)
        if error is not None:
            return error
        with self.lock:
            about = str(json.loads(body or b"{}").get("Domain", ""))
            limited = not self.limit_domain or about == self.limit_domain
            if self.limit_next > 0 and limited:
                self.limit_next -= 1
                return self._error(
                    "RequestLimitExceeded",
                    "Your current request times exceeds the frequency limit for a second.",
                )
        action = headers.get("x-tc-action", "")
        if headers.get("x-tc-version") != "2020-07-20":
            return self._error("InvalidParameter", "Version")
        params = json.loads(body or b"{}")
        self.calls.append({"action": action, "params": params})
        handler = getattr(self, f"_do_{action}", None)
        if handler is None:
            return self._error("InvalidAction", f"{action} is not found")
        return self._ok(handler(params))

    def _authenticate(self, headers: dict[str, str], body: bytes) -> dict[str, Any] | None:
        match = _AUTH.match(headers.get("authorization", ""))
        if match is None:
            return self._error("AuthFailure.InvalidAuthorization", "Authorization is invalid.")
        key = self.keys.get(match["id"])
        if key is None:
            return self._error("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        if match["signed"] != "content-type;host" or match["service"] != "ba":
            return self._error("AuthFailure.SignatureFailure", "Bad signed headers or service.")
        try:
            stamp = int(headers.get("x-tc-timestamp", ""))
        except ValueError:
            return self._error("AuthFailure.InvalidAuthorization", "X-TC-Timestamp.")
        if abs(time.time() - stamp) > 300:
            return self._error("AuthFailure.SignatureExpire", "Signature expired.")
        date = datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC).strftime("%Y-%m-%d")
        if match["date"] != date:
            return self._error("AuthFailure.SignatureFailure", "Credential date.")
        want = expected_signature(
            key, headers=headers, signed=match["signed"], body=body, date=date, service="ba"
        )
        if not hmac.compare_digest(want, match["sig"]):
            return self._error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature "
                "is correct.",
            )
        if match["id"] != self.owner or headers.get("x-tc-action") in self.denied_actions:
            return self._error(
                "UnauthorizedOperation",
                "You are not authorized to perform this operation "
                f"(ba:{headers.get('x-tc-action', '')}).",
            )
        return None

    def _ok(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"Response": {**data, "RequestId": str(uuid.uuid4())}}

    def _error(self, code: str, message: str) -> dict[str, Any]:
        self.refused.append(code)
        return {"Response": {"Error": {"Code": code, "Message": message},
                             "RequestId": str(uuid.uuid4())}}  # fmt: skip

    def _do_DescribeLastIcpOrderInProgress(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"IcpOrderId": self.order_in_progress}

    def _do_DescribeIcpOrders(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        offset, limit = int(params.get("Offset", 0)), int(params.get("Limit", 20))
        return {"TotalCount": len(self.orders), "Rows": self.orders[offset : offset + limit]}

    def _do_DescribeUserSummary(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return dict(self.summary)

    def _do_DescribeEvaluateAuditDays(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"Result": self.audit_days}

    def _do_DescribeProvinceRules(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"ProvinceRules": self.rules}

    def _do_DescribeDomainIcpStatus(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        default = {"GovStatus": False, "LandedStatus": False, "AuditTicket": False, "Ban": False}
        return dict(self.domains.get(str(params.get("Domain", "")), default))


def _handler(fake: FakeTencent) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            data = json.dumps(fake.answer(headers, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


class FakeServer:
    def __init__(self, fake: FakeTencent) -> None:
        self.fake = fake
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FakeTencent:
        self.thread.start()
        self.fake.base_url = self.base_url
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
