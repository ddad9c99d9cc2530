"""Feishu (飞书) sign-in end to end through allauth's feishu provider, against a fake of
open.feishu.cn served over TLS on loopback: app token, then the code for a user token, then the
user's info; only a linked identity gets a session."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import Membership, Role, User
from tests.factories import MembershipFactory

from .vendor_fakes import callback, json_answer, serve_vendor, session_user_id, start_login

pytestmark = pytest.mark.django_db

APP_ID, SECRET = "cli_a1b2c3d4e5", "feishu-secret-never-shown"
APP_TOKEN = "/open-apis/auth/v3/app_access_token/internal/"
USER_TOKEN = "/open-apis/authen/v1/access_token"
USER_INFO = "/open-apis/authen/v1/user_info"


class Feishu:
    def __init__(self) -> None:
        self.codes = {"code-zhangsan": "ou_zhangsan", "code-lisi": "ou_lisi"}
        self.app_tokens: list[str] = []
        self.user_tokens: dict[str, str] = {}  # user token -> open_id

    def routes(self):
        return {
            f"POST {APP_TOKEN}": self.app_token,
            f"POST {USER_TOKEN}": self.user_token,
            f"GET {USER_INFO}": self.user_info,
        }

    def app_token(self, seen):
        form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
        if form != {"app_id": APP_ID, "app_secret": SECRET}:
            return json_answer({"code": 10014, "msg": "app secret invalid"})
        self.app_tokens.append(f"t-app-{len(self.app_tokens) + 1}")
        return json_answer({"code": 0, "msg": "ok", "app_access_token": self.app_tokens[-1]})

    def user_token(self, seen):
        body = seen.json()
        open_id = self.codes.get(body.get("code", ""))
        if body.get("app_access_token") not in self.app_tokens:
            return json_answer({"code": 99991663, "msg": "app token invalid"})
        if open_id is None:
            return json_answer({"code": 20003, "msg": "invalid code"})
        token = f"u-{len(self.user_tokens) + 1}"
        self.user_tokens[token] = open_id
        return json_answer(
            {"code": 0, "data": {"access_token": token, "expires_in": 6900, "open_id": open_id}}
        )

    def user_info(self, seen):
        open_id = self.user_tokens.get(seen.headers.get("Authorization", "")[len("Bearer ") :])
        if open_id is None:
            return json_answer({"code": 99991668, "msg": "user token invalid"})
        return json_answer(
            {
                "code": 0,
                "data": {
                    "open_id": open_id,
                    "union_id": f"on_{open_id}",
                    "tenant_key": "736588c9260f175d",
                    "name": "张三",
                    "mobile": "+8613800000000",
                    "email": "zhangsan@example.com",
                    "avatar_url": "https://s1-imfile.feishucdn.com/a.png",
                },
            }
        )


@pytest.fixture
def feishu(settings, tmp_path, hosts_file):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "feishu": {"APPS": [{"client_id": APP_ID, "secret": SECRET}]}
    }
    state = Feishu()
    with serve_vendor("open.feishu.cn", tmp_path, hosts_file, settings, state.routes()) as f:
        yield f


@pytest.fixture
def linked(org):
    org.sso_providers = ["feishu"]
    org.save(update_fields=["sso_providers"])
    user = MembershipFactory(organization=org, role=Role.EDITOR).user
    SocialAccount.objects.create(user=user, provider="feishu", uid="ou_zhangsan")
    return user


def _sign_in(client, code: str):
    _, params = start_login(client, "feishu")
    return callback(client, "feishu", code=code, state=params["state"])


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), SocialAccount.objects.count()


def test_login_sends_the_browser_to_feishu(feishu, client):
    url, params = start_login(client, "feishu")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("open.feishu.cn", "/open-apis/authen/v1/index")
    assert params["app_id"] == APP_ID
    assert params["redirect_uri"] == "http://testserver/accounts/feishu/login/callback/"
    assert params["state"]
    assert SECRET not in url
    assert feishu.seen == []  # only the browser goes there


def test_a_linked_user_lands_on_the_dashboard(feishu, linked, client):
    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 302
    assert resp["Location"] == reverse("dashboard:overview")
    assert session_user_id(client) == str(linked.pk)
    assert client.get(resp["Location"]).status_code == 200
    assert [urlsplit(s.path).path for s in feishu.seen] == [APP_TOKEN, USER_TOKEN, USER_INFO]
    assert feishu.calls(USER_TOKEN)[0].json() == {
        "grant_type": "authorization_code",
        "code": "code-zhangsan",
        "app_access_token": "t-app-1",
    }
    assert feishu.calls(USER_INFO)[0].headers["Authorization"] == "Bearer u-1"
    # Only what identifies the account is kept: no mobile number, e-mail or avatar.
    assert SocialAccount.objects.get(user=linked).extra_data == {
        "open_id": "ou_zhangsan",
        "union_id": "on_ou_zhangsan",
        "tenant_key": "736588c9260f175d",
        "name": "张三",
    }


def test_an_unknown_identity_gets_no_access(feishu, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-lisi")

    assert resp.status_code != 302 or resp["Location"] != reverse("dashboard:overview")
    assert session_user_id(client) is None
    assert _counts() == before
    assert not SocialAccount.objects.filter(provider="feishu", uid="ou_lisi").exists()
    assert len(feishu.calls(USER_INFO)) == 1  # Feishu vouched for them: the refusal is ours


def test_a_vendor_error_is_a_clear_failure(feishu, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-forged")  # Feishu: code 20003 invalid code

    assert resp.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in resp.templates]
    assert SECRET not in resp.content.decode()
    assert session_user_id(client) is None
    assert _counts() == before
    assert len(feishu.calls(USER_TOKEN)) == 1
    assert feishu.calls(USER_INFO) == []
