"""TencentClient against the local fake: signed calls, paging, and the error mapping."""

from __future__ import annotations

import datetime
import json
import logging
import time

import pytest
from django.utils import timezone

from connectors import http
from connectors.errors import CredentialError, QuotaError, TransportError, VendorError
from connectors.tencent import tc3
from connectors.tencent.client import TencentClient
from tests.factories.connectors import TENCENT_CREDENTIALS

from .factories import TencentAccountFactory
from .fake import STRANGER_ID, STRANGER_KEY

pytestmark = pytest.mark.django_db


def _client(**credentials) -> TencentClient:
    values = {**TENCENT_CREDENTIALS, **credentials}
    return TencentClient(TencentAccountFactory(credentials=json.dumps(values)))


def test_a_signed_call_is_verified_and_answered(tencent_fake):
    tencent_fake.summary = {"PassedCount": 3, "PendingCount": 1}
    assert _client().user_summary() == {"PassedCount": 3, "PendingCount": 1}
    assert tencent_fake.actions() == ["DescribeUserSummary"]
    assert tencent_fake.refused == []


def test_orders_are_read_page_by_page(tencent_fake):
    tencent_fake.orders = [{"IcpOrderId": f"o{i}", "Status": "初审"} for i in range(230)]
    rows = _client().orders()
    assert [r["IcpOrderId"] for r in rows] == [f"o{i}" for i in range(230)]
    offsets = [c["params"] for c in tencent_fake.calls]
    assert offsets == [{"Offset": 0, "Limit": 100}, {"Offset": 100, "Limit": 100},
                       {"Offset": 200, "Limit": 100}]  # fmt: skip


def test_account_wide_answers_are_read_once_per_client(tencent_fake):
    tencent_fake.order_in_progress = "icp-1"
    client = _client()
    assert client.last_order_in_progress() == "icp-1"
    assert client.last_order_in_progress() == "icp-1"
    assert tencent_fake.actions() == ["DescribeLastIcpOrderInProgress"]


def test_review_days_are_read_from_the_json_string(tencent_fake):
    tencent_fake.audit_days = json.dumps([{"ProvinceCode": "440000", "Days": 7}])
    assert _client().evaluate_audit_days() == {"440000": {"ProvinceCode": "440000", "Days": 7}}


def test_wrong_secret_key_is_a_credential_error_without_the_key(tencent_fake, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "WrongSecretKey0123456789abcdefEXAMPLE"
    with pytest.raises(CredentialError) as exc:
        _client(secret_key=wrong).user_summary()
    assert exc.value.code == "AuthFailure.SignatureFailure"
    assert tencent_fake.refused == ["AuthFailure.SignatureFailure"]
    assert tencent_fake.calls == []  # refused before the action ran
    for text in (exc.value.message, caplog.text):
        assert wrong not in text
        assert TENCENT_CREDENTIALS["secret_key"] not in text


def test_another_accounts_keys_are_a_clear_credential_error(tencent_fake):
    with pytest.raises(CredentialError) as exc:
        _client(secret_id=STRANGER_ID, secret_key=STRANGER_KEY).user_summary()
    assert exc.value.code == "UnauthorizedOperation"
    assert "do not belong to the filing entity's account" in exc.value.message
    assert "`ba`" in exc.value.message
    assert STRANGER_KEY not in exc.value.message


def test_unknown_secret_id_is_a_credential_error(tencent_fake):
    with pytest.raises(CredentialError) as exc:
        _client(secret_id="AKIDnobodyHasThisKey000").user_summary()
    assert exc.value.code == "AuthFailure.SecretIdNotFound"


def test_request_limit_is_a_quota_error_for_a_minute(tencent_fake):
    tencent_fake.limit_next = 1
    before = timezone.now()
    with pytest.raises(QuotaError) as exc:
        _client().user_summary()
    assert exc.value.code == "RequestLimitExceeded"
    assert before + datetime.timedelta(seconds=59) <= exc.value.until
    assert exc.value.until <= timezone.now() + datetime.timedelta(seconds=61)
    assert _client().user_summary()["PassedCount"] == 1  # the next window answers


def test_other_errors_are_vendor_errors_with_code_and_message(tencent_fake):
    with pytest.raises(VendorError) as exc:
        _client().call("DescribeNothing")
    assert exc.value.code == "InvalidAction"
    assert "InvalidAction" in exc.value.message
    assert "DescribeNothing is not found" in exc.value.message


def test_the_fake_refuses_a_tampered_body(tencent_fake):
    """A body changed after signing (an amount, a domain) no longer matches the signature."""
    host = http.host_of(tencent_fake.base_url)
    signed = tc3.sign(
        secret_id=TENCENT_CREDENTIALS["secret_id"],
        secret_key=TENCENT_CREDENTIALS["secret_key"],
        service="ba",
        host=tencent_fake.base_url.split("://")[1],
        action="DescribeDomainIcpStatus",
        version="2020-07-20",
        payload=b'{"Domain":"example.cn"}',
        timestamp=int(timezone.now().timestamp()),
    )
    _status, data = http.call(
        "POST", tencent_fake.base_url + "/", hosts=frozenset({host}),
        body=b'{"Domain":"victim.cn"}', headers=signed.headers,
    )  # fmt: skip
    assert data["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"
    assert tencent_fake.calls == []
    # The same request untouched is answered: the refusal was the tampering.
    _status, data = http.call(
        "POST", tencent_fake.base_url + "/", hosts=frozenset({host}),
        body=b'{"Domain":"example.cn"}', headers=signed.headers,
    )  # fmt: skip
    assert "Error" not in data["Response"]
    assert tencent_fake.actions() == ["DescribeDomainIcpStatus"]


def test_a_host_other_than_the_base_urls_is_refused(tencent_fake, settings):
    client = _client()
    client.base_url = "http://127.0.0.2:9"  # the allow-list was taken from the setting
    with pytest.raises(TransportError):
        client.user_summary()
    assert tencent_fake.calls == []


def test_a_clock_far_off_is_refused_as_an_expired_signature(tencent_fake):
    account = TencentAccountFactory()
    client = TencentClient(account, now=lambda: time.time() - 3600)
    with pytest.raises(CredentialError) as exc:
        client.user_summary()
    assert exc.value.code == "AuthFailure.SignatureExpire"
    assert "clock" in exc.value.message


def test_a_malformed_count_is_a_vendor_error(tencent_fake):
    tencent_fake.summary = {"PassedCount": "many", "PendingCount": 0}
    with pytest.raises(VendorError) as exc:
        _client().user_summary()
    assert "PassedCount" in exc.value.message


def test_province_rules_are_read(tencent_fake):
    tencent_fake.rules = [{"Personal": "<p>个人</p>", "Enterprise": "<p>企业</p>"}, "junk"]
    assert _client().province_rules() == [{"Personal": "<p>个人</p>", "Enterprise": "<p>企业</p>"}]
