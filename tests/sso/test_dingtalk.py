"""DingTalk (钉钉) sign-in end to end through allauth's dingtalk provider, against a fake of
api.dingtalk.com served over TLS on loopback: the code is exchanged for a user token, which
reads the profile; only a linked identity gets a session."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import Membership, Role, User
from tests.factories import MembershipFactory

from .vendor_fakes import callback, json_answer, serve_vendor, session_user_id, start_login

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "dingabcdefghijklmn", "ding-secret-never-shown"
TOKEN, ME = "/v1.0/oauth2/userAccessToken", "/v1.0/contact/users/me"


class DingTalk:
    def __init__(self) -> None:
        self.codes = {"code-zhangsan": "ou-zhangsan", "code-lisi": "ou-lisi"}
        self.tokens: dict[str, str] = {}  # user token -> openId

    def routes(self):
        return {f"POST {TOKEN}": self.token, f"GET {ME}": self.me}

    def token(self, seen):
        body = seen.json()
        if (body.get("clientId"), body.get("clientSecret")) != (CLIENT_ID, SECRET):
            return json_answer({"code": "invalidClientSecret", "message": "bad secret"}, 400)
        open_id = self.codes.get(body.get("code", ""))
        if open_id is None or body.get("grantType") != "authorization_code":
            return json_answer({"code": "InvalidAuthentication", "message": "code"}, 400)
        token = f"user-token-{len(self.tokens) + 1}"
        self.tokens[token] = open_id
        return json_answer(
            {"accessToken": token, "refreshToken": "r", "expireIn": 7200, "corpId": "dingcorp"}
        )

    def me(self, seen):
        open_id = self.tokens.get(seen.headers.get("x-acs-dingtalk-access-token", ""))
        if open_id is None:
            return json_answer({"code": "InvalidAuthentication", "message": "token"}, 401)
        return json_answer(
            {
                "nick": "张三",
                "openId": open_id,
                "unionId": f"u-{open_id}",
                "mobile": "13800000000",
                "stateCode": "86",
                "email": "zhangsan@example.com",
                "avatarUrl": "https://static.dingtalk.com/a.png",
            }
        )


@pytest.fixture
def dingtalk(settings, tmp_path, hosts_file):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "dingtalk": {"APPS": [{"client_id": CLIENT_ID, "secret": SECRET}]}
    }
    state = DingTalk()
    with serve_vendor("api.dingtalk.com", tmp_path, hosts_file, settings, state.routes()) as f:
        yield f


@pytest.fixture
def linked(org):
    org.sso_providers = ["dingtalk"]
    org.save(update_fields=["sso_providers"])
    user = MembershipFactory(organization=org, role=Role.EDITOR).user
    SocialAccount.objects.create(user=user, provider="dingtalk", uid="ou-zhangsan")
    return user


def _sign_in(client, code: str):
    _, params = start_login(client, "dingtalk")
    # DingTalk sends the code back as "authCode".
    return callback(client, "dingtalk", authCode=code, state=params["state"])


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), SocialAccount.objects.count()


def test_login_sends_the_browser_to_dingtalk(dingtalk, client):
    url, params = start_login(client, "dingtalk")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("login.dingtalk.com", "/oauth2/auth")
    assert params["client_id"] == CLIENT_ID
    assert params["response_type"] == "code"
    assert set(params["scope"].split()) == {"openid", "corpid"}
    assert params["redirect_uri"] == "http://testserver/accounts/dingtalk/login/callback/"
    assert params["state"]
    assert SECRET not in url
    assert dingtalk.seen == []


def test_a_linked_user_lands_on_the_dashboard(dingtalk, linked, client):
    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 302
    assert resp["Location"] == reverse("dashboard:overview")
    assert session_user_id(client) == str(linked.pk)
    assert client.get(resp["Location"]).status_code == 200
    [token_call] = dingtalk.calls(TOKEN)
    assert token_call.json() == {
        "clientId": CLIENT_ID,
        "clientSecret": SECRET,
        "code": "code-zhangsan",
        "grantType": "authorization_code",
    }
    [me_call] = dingtalk.calls(ME)
    assert me_call.headers["x-acs-dingtalk-access-token"] == "user-token-1"
    assert len(dingtalk.seen) == 2
    # Only what identifies the account is kept: no mobile number, e-mail or avatar.
    account = SocialAccount.objects.get(user=linked)
    assert account.extra_data == {
        "openId": "ou-zhangsan",
        "unionId": "u-ou-zhangsan",
        "nick": "张三",
    }


def test_an_unknown_identity_gets_no_access(dingtalk, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-lisi")

    assert resp.status_code != 302 or resp["Location"] != reverse("dashboard:overview")
    assert session_user_id(client) is None
    assert _counts() == before
    assert not SocialAccount.objects.filter(provider="dingtalk", uid="ou-lisi").exists()
    assert len(dingtalk.calls(ME)) == 1  # DingTalk vouched for them: the refusal is ours


def test_a_vendor_error_is_a_clear_failure(dingtalk, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-forged")  # DingTalk: 400 InvalidAuthentication

    assert resp.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in resp.templates]
    assert SECRET not in resp.content.decode()
    assert session_user_id(client) is None
    assert _counts() == before
    assert len(dingtalk.calls(TOKEN)) == 1
    assert dingtalk.calls(ME) == []


def test_dingtalk_is_reached_only_through_the_egress_guard(dingtalk, linked, client, hosts_file):
    hosts_file.table["api.dingtalk.com"] = ["169.254.169.254"]  # a name that points inside
    before = _counts()

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 401
    assert session_user_id(client) is None
    assert _counts() == before
    assert dingtalk.seen == []
    assert "api.dingtalk.com" in hosts_file.lookups
