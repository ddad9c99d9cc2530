"""A local fake of WeChat's open-platform API: the token chain and the mini-program filing
calls, answering as channels.md documents them (HTTP 200 with `{errcode, errmsg}`).

It checks what it issued: the component AppID/AppSecret and ticket, every component and
authorizer access token, each authorizer's refresh token. A test (or the Playwright journey,
or the benchmark in a child process) drives it:

    fake = start_fake()                         # threaded http.server on 127.0.0.1:<port>
    fake.add_authorizer("wx…", status=2)        # authorized mini-program, its filing state
    fake.set_state("wx…", status=4, sms=1)      # the state moves on
    fake.script("wx…", [{...}, {...}]); fake.advance("wx…")
    fake.expire_token(appid="wx…")              # next call with that token → 42001
    fake.inject_quota(on_call=3)                # the 3rd filing call → 45011
    fake.fail_next("/cgi-bin/component/api_component_token", 40125, "invalid appsecret")
    fake.calls["/wxa/icp/get_icp_entrance_info"], fake.calls_for(path, appid)
    fake.stop()

With pytest, the `wechat_fake` fixture (conftest.py) starts one and points the settings at it.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.factories.connectors import WECHAT_CREDENTIALS

from .fake_api import ROUTES, WeChatAnswers

TOKEN_PATHS = frozenset(
    {
        "/cgi-bin/component/api_component_token",
        "/cgi-bin/component/api_authorizer_token",
    }
)
FILING_PREFIX = "/wxa/icp/"
DEFAULT_TICKET = "ticket@@@fake-component-verify-ticket-0001"


def _state(
    status: int, sms: int = 0, audit_data: list[dict] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "status": status,
        "sms_verify_status": sms,
        "is_canceling": bool(extra.pop("is_canceling", False)),
        "available": extra.pop("available", 1),
        "audit_data": list(audit_data or []),
        **extra,
    }


@dataclass
class Authorizer:
    appid: str
    refresh_token: str
    auth_time: int
    states: list[dict[str, Any]] = field(default_factory=list)
    at: int = 0
    record_number: str = ""
    name: str = ""

    @property
    def state(self) -> dict[str, Any]:
        return self.states[min(self.at, len(self.states) - 1)]


@dataclass
class Rule:
    """Answer `errcode` on the `on_call`-th matching call from now (once)."""

    prefix: str
    on_call: int
    errcode: int
    errmsg: str
    seen: int = 0


class FakeWeChat(WeChatAnswers):
    def __init__(
        self,
        *,
        component_appid: str = WECHAT_CREDENTIALS["component_appid"],
        component_appsecret: str = WECHAT_CREDENTIALS["component_appsecret"],
        ticket: str = DEFAULT_TICKET,
        rotate_refresh_tokens: bool = False,
        delay: float = 0.0,
    ) -> None:
        self.component_appid = component_appid
        self.component_appsecret = component_appsecret
        self.ticket = ticket
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.delay = delay
        self.lock = threading.RLock()
        self.authorizers: dict[str, Authorizer] = {}
        self.component_tokens: set[str] = set()
        self.access_tokens: dict[str, str] = {}  # token → appid
        self.expired: set[str] = set()
        self.issued: list[str] = []  # every token and refresh token handed out
        self.rules: list[Rule] = []
        self.calls: Counter[str] = Counter()
        self.appid_calls: Counter[tuple[str, str]] = Counter()
        self.face_tasks: dict[str, dict[str, Any]] = {}
        self.auth_codes: dict[str, str] = {}  # authorization code → appid
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life ----------------------------------------------------------------------------

    def start(self) -> FakeWeChat:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what a test sets ----------------------------------------------------------------

    def add_authorizer(
        self, appid: str, status: int = 1024, sms: int = 0, **state: Any
    ) -> Authorizer:
        with self.lock:
            auth = Authorizer(
                appid=appid,
                refresh_token=self._issue("refreshtoken@@@"),
                auth_time=int(time.time()),
                states=[_state(status, sms, **state)],
            )
            self.authorizers[appid] = auth
            return auth

    def remove_authorizer(self, appid: str) -> None:
        with self.lock:
            self.authorizers.pop(appid, None)

    def set_state(
        self, appid: str, status: int, sms: int = 0, audit_data: list[dict] | None = None, **kw: Any
    ) -> None:
        with self.lock:
            auth = self.authorizers[appid]
            auth.states, auth.at = [_state(status, sms, audit_data, **kw)], 0

    def script(self, appid: str, states: list[dict[str, Any]]) -> None:
        """States to answer in turn, each until `advance`: [{"status": 2}, {"status": 4,
        "sms": 1}, …] ("sms" short for sms_verify_status)."""
        with self.lock:
            auth = self.authorizers[appid]
            auth.states = [
                _state(s["status"], s.get("sms", 0), s.get("audit_data"),
                       **{k: v for k, v in s.items() if k not in ("status", "sms", "audit_data")})
                for s in states
            ]  # fmt: skip
            auth.at = 0

    def advance(self, appid: str) -> dict[str, Any]:
        with self.lock:
            auth = self.authorizers[appid]
            auth.at = min(auth.at + 1, len(auth.states) - 1)
            return auth.state

    def set_order(self, appid: str, record_number: str, name: str = "") -> None:
        with self.lock:
            auth = self.authorizers[appid]
            auth.record_number, auth.name = record_number, name

    def set_face_task(self, task_id: str, *, is_finish: bool, face_status: int) -> None:
        with self.lock:
            self.face_tasks[task_id].update(is_finish=is_finish, face_status=face_status)

    def authorization_code(self, appid: str) -> str:
        """A code as the `authorized` push carries it (for api_query_auth)."""
        with self.lock:
            code = self._issue("queryauthcode@@@")
            self.auth_codes[code] = appid
            return code

    def expire_token(self, *, appid: str = "", component: bool = False) -> int:
        """Expire the component token, or `appid`'s authorizer tokens: the next call with one
        answers 42001. Returns how many tokens were expired."""
        with self.lock:
            if component:
                found = set(self.component_tokens)
            else:
                found = {t for t, a in self.access_tokens.items() if a == appid}
            self.expired |= found
            return len(found)

    def inject_quota(self, *, on_call: int = 1, errcode: int = 45011, prefix: str = FILING_PREFIX):
        """The `on_call`-th call under `prefix` from now answers the quota error (once)."""
        self.fail_next(prefix, errcode, "api minute-quota reach limit", on_call=on_call)

    def fail_next(self, prefix: str, errcode: int, errmsg: str = "", *, on_call: int = 1) -> None:
        with self.lock:
            self.rules.append(Rule(prefix, on_call, errcode, errmsg or f"error {errcode}"))

    def calls_for(self, path: str, appid: str) -> int:
        return self.appid_calls[(path, appid)]

    def secrets(self) -> list[str]:
        """Every secret value the fake knows (for tests that nothing leaked)."""
        with self.lock:
            return [self.component_appsecret, self.ticket, *self.issued]

    # -- answering -----------------------------------------------------------------------

    def _issue(self, prefix: str) -> str:
        value = prefix + secrets.token_urlsafe(24)
        self.issued.append(value)
        return value

    def _rule(self, path: str) -> Rule | None:
        """Every rule counts the call; the first one whose turn it is answers it."""
        fired = None
        for rule in list(self.rules):
            if path.startswith(rule.prefix):
                rule.seen += 1
                if rule.seen == rule.on_call:
                    self.rules.remove(rule)
                    fired = fired or rule
        return fired

    def handle(self, method: str, path: str, query: dict[str, str], body: dict) -> dict:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.calls[path] += 1
            rule = self._rule(path)
            if rule is not None:
                return {"errcode": rule.errcode, "errmsg": rule.errmsg}
            route = ROUTES.get((method, path))
            if route is None:
                return {"errcode": 48001, "errmsg": "api unauthorized"}
            return route(self, query, body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    fake: FakeWeChat

    def _answer(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            answer: dict = {"errcode": 47001, "errmsg": "data format error"}
        else:
            answer = self.fake.handle(method, parts.path, query, body)
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def log_message(self, *args: Any) -> None:
        pass


def start_fake(**kwargs: Any) -> FakeWeChat:
    """A started fake (outside pytest: the caller points CONNECTOR_WECHAT_API_BASE at
    `fake.base_url`, allows 127.0.0.1/32 and calls `fake.stop()`)."""
    return FakeWeChat(**kwargs).start()
