"""A webhook kind is one entry in notifications.webhooks: the model field reads it from there."""

from __future__ import annotations

import apprise
import pytest
from apprise.plugins.dingtalk import NotifyDingTalk
from django.core.exceptions import ValidationError

from core import egress
from notifications.models import WebhookEndpoint
from notifications.services.inbox import validate_webhook_url
from notifications.webhooks import (
    WEBHOOK_KINDS,
    WebhookURLError,
    dingtalk_signature,
    webhook_answer_error,
    webhook_kind_choices,
    webhook_request,
    webhook_url_check,
)


def test_the_kind_field_reads_the_registry_so_a_new_kind_needs_no_migration():
    field = WebhookEndpoint._meta.get_field("kind")
    _, _, _, kwargs = field.deconstruct()

    assert kwargs["choices"] is webhook_kind_choices
    assert [value for value, _ in field.choices or ()] == list(WEBHOOK_KINDS)


def test_a_url_must_use_one_of_the_kinds_schemes():
    validate_webhook_url("wecombot://0123456789abcdef", kind="wecom")
    with pytest.raises(ValidationError) as exc:
        validate_webhook_url("json://127.0.0.1/hook", kind="wecom")
    assert "wecombot://" in str(exc.value.message_dict["url"])


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValidationError) as exc:
        validate_webhook_url("slack://a/b/c", kind="slack")
    assert "slack" in exc.value.message_dict["kind"][0]


@pytest.mark.parametrize(
    ("url", "target", "payload_keys"),
    [
        pytest.param(
            "wecombot://KEY1",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY1",
            {"msgtype", "text"},
            id="wecom_case",
        ),
        pytest.param(
            "dingtalk://TOKEN1/",
            "https://oapi.dingtalk.com/robot/send?access_token=TOKEN1",
            {"msgtype", "text", "at"},
            id="dingtalk_case",
        ),
        pytest.param(
            "feishu://TOKEN2/",
            "https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN2",
            {"msg_type", "content"},
            id="feishu_case",
        ),
        pytest.param(
            "lark://TOKEN3/",
            "https://open.larksuite.com/open-apis/bot/v2/hook/TOKEN3",
            {"msg_type", "content"},
            id="lark_case",
        ),
        pytest.param(
            "jsons://u:p@example.com:8443/in",
            "https://example.com:8443/in",
            {"version", "title", "message", "attachments", "type"},
            id="json_case",
        ),
    ],
)
def test_each_kind_builds_its_vendors_request(url, target, payload_keys):
    req = webhook_request(url, title="T", body="B", key="k1")
    assert (req.url, set(req.payload)) == (target, payload_keys)
    assert req.headers["Idempotency-Key"] == "k1"


def test_json_basic_auth_becomes_a_header_not_part_of_the_url():
    req = webhook_request("json://user:pw@example.com/in")
    assert req.url == "http://example.com/in"
    assert req.headers["Authorization"] == "Basic dXNlcjpwdw=="


def test_dingtalk_signs_with_its_secret(monkeypatch):
    monkeypatch.setattr("time.time", lambda: 1700000000.0)
    req = webhook_request("dingtalk://SECRET@TOKEN1/")
    expected = dingtalk_signature("SECRET", "1700000000000")
    assert req.url.endswith(f"&timestamp=1700000000000&sign={expected}")
    # apprise's own signature for the same secret and moment
    monkeypatch.setattr("apprise.plugins.dingtalk.time.time", lambda: 1700000000.0)
    plugin = apprise.Apprise.instantiate("dingtalk://SECRET@TOKEN1/")
    assert isinstance(plugin, NotifyDingTalk)
    assert plugin.get_signature() == ("1700000000000", expected)


@pytest.mark.parametrize(
    ("kind", "status", "body", "problem"),
    [
        pytest.param("wecom", 200, b'{"errcode": 0, "errmsg": "ok"}', None, id="wecom_ok_case"),
        pytest.param(
            "wecom",
            200,
            b'{"errcode": 93000, "errmsg": "invalid"}',
            "errcode=93000 invalid",
            id="wecom_refused_case",
        ),
        pytest.param(
            "feishu", 200, b'{"code": 19021, "msg": "sign"}', "code=19021 sign", id="feishu_case"
        ),
        pytest.param("lark", 200, b'{"code": 0}', None, id="lark_ok_case"),
        pytest.param("json", 500, b"", "HTTP 500", id="json_status_case"),
        pytest.param("json", 204, b"", None, id="json_ok_case"),
        pytest.param("dingtalk", 200, b"<html>", "the answer is not JSON", id="not_json_case"),
    ],
)
def test_the_vendors_answer_decides(kind, status, body, problem):
    assert webhook_answer_error(kind, egress.Response(status=status, body=body)) == problem


def test_a_vendor_kind_reaches_only_its_vendors_host():
    with pytest.raises(WebhookURLError) as exc:
        webhook_url_check("json://127.0.0.1/", kind="wecom")
    assert "wecombot://" in exc.value.message
    assert WEBHOOK_KINDS["wecom"].hosts == frozenset({"qyapi.weixin.qq.com"})
    with pytest.raises(egress.RefusedHostError):
        egress.check_url("https://example.com/", allow_hosts=WEBHOOK_KINDS["wecom"].hosts)
