"""TC3-HMAC-SHA256 signing against Tencent Cloud's published example, step by step.

The vector is the worked example of the API 3.0 "Signature v3" documentation (English
edition): CVM DescribeInstances in ap-guangzhou, X-TC-Timestamp 1551113065, SecretKey
"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", body {"Limit": 1, "Filters": [{"Values":
["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}; every intermediate value below is the
one the documentation prints.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from connectors.tencent import tc3

DOC_PAYLOAD = (
    b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
)
DOC_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
DOC_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
DOC_TIMESTAMP = 1551113065
DOC_HASHED_PAYLOAD = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
DOC_HASHED_CANONICAL = "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
DOC_SIGNATURE = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def test_canonical_request_is_the_documented_one():
    canonical = tc3.canonical_request(host="cvm.tencentcloudapi.com", payload=DOC_PAYLOAD)
    assert canonical == (
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
        f"host:cvm.tencentcloudapi.com\n\ncontent-type;host\n{DOC_HASHED_PAYLOAD}"
    )
    assert tc3.sha256_hex(canonical.encode()) == DOC_HASHED_CANONICAL


def test_string_to_sign_uses_the_utc_date_of_the_timestamp():
    canonical = tc3.canonical_request(host="cvm.tencentcloudapi.com", payload=DOC_PAYLOAD)
    to_sign = tc3.string_to_sign(timestamp=DOC_TIMESTAMP, service="cvm", canonical=canonical)
    # 1551113065 is 2019-02-26 00:44 in Shanghai: the scope must still say 2019-02-25.
    assert (
        to_sign
        == f"TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n{DOC_HASHED_CANONICAL}"
    )


def test_derived_key_chain_matches_an_independent_computation():
    def h(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    expected = h(h(h(b"TC3" + DOC_KEY.encode(), "2019-02-25"), "cvm"), "tc3_request")
    assert tc3.signing_key(DOC_KEY, timestamp=DOC_TIMESTAMP, service="cvm") == expected
    other = tc3.signing_key(DOC_KEY, timestamp=DOC_TIMESTAMP + 86400, service="cvm")
    assert other != expected  # the date is part of the key


def test_full_signature_and_headers_reproduce_the_documentation():
    signed = tc3.sign(
        secret_id=DOC_ID,
        secret_key=DOC_KEY,
        service="cvm",
        host="cvm.tencentcloudapi.com",
        action="DescribeInstances",
        version="2017-03-12",
        payload=DOC_PAYLOAD,
        timestamp=DOC_TIMESTAMP,
        region="ap-guangzhou",
    )
    assert signed.signature == DOC_SIGNATURE
    assert signed.headers == {
        "Authorization": (
            f"TC3-HMAC-SHA256 Credential={DOC_ID}/2019-02-25/cvm/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={DOC_SIGNATURE}"
        ),
        "Content-Type": "application/json; charset=utf-8",
        "Host": "cvm.tencentcloudapi.com",
        "X-TC-Action": "DescribeInstances",
        "X-TC-Timestamp": "1551113065",
        "X-TC-Version": "2017-03-12",
        "X-TC-Region": "ap-guangzhou",
    }


def test_region_is_optional_and_any_change_changes_the_signature():
    common: dict[str, Any] = {
        "secret_id": DOC_ID,
        "secret_key": DOC_KEY,
        "service": "ba",
        "host": "ba.tencentcloudapi.com",
        "action": "DescribeUserSummary",
        "version": "2020-07-20",
        "timestamp": DOC_TIMESTAMP,
    }
    one = tc3.sign(payload=b"{}", **common)
    assert "X-TC-Region" not in one.headers
    assert tc3.sign(payload=b'{"a":1}', **common).signature != one.signature
    assert tc3.sign(payload=b"{}", **{**common, "host": "ba.example"}).signature != one.signature
    assert tc3.sign(payload=b"{}", **{**common, "secret_key": "x"}).signature != one.signature
