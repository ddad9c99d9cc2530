"""TC3-HMAC-SHA256 request signing (Tencent Cloud API 3.0, "Signature v3").

Written against the documented algorithm rather than taken from the official
`tencentcloud-sdk-python-common`: the SDK's client sends the request itself through its own
`requests` session, so every call would bypass `connectors.http.call` (the egress guard and the
vendor host allow-list). Signing is a few HMACs; sending stays ours.

The steps, as documented (the test replays the documentation's own example):

1. CanonicalRequest = method \\n "/" \\n query \\n canonical headers \\n signed headers \\n
   lowercase hex SHA-256 of the payload; the signed headers are `content-type;host`.
2. StringToSign = "TC3-HMAC-SHA256" \\n timestamp \\n `<UTC date>/<service>/tc3_request` \\n
   lowercase hex SHA-256 of the CanonicalRequest.
3. SecretDate = HMAC("TC3" + SecretKey, date); SecretService = HMAC(SecretDate, service);
   SecretSigning = HMAC(SecretService, "tc3_request"); Signature = hex HMAC(SecretSigning,
   StringToSign).
4. Authorization = `TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=content-type;host,
   Signature=<signature>`.

The date is the UTC date of the timestamp (never the local one: Shanghai is a day ahead from
16:00 UTC, and a signature made with it fails until midnight UTC).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"
TERMINATOR = "tc3_request"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC).strftime("%Y-%m-%d")


def credential_scope(timestamp: int, service: str) -> str:
    return f"{utc_date(timestamp)}/{service}/{TERMINATOR}"


def canonical_request(
    *, host: str, payload: bytes, method: str = "POST", content_type: str = CONTENT_TYPE
) -> str:
    headers = f"content-type:{content_type.strip().lower()}\nhost:{host.strip().lower()}\n"
    return "\n".join([method.upper(), "/", "", headers, SIGNED_HEADERS, sha256_hex(payload)])


def string_to_sign(*, timestamp: int, service: str, canonical: str) -> str:
    scope = credential_scope(timestamp, service)
    return "\n".join([ALGORITHM, str(timestamp), scope, sha256_hex(canonical.encode("utf-8"))])


def signing_key(secret_key: str, *, timestamp: int, service: str) -> bytes:
    secret_date = _hmac(("TC3" + secret_key).encode("utf-8"), utc_date(timestamp))
    secret_service = _hmac(secret_date, service)
    return _hmac(secret_service, TERMINATOR)


def signature(secret_key: str, *, timestamp: int, service: str, to_sign: str) -> str:
    key = signing_key(secret_key, timestamp=timestamp, service=service)
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedRequest:
    """The headers to send with the payload that was signed (the payload must go as is)."""

    headers: dict[str, str]
    signature: str


def sign(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    host: str,
    action: str,
    version: str,
    payload: bytes,
    timestamp: int,
    region: str = "",
) -> SignedRequest:
    """Headers of one signed POST of `payload` (JSON) to `host`."""
    canonical = canonical_request(host=host, payload=payload)
    to_sign = string_to_sign(timestamp=timestamp, service=service, canonical=canonical)
    sig = signature(secret_key, timestamp=timestamp, service=service, to_sign=to_sign)
    scope = credential_scope(timestamp, service)
    headers = {
        "Authorization": (
            f"{ALGORITHM} Credential={secret_id}/{scope}, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={sig}"
        ),
        "Content-Type": CONTENT_TYPE,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": version,
    }
    if region:
        headers["X-TC-Region"] = region
    return SignedRequest(headers=headers, signature=sig)
