"""WeChatClient against the local fake: the token chain, its cache, and WeChat's error codes."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.utils import timezone

from connectors.errors import (
    ConnectorError,
    CredentialError,
    QuotaError,
    TokenExpiredError,
    TransportError,
    VendorError,
)
from connectors.models import ConnectorToken
from connectors.wechat.client import WeChatClient
from connectors.wechat.codes import next_beijing_midnight
from tests.factories.connectors import ConnectorAccountFactory

pytestmark = pytest.mark.django_db

APP = "wx00000000000000a1"
COMPONENT_PATH = "/cgi-bin/component/api_component_token"
AUTHORIZER_PATH = "/cgi-bin/component/api_authorizer_token"
ENTRANCE = "/wxa/icp/get_icp_entrance_info"


def _no_secret(text: str, fake) -> None:
    for value in fake.secrets():
        assert value not in text


def test_token_chain_is_cached_in_the_database_and_reused(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    client = WeChatClient(wechat_account)
    assert client.entrance_info(APP)["status"] == 2
    assert client.entrance_info(APP)["status"] == 2
    # A new client (another task) reuses the stored tokens.
    WeChatClient(wechat_account).entrance_info(APP)
    assert wechat_fake.calls[COMPONENT_PATH] == 1
    assert wechat_fake.calls[AUTHORIZER_PATH] == 1
    assert wechat_fake.calls["/cgi-bin/component/api_get_authorizer_list"] == 1
    assert wechat_fake.calls[ENTRANCE] == 3
    names = set(ConnectorToken.objects.values_list("name", flat=True))
    assert names == {
        "component_verify_ticket",
        "component_access_token",
        f"authorizer_access_token:{APP}",
        f"authorizer_refresh_token:{APP}",
    }
    token = ConnectorToken.objects.get(name="component_access_token")
    assert token.expires_at is not None
    assert token.expires_at > timezone.now() + datetime.timedelta(minutes=110)


def test_token_within_five_minutes_of_expiry_is_renewed(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    WeChatClient(wechat_account).entrance_info(APP)
    ConnectorToken.objects.filter(name=f"authorizer_access_token:{APP}").update(
        expires_at=timezone.now() + datetime.timedelta(minutes=4)
    )
    WeChatClient(wechat_account).entrance_info(APP)
    assert wechat_fake.calls[AUTHORIZER_PATH] == 2
    assert wechat_fake.calls[COMPONENT_PATH] == 1


def test_new_refresh_token_in_the_answer_replaces_the_stored_one(wechat_account, wechat_fake):
    wechat_fake.rotate_refresh_tokens = True
    auth = wechat_fake.add_authorizer(APP, status=2)
    client = WeChatClient(wechat_account)
    client.authorizers()
    first = ConnectorToken.objects.get(name=f"authorizer_refresh_token:{APP}").value
    client.entrance_info(APP)
    stored = ConnectorToken.objects.get(name=f"authorizer_refresh_token:{APP}").value
    assert stored == auth.refresh_token != first


def test_expired_authorizer_token_is_renewed_once_and_the_call_repeated(
    wechat_account, wechat_fake
):
    wechat_fake.add_authorizer(APP, status=4, sms=1)
    client = WeChatClient(wechat_account)
    client.entrance_info(APP)
    assert wechat_fake.expire_token(appid=APP) == 1
    assert client.entrance_info(APP)["sms_verify_status"] == 1
    assert wechat_fake.calls[AUTHORIZER_PATH] == 2
    assert wechat_fake.calls[ENTRANCE] == 3  # 1 + refused + repeated


def test_expired_component_token_is_renewed_for_the_authorizer_call(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    client = WeChatClient(wechat_account)
    client.authorizers()
    wechat_fake.expire_token(component=True)
    client.entrance_info(APP)
    assert wechat_fake.calls[COMPONENT_PATH] == 2


def test_a_second_refusal_is_an_error_not_a_loop(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    client = WeChatClient(wechat_account)
    client.entrance_info(APP)
    wechat_fake.fail_next(ENTRANCE, 42001, "access_token expired")
    wechat_fake.fail_next(ENTRANCE, 40001, "invalid credential", on_call=2)
    with pytest.raises(ConnectorError) as caught:
        client.entrance_info(APP)
    assert not isinstance(caught.value, TokenExpiredError)
    assert caught.value.code == 40001
    assert wechat_fake.calls[ENTRANCE] == 3
    assert wechat_fake.calls[AUTHORIZER_PATH] == 2


def test_daily_quota_waits_for_midnight_in_beijing(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    wechat_fake.inject_quota(errcode=45009)
    with pytest.raises(QuotaError) as caught:
        WeChatClient(wechat_account).entrance_info(APP)
    until = timezone.localtime(caught.value.until)
    assert (until.hour, until.minute) == (0, 0)
    assert until.utcoffset() == datetime.timedelta(hours=8)
    assert until == next_beijing_midnight()
    assert datetime.timedelta(0) < until - timezone.now() <= datetime.timedelta(days=1)


def test_next_beijing_midnight_is_the_local_day_after():
    late = datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)  # 00:30 on 2 March, Beijing
    assert next_beijing_midnight(late) == datetime.datetime(2026, 3, 2, 16, 0, tzinfo=datetime.UTC)


def test_minute_quota_waits_a_minute(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    wechat_fake.inject_quota(errcode=45011)
    before = timezone.now()
    with pytest.raises(QuotaError) as caught:
        WeChatClient(wechat_account).entrance_info(APP)
    wait = (caught.value.until - before).total_seconds()
    assert 59 <= wait <= 62


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"component_appsecret": "wrong-secret-000000000000000001"}, 40125),
        ({"component_appid": "wx1111111111111111"}, 40013),
    ],
)
def test_refused_component_credentials(wechat_fake, change, code):
    from tests.factories.connectors import WECHAT_CREDENTIALS

    account = ConnectorAccountFactory()
    account.set_credential_values({**WECHAT_CREDENTIALS, **change})
    account.save()
    WeChatClient(account).store_ticket(wechat_fake.ticket)
    with pytest.raises(CredentialError) as caught:
        WeChatClient(account).component_token()
    assert caught.value.code == code
    assert "wrong-secret" not in caught.value.message
    _no_secret(caught.value.message, wechat_fake)
    assert not ConnectorToken.objects.filter(name="component_access_token").exists()


def test_missing_ticket_says_what_to_fix(wechat_fake):
    account = ConnectorAccountFactory()
    with pytest.raises(CredentialError) as caught:
        WeChatClient(account).component_token()
    assert "component_verify_ticket" in caught.value.message
    assert "authorization-event URL" in caught.value.message
    assert wechat_fake.calls[COMPONENT_PATH] == 0


def test_wrong_ticket_is_a_credential_error(wechat_fake):
    account = ConnectorAccountFactory()
    WeChatClient(account).store_ticket("ticket@@@an-old-ticket-nobody-accepts")
    with pytest.raises(CredentialError) as caught:
        WeChatClient(account).component_token()
    assert caught.value.code == 61006
    assert "an-old-ticket" not in caught.value.message


@pytest.mark.parametrize("code", [61004, 61003, 61005, 61023])
def test_credential_codes(wechat_account, wechat_fake, code):
    wechat_fake.add_authorizer(APP, status=2)
    wechat_fake.fail_next(AUTHORIZER_PATH, code, "refused")
    with pytest.raises(CredentialError) as caught:
        WeChatClient(wechat_account).entrance_info(APP)
    assert caught.value.code == code
    _no_secret(caught.value.message, wechat_fake)


def test_refused_refresh_token_is_a_credential_error(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    client = WeChatClient(wechat_account)
    client.authorizers()
    wechat_fake.authorizers[APP].refresh_token = "refreshtoken@@@revoked-and-reissued"
    with pytest.raises(CredentialError) as caught:
        client.entrance_info(APP)
    assert caught.value.code == 61023
    _no_secret(caught.value.message, wechat_fake)


def test_other_codes_are_vendor_errors_with_code_and_message(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    client = WeChatClient(wechat_account)
    client.entrance_info(APP)
    token = ConnectorToken.objects.get(name=f"authorizer_access_token:{APP}").value
    wechat_fake.fail_next(ENTRANCE, 86300, f"icp system busy for token {token}")
    with pytest.raises(VendorError) as caught:
        client.entrance_info(APP)
    assert caught.value.code == 86300
    assert "86300" in caught.value.message
    assert "icp system busy" in caught.value.message
    assert token not in caught.value.message
    _no_secret(caught.value.message, wechat_fake)


def test_unauthorized_appid_is_an_error_about_that_object(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=2)
    with pytest.raises(VendorError) as caught:
        WeChatClient(wechat_account).entrance_info("wx00000000000000ff")
    assert "wx00000000000000ff" in caught.value.message
    assert wechat_fake.calls[AUTHORIZER_PATH] == 0


def test_authorizer_list_is_paged_and_refresh_tokens_stored(wechat_account, wechat_fake):
    for n in range(501):
        wechat_fake.add_authorizer(f"wx{n:016x}")
    client = WeChatClient(wechat_account)
    found = client.authorizers()
    assert len({a["authorizer_appid"] for a in found}) == 501
    assert wechat_fake.calls["/cgi-bin/component/api_get_authorizer_list"] == 2
    stored = ConnectorToken.objects.filter(name__startswith="authorizer_refresh_token:")
    assert stored.count() == 501
    before = {t.name: t.updated_at for t in stored}
    client.authorizers()  # unchanged tokens are not written again
    after = {t.name: t.updated_at for t in stored.all()}
    assert before == after


def test_query_auth_stores_the_authorizer_tokens(wechat_account, wechat_fake):
    auth = wechat_fake.add_authorizer(APP, status=2)
    code = wechat_fake.authorization_code(APP)
    assert WeChatClient(wechat_account).query_auth(code) == APP
    assert ConnectorToken.objects.get(name=f"authorizer_refresh_token:{APP}").value == (
        auth.refresh_token
    )
    WeChatClient(wechat_account).entrance_info(APP)
    assert wechat_fake.calls[AUTHORIZER_PATH] == 0  # the code's answer carried the token


def test_face_verification_task(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=4, sms=2)
    client = WeChatClient(wechat_account)
    task_id = client.create_verify_task(APP, along_with_auth=True)
    assert wechat_fake.face_tasks[task_id]["along_with_auth"] is True
    assert client.query_verify_task(APP, task_id) == {"is_finish": False, "face_status": 0}
    wechat_fake.set_face_task(task_id, is_finish=True, face_status=3)
    assert client.query_verify_task(APP, task_id) == {"is_finish": True, "face_status": 3}


def test_online_order_has_the_record_number(wechat_account, wechat_fake):
    wechat_fake.add_authorizer(APP, status=6)
    wechat_fake.set_order(APP, "粤ICP备2024286477号-1X", "示例小程序")
    order = WeChatClient(wechat_account).online_order(APP)
    assert order["icp_applets"]["base_info"]["record_number"] == "粤ICP备2024286477号-1X"
    assert "errcode" not in order


def test_only_the_vendor_host_and_allowed_networks_are_reached(
    wechat_account, wechat_fake, settings
):
    wechat_fake.add_authorizer(APP, status=2)
    settings.EGRESS_ALLOW_NETWORKS = []
    with pytest.raises(TransportError):
        WeChatClient(wechat_account).component_token()
    assert wechat_fake.calls[COMPONENT_PATH] == 0


def test_request_log_lines_mask_tokens(wechat_account, wechat_fake, caplog):
    wechat_fake.add_authorizer(APP, status=2)
    caplog.set_level(logging.DEBUG)
    WeChatClient(wechat_account).entrance_info(APP)
    assert "access_token=" in caplog.text  # urllib3 logged the request line…
    _no_secret(caplog.text, wechat_fake)  # …without the token
