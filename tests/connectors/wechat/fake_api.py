"""What the fake WeChat API answers, call by call (tests/connectors/wechat/fake.py holds the
state and the server): each route checks the credentials and tokens the fake issued and answers
as channels.md documents (HTTP 200, `{errcode, errmsg}` on refusal)."""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fake import Authorizer


class WeChatAnswers:
    """The routes, as a base of FakeWeChat (which sets these attributes)."""

    component_appid: str
    component_appsecret: str
    ticket: str
    rotate_refresh_tokens: bool
    authorizers: dict[str, Authorizer]
    component_tokens: set[str]
    access_tokens: dict[str, str]
    expired: set[str]
    appid_calls: Counter[tuple[str, str]]
    face_tasks: dict[str, dict[str, Any]]
    auth_codes: dict[str, str]

    def _issue(self, prefix: str) -> str:
        raise NotImplementedError

    def _component(self, query: dict[str, str]) -> dict | None:
        token = query.get("component_access_token", "")
        if token in self.expired:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if token not in self.component_tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        return None

    def _authorizer(self, query: dict[str, str], path: str) -> tuple[Authorizer | None, dict]:
        token = query.get("access_token", "")
        if token in self.expired:
            return None, {"errcode": 42001, "errmsg": "access_token expired"}
        appid = self.access_tokens.get(token)
        if appid is None:
            return None, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        self.appid_calls[(path, appid)] += 1
        auth = self.authorizers.get(appid)
        if auth is None:
            return None, {"errcode": 61003, "errmsg": "component is not authorized by this account"}
        return auth, {}

    def api_component_token(self, query: dict, body: dict) -> dict:
        if body.get("component_appid") != self.component_appid:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if body.get("component_appsecret") != self.component_appsecret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if body.get("component_verify_ticket") != self.ticket:
            return {"errcode": 61006, "errmsg": "component ticket is invalid"}
        token = self._issue("componenttoken@@@")
        self.component_tokens.add(token)
        return {"component_access_token": token, "expires_in": 7200}

    def _new_access(self, auth: Authorizer) -> dict:
        token = self._issue("authorizertoken@@@")
        self.access_tokens[token] = auth.appid
        if self.rotate_refresh_tokens:
            auth.refresh_token = self._issue("refreshtoken@@@")
        return {
            "authorizer_access_token": token,
            "expires_in": 7200,
            "authorizer_refresh_token": auth.refresh_token,
        }

    def api_authorizer_token(self, query: dict, body: dict) -> dict:
        refused = self._component(query)
        if refused:
            return refused
        auth = self.authorizers.get(str(body.get("authorizer_appid")))
        if auth is None:
            return {"errcode": 61003, "errmsg": "component is not authorized by this account"}
        if body.get("authorizer_refresh_token") != auth.refresh_token:
            return {"errcode": 61023, "errmsg": "refresh_token is invalid"}
        return self._new_access(auth)

    def api_query_auth(self, query: dict, body: dict) -> dict:
        refused = self._component(query)
        if refused:
            return refused
        appid = self.auth_codes.pop(str(body.get("authorization_code")), None)
        if appid is None or appid not in self.authorizers:
            return {"errcode": 61010, "errmsg": "code is expired"}
        auth = self.authorizers[appid]
        return {"authorization_info": {"authorizer_appid": appid, **self._new_access(auth)}}

    def api_get_authorizer_list(self, query: dict, body: dict) -> dict:
        refused = self._component(query)
        if refused:
            return refused
        offset, count = int(body.get("offset", 0)), int(body.get("count", 0))
        if not 0 < count <= 500:
            return {"errcode": 40097, "errmsg": "invalid args"}
        ordered = sorted(self.authorizers.values(), key=lambda a: (a.auth_time, a.appid))
        return {
            "total_count": len(ordered),
            "list": [
                {"authorizer_appid": a.appid, "refresh_token": a.refresh_token,
                 "auth_time": a.auth_time}
                for a in ordered[offset : offset + count]
            ],
        }  # fmt: skip

    def get_icp_entrance_info(self, query: dict, body: dict) -> dict:
        auth, refused = self._authorizer(query, "/wxa/icp/get_icp_entrance_info")
        if auth is None:
            return refused
        return {"errcode": 0, "errmsg": "ok", "info": json.loads(json.dumps(auth.state))}

    def get_online_icp_order(self, query: dict, body: dict) -> dict:
        auth, refused = self._authorizer(query, "/wxa/icp/get_online_icp_order")
        if auth is None:
            return refused
        if not auth.record_number:
            return {"errcode": 86312, "errmsg": "no icp filing on record"}  # [U] code
        return {
            "errcode": 0,
            "errmsg": "ok",
            "icp_subject": {"base_info": {"record_number": auth.record_number.rsplit("-", 1)[0]}},
            "icp_applets": {
                "base_info": {
                    "appid": auth.appid,
                    "name": auth.name,
                    "record_number": auth.record_number,
                }
            },
        }

    def create_icp_verifytask(self, query: dict, body: dict) -> dict:
        auth, refused = self._authorizer(query, "/wxa/icp/create_icp_verifytask")
        if auth is None:
            return refused
        task_id = f"task-{secrets.token_hex(6)}"
        self.face_tasks[task_id] = {
            "appid": auth.appid,
            "along_with_auth": bool(body.get("along_with_auth")),
            "is_finish": False,
            "face_status": 0,
        }
        return {"errcode": 0, "errmsg": "ok", "task_id": task_id}

    def query_icp_verifytask(self, query: dict, body: dict) -> dict:
        auth, refused = self._authorizer(query, "/wxa/icp/query_icp_verifytask")
        if auth is None:
            return refused
        task = self.face_tasks.get(str(body.get("task_id")))
        if task is None or task["appid"] != auth.appid:
            return {"errcode": 86313, "errmsg": "task not found"}  # [U] code
        return {
            "errcode": 0,
            "errmsg": "ok",
            "is_finish": task["is_finish"],
            "face_status": task["face_status"],
        }


ROUTES: dict[tuple[str, str], Callable[[Any, dict, dict], dict]] = {
    ("POST", "/cgi-bin/component/api_component_token"): WeChatAnswers.api_component_token,
    ("POST", "/cgi-bin/component/api_authorizer_token"): WeChatAnswers.api_authorizer_token,
    ("POST", "/cgi-bin/component/api_query_auth"): WeChatAnswers.api_query_auth,
    ("POST", "/cgi-bin/component/api_get_authorizer_list"): WeChatAnswers.api_get_authorizer_list,
    ("GET", "/wxa/icp/get_icp_entrance_info"): WeChatAnswers.get_icp_entrance_info,
    ("GET", "/wxa/icp/get_online_icp_order"): WeChatAnswers.get_online_icp_order,
    ("POST", "/wxa/icp/create_icp_verifytask"): WeChatAnswers.create_icp_verifytask,
    ("POST", "/wxa/icp/query_icp_verifytask"): WeChatAnswers.query_icp_verifytask,
}
