"""WeCom (企业微信) sign-in end to end: our provider against a fake of qyapi.weixin.qq.com served
over TLS on loopback. The code is resolved with the corp access token (fetched once, reused),
never exchanged with the secret; only a linked identity of the right corp gets a session."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Membership, Role, User
from tests.egress_fakes import Answer
from tests.factories import MembershipFactory

from .vendor_fakes import callback, json_answer, query, serve_vendor, session_user_id, start_login

pytestmark = pytest.mark.django_db

CORP = "ww0123456789abcdef"
SECRET = "corp-secret-never-shown"
AGENT = "1000002"
GETTOKEN, USERINFO, USER_GET = "/cgi-bin/gettoken", "/cgi-bin/auth/getuserinfo", "/cgi-bin/user/get"


class WeCom:
    """What the fake knows: which code stands for whom, which corp tokens it handed out."""

    def __init__(self) -> None:
        self.codes: dict[str, dict] = {
            "code-zhangsan": {"userid": "zhangsan", "user_ticket": "t"},
            "code-lisi": {"userid": "lisi"},
            "code-outsider": {"openid": "oAbCdEf", "external_userid": "wmX"},
        }
        self.issued: list[str] = []
        self.expired: set[str] = set()
        self.member = json_answer(
            {
                "errcode": 0,
                "errmsg": "ok",
                "userid": "zhangsan",
                "name": "张三",
                "email": "zhangsan@example.com",
                "mobile": "13800000000",
                "gender": "1",
            }
        )

    def routes(self):
        return {
            f"GET {GETTOKEN}": self.gettoken,
            f"GET {USERINFO}": self.getuserinfo,
            f"GET {USER_GET}": self.user_get,
        }

    def _token_ok(self, seen) -> bool:
        token = query(seen).get("access_token")
        return token in self.issued and token not in self.expired

    def gettoken(self, seen):
        q = query(seen)
        if (q.get("corpid"), q.get("corpsecret")) != (CORP, SECRET):
            return json_answer({"errcode": 40001, "errmsg": "invalid credential"})
        self.issued.append(f"corp-token-{len(self.issued) + 1}")
        return json_answer(
            {"errcode": 0, "errmsg": "ok", "access_token": self.issued[-1], "expires_in": 7200}
        )

    def getuserinfo(self, seen):
        if not self._token_ok(seen):
            return json_answer({"errcode": 42001, "errmsg": "access_token expired"})
        who = self.codes.get(query(seen).get("code", ""))
        if who is None:
            return json_answer({"errcode": 40029, "errmsg": "invalid code"})
        return json_answer({"errcode": 0, "errmsg": "ok", **who})

    def user_get(self, seen):
        if not self._token_ok(seen):
            return json_answer({"errcode": 42001, "errmsg": "access_token expired"})
        return self.member


@pytest.fixture
def wecom_app(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "wecom": {"APPS": [{"client_id": CORP, "secret": SECRET, "settings": {"agent_id": AGENT}}]}
    }
    cache.clear()  # no corp token from another test
    yield
    cache.clear()


@pytest.fixture
def wecom(wecom_app, tmp_path, hosts_file, settings):
    state = WeCom()
    with serve_vendor("qyapi.weixin.qq.com", tmp_path, hosts_file, settings, state.routes()) as f:
        f.state = state
        yield f


@pytest.fixture
def linked(org):
    """Zhang San of the corp, an editor of `org`, which allows WeCom."""
    org.sso_providers = ["wecom"]
    org.save(update_fields=["sso_providers"])
    user = MembershipFactory(organization=org, role=Role.EDITOR).user
    SocialAccount.objects.create(user=user, provider="wecom", uid=f"{CORP}:zhangsan")
    return user


def _sign_in(client, code: str):
    _, params = start_login(client, "wecom")
    return callback(client, "wecom", code=code, state=params["state"])


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), SocialAccount.objects.count()


# --- the way out to WeCom ------------------------------------------------------------------------


def test_login_sends_the_browser_to_wecoms_qr_page(wecom_app, client):
    url, params = start_login(client, "wecom")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "login.work.weixin.qq.com",
        "/wwlogin/sso/login",
    )
    assert params["login_type"] == "CorpApp"
    assert params["appid"] == CORP
    assert params["agentid"] == AGENT
    assert params["redirect_uri"] == "http://testserver/accounts/wecom/login/callback/"
    assert len(params["state"]) >= 8
    assert SECRET not in url


def test_in_app_login_uses_wecoms_oauth_page(wecom_app, settings, client):
    settings.SOCIALACCOUNT_PROVIDERS["wecom"]["LOGIN"] = "in_app"
    url, params = start_login(client, "wecom")
    assert url.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
    assert url.endswith("#wechat_redirect")
    assert params["appid"] == CORP
    assert params["agentid"] == AGENT
    assert params["scope"] == "snsapi_base"
    assert params["response_type"] == "code"
    assert params["redirect_uri"] == "http://testserver/accounts/wecom/login/callback/"


# --- back from WeCom ---------------------------------------------------------------------------


def test_a_linked_member_lands_on_the_dashboard(wecom, linked, client):
    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 302
    assert resp["Location"] == reverse("dashboard:overview")
    assert session_user_id(client) == str(linked.pk)
    assert client.get(resp["Location"]).status_code == 200
    # One corp token (with the secret), one code lookup with it, one directory read.
    [token_call] = wecom.calls(GETTOKEN)
    assert query(token_call) == {"corpid": CORP, "corpsecret": SECRET}
    [info_call] = wecom.calls(USERINFO)
    assert query(info_call) == {"access_token": "corp-token-1", "code": "code-zhangsan"}
    [member_call] = wecom.calls(USER_GET)
    assert query(member_call) == {"access_token": "corp-token-1", "userid": "zhangsan"}
    assert len(wecom.seen) == 3
    # What is kept of the directory entry: no mobile number, no gender.
    account = SocialAccount.objects.get(user=linked)
    assert account.extra_data == {
        "corpid": CORP,
        "userid": "zhangsan",
        "name": "张三",
        "email": "zhangsan@example.com",
    }


def test_the_corp_token_is_fetched_once_and_reused(wecom, linked, client):
    assert _sign_in(client, "code-zhangsan").status_code == 302
    client.logout()
    second = client.__class__()
    assert _sign_in(second, "code-zhangsan").status_code == 302

    assert session_user_id(second) == str(linked.pk)
    assert len(wecom.calls(GETTOKEN)) == 1
    assert [query(s)["access_token"] for s in wecom.calls(USERINFO)] == ["corp-token-1"] * 2


def test_an_expired_corp_token_is_replaced_once(wecom, linked, client):
    assert _sign_in(client, "code-zhangsan").status_code == 302
    client.logout()
    wecom.state.expired.add("corp-token-1")  # WeCom ended it before our cache did

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 302
    assert session_user_id(client) == str(linked.pk)
    assert len(wecom.calls(GETTOKEN)) == 2
    assert [query(s)["access_token"] for s in wecom.calls(USERINFO)] == [
        "corp-token-1",
        "corp-token-1",
        "corp-token-2",
    ]


def test_a_directory_error_does_not_stop_a_linked_member(wecom, linked, client):
    wecom.state.member = json_answer({"errcode": 60011, "errmsg": "no privilege to access"})

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 302
    assert session_user_id(client) == str(linked.pk)
    assert len(wecom.calls(USER_GET)) == 1
    extra = SocialAccount.objects.get(user=linked).extra_data
    assert extra == {"corpid": CORP, "userid": "zhangsan"}


def test_an_unknown_member_gets_no_access(wecom, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-lisi")  # a member of the corp nobody linked

    assert resp.status_code != 302 or resp["Location"] != reverse("dashboard:overview")
    assert session_user_id(client) is None
    assert _counts() == before
    assert not SocialAccount.objects.filter(uid=f"{CORP}:lisi").exists()
    assert len(wecom.calls(USERINFO)) == 1  # it did ask WeCom: the refusal is ours
    assert client.get(reverse("dashboard:overview")).status_code == 302  # to the sign-in page


def test_the_same_userid_in_another_corp_is_someone_else(wecom, linked, client):
    SocialAccount.objects.filter(user=linked).update(uid="wwOTHERCORP:zhangsan")
    before = _counts()

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code != 302 or resp["Location"] != reverse("dashboard:overview")
    assert session_user_id(client) is None
    assert _counts() == before


def test_someone_outside_the_corp_is_refused(wecom, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-outsider")  # WeCom answers an openid, no userid

    assert resp.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in resp.templates]
    assert session_user_id(client) is None
    assert _counts() == before
    assert wecom.calls(USER_GET) == []


def test_an_invalid_code_is_a_clear_failure(wecom, linked, client):
    before = _counts()

    resp = _sign_in(client, "code-forged")  # WeCom: errcode 40029 invalid code

    assert resp.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in resp.templates]
    error = resp.context["auth_error"]["exception"]
    assert error.errcode == 40029
    assert SECRET not in resp.content.decode()
    assert "corp-token-1" not in resp.content.decode()
    assert session_user_id(client) is None
    assert _counts() == before
    assert len(wecom.calls(USERINFO)) == 1
    assert wecom.calls(USER_GET) == []


def test_a_wrong_secret_is_a_clear_failure_and_nothing_is_cached(wecom, linked, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS["wecom"]["APPS"][0]["secret"] = "wrong"

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 401
    assert resp.context["auth_error"]["exception"].errcode == 40001
    assert session_user_id(client) is None
    assert wecom.calls(USERINFO) == []
    settings.SOCIALACCOUNT_PROVIDERS["wecom"]["APPS"][0]["secret"] = SECRET
    assert _sign_in(client, "code-zhangsan").status_code == 302
    assert len(wecom.calls(GETTOKEN)) == 2  # the failure left no token behind


def test_a_callback_without_the_state_it_started_with_is_refused(wecom, linked, client):
    start_login(client, "wecom")

    resp = callback(client, "wecom", code="code-zhangsan", state="forged-state")

    assert resp.status_code == 401
    assert session_user_id(client) is None
    assert wecom.seen == []  # refused before anything was asked of WeCom


@pytest.mark.parametrize(("accept", "lang"), [("zh-hans", "zh"), ("en", "en")])
def test_the_qr_page_speaks_the_visitors_language(wecom_app, client, accept, lang):
    resp = client.post("/accounts/wecom/login/", HTTP_ACCEPT_LANGUAGE=accept)

    assert query_of(resp["Location"])["lang"] == lang


def test_a_socialapp_row_configures_wecom_too(settings, client, db):
    settings.SOCIALACCOUNT_PROVIDERS = {"wecom": {}}
    SocialApp.objects.create(
        provider="wecom", name="WeCom", client_id="wwROW", secret="x", settings={"agent_id": "7"}
    )

    _, params = start_login(client, "wecom")

    assert (params["appid"], params["agentid"]) == ("wwROW", "7")


def test_wecom_is_reached_only_through_the_egress_guard(wecom_app, linked, client, hosts_file):
    hosts_file.table["qyapi.weixin.qq.com"] = ["10.0.0.5"]  # a name that points inside
    before = _counts()

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 401
    assert session_user_id(client) is None
    assert _counts() == before
    assert "qyapi.weixin.qq.com" in hosts_file.lookups  # asked, refused before connecting


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(Answer(status=502, body=b"<html>Bad Gateway</html>"), id="http_error"),
        pytest.param(Answer(body=b"<html>not json</html>"), id="not_json"),
        pytest.param(json_answer({"errcode": "x"}), id="odd_errcode"),
        pytest.param(json_answer(["a", "list"]), id="not_an_object"),
    ],
)
def test_a_broken_answer_is_a_clear_failure(wecom, linked, client, answer):
    wecom.routes[f"GET {USERINFO}"] = lambda seen: answer

    resp = _sign_in(client, "code-zhangsan")

    assert resp.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in resp.templates]
    assert session_user_id(client) is None
    assert len(wecom.calls(USERINFO)) == 1
