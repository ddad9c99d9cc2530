"""The WeChat kind: credential check, objects, and entrance info → VendorFiling."""

from __future__ import annotations

import pytest

from connectors import registry
from connectors.errors import CredentialError, VendorError
from connectors.wechat import mapping
from connectors.wechat.client import WeChatClient
from icp.workflow import FilingStatus
from tests.factories.connectors import ConnectorAccountFactory

NUMBER = "粤ICP备2024286477号-1X"


@pytest.fixture
def kind():
    return registry.get("wechat")


@pytest.mark.django_db
def test_check_credentials_counts_authorizers(kind, wechat_account, wechat_fake):
    for n in range(12):
        wechat_fake.add_authorizer(f"wx{n:016x}")
    message = kind.check_credentials(kind.client(wechat_account))
    assert message == "Component token obtained; 12 mini-programs authorized."


@pytest.mark.django_db
def test_check_credentials_without_ticket_is_refused(kind, wechat_fake):
    with pytest.raises(CredentialError):
        kind.check_credentials(kind.client(ConnectorAccountFactory()))


@pytest.mark.django_db
def test_objects_in_a_stable_order_and_only_one(kind, wechat_account, wechat_fake):
    for appid in ("wx00000000000000c3", "wx00000000000000a1", "wx00000000000000b2"):
        wechat_fake.add_authorizer(appid)
    client = kind.client(wechat_account)
    seen = [o.external_id for o in kind.objects(client)]
    assert seen == ["wx00000000000000a1", "wx00000000000000b2", "wx00000000000000c3"]
    assert {o.kind for o in kind.objects(client)} == {"miniprogram"}
    lists = wechat_fake.calls["/cgi-bin/component/api_get_authorizer_list"]
    only = list(kind.objects(client, only="wx00000000000000b2"))
    assert [o.external_id for o in only] == ["wx00000000000000b2"]
    assert wechat_fake.calls["/cgi-bin/component/api_get_authorizer_list"] == lists


@pytest.mark.django_db
def test_read_filed_takes_the_number_from_the_online_order(kind, wechat_account, wechat_fake):
    wechat_fake.add_authorizer("wx00000000000000a1", status=6)
    wechat_fake.set_order("wx00000000000000a1", NUMBER, "示例小程序")
    client: WeChatClient = kind.client(wechat_account)
    (state,) = kind.read(client, kind.objects(client, only="wx00000000000000a1")[0])
    assert state.target == FilingStatus.APPROVED
    assert state.number == NUMBER
    assert state.label == "示例小程序"
    assert state.vendor_status == "status=6 sms_verify_status=0"
    assert state.raw["record_number"] == NUMBER


@pytest.mark.django_db
def test_read_in_review_does_not_ask_for_the_order(kind, wechat_account, wechat_fake):
    wechat_fake.add_authorizer("wx00000000000000a1", status=4, sms=1)
    client = kind.client(wechat_account)
    (state,) = kind.read(client, kind.objects(client, only="wx00000000000000a1")[0])
    assert state.target == FilingStatus.SMS_VERIFICATION
    assert wechat_fake.calls["/wxa/icp/get_online_icp_order"] == 0


@pytest.mark.parametrize(
    ("status", "sms", "target"),
    [
        (2, 0, FilingStatus.PROVIDER_REVIEW),
        (3, 0, FilingStatus.PROVIDER_REJECTED),
        (4, 1, FilingStatus.SMS_VERIFICATION),
        (4, 2, FilingStatus.AUTHORITY_REVIEW),
        (4, 3, FilingStatus.PROVIDER_REJECTED),
        (5, 0, FilingStatus.AUTHORITY_REJECTED),
    ],
)
def test_status_mapping(status, sms, target):
    state = mapping.filing("wx00000000000000a1", {"status": status, "sms_verify_status": sms})
    assert state.target == target
    assert state.vendor_status == f"status={status} sms_verify_status={sms}"
    assert state.not_filed_reason == ""
    assert state.number == ""


@pytest.mark.parametrize("status", [1024, 1025, 1031])
def test_not_filed_statuses(status):
    state = mapping.filing("wx00000000000000a1", {"status": status})
    assert state.target is None
    assert state.not_filed_reason == f"status={status}"


@pytest.mark.parametrize("status", [7, 1032, None, "x"])
def test_undocumented_status_is_a_vendor_error(status):
    with pytest.raises(VendorError) as caught:
        mapping.filing("wx00000000000000a1", {"status": status})
    assert str(status) in caught.value.message


def test_audit_data_becomes_reasons_with_known_fields():
    info = {
        "status": 5,
        "audit_data": [
            {"key_name": "小程序名称", "error": "名称含敏感词", "suggest": "修改名称"},
            {"key_name": "负责人手机号码", "error": "无法接通"},
            {"key_name": "某个新字段", "error": "不符合要求", "suggest": "补充"},
        ],
    }
    state = mapping.filing("wx00000000000000a1", info)
    assert [r.as_reason() for r in state.reasons] == [
        {
            "field": "service_name",
            "field_text": "",
            "error": "名称含敏感词",
            "suggestion": "修改名称",
        },
        {"field": "mobile", "field_text": "", "error": "无法接通", "suggestion": ""},
        {"field": "other", "field_text": "某个新字段", "error": "不符合要求", "suggestion": "补充"},
    ]
    assert state.raw["audit_data"] == info["audit_data"]


def test_every_mapped_field_is_a_review_field():
    from icp.review_fields import is_known_field

    assert all(is_known_field(v) for v in mapping.AUDIT_FIELDS.values())


def test_canceling_and_raw_keeps_only_known_keys():
    info = {"status": 6, "is_canceling": True, "available": 1, "unexpected": "x"}
    state = mapping.filing("wx00000000000000a1", info, {})
    assert state.canceling is True
    assert state.raw == {"status": 6, "is_canceling": True, "available": 1}


def test_same_answer_same_digest_and_a_change_changes_it():
    a = mapping.filing("wx00000000000000a1", {"status": 4, "sms_verify_status": 1})
    b = mapping.filing("wx00000000000000a1", {"status": 4, "sms_verify_status": 1})
    c = mapping.filing("wx00000000000000a1", {"status": 4, "sms_verify_status": 2})
    assert a.digest() == b.digest() != c.digest()
