"""The WeCom OAuth2 views: the QR code sign-in page of WeCom (or, with the app setting
{"login": "in_app"}, the OAuth page inside WeCom's own browser), then the code is resolved with
the corp access token — WeCom does not exchange it for a user token."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from allauth.utils import get_request_param
from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import get_language

from . import api

QR_LOGIN_URL = "https://login.work.weixin.qq.com/wwlogin/sso/login"
IN_APP_LOGIN_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"


class WeComOAuth2Client(OAuth2Client):
    client_id_parameter = "appid"

    def __init__(self, *args: Any, agent_id: str = "", in_app: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.agent_id = agent_id
        self.in_app = in_app

    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        if self.in_app:
            params = {
                "appid": self.consumer_key,
                "redirect_uri": self.callback_url,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": self.state or "",
                "agentid": self.agent_id,
                **extra_params,
            }
            return f"{IN_APP_LOGIN_URL}?{urlencode(params)}#wechat_redirect"
        params = {
            "login_type": "CorpApp",
            "appid": self.consumer_key,
            "agentid": self.agent_id,
            "redirect_uri": self.callback_url,
            "state": self.state or "",
            "lang": "zh" if (get_language() or "").startswith("zh") else "en",
            **extra_params,
        }
        return f"{QR_LOGIN_URL}?{urlencode(params)}"

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        raise OAuth2Error("WeCom resolves the code with the corp token (see api.identity)")


class WeComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wecom"
    client_class = WeComOAuth2Client
    access_token_url = api.GETTOKEN_URL  # nosec: not used to exchange the code

    @property
    def authorize_url(self) -> str:
        return IN_APP_LOGIN_URL if self._in_app() else QR_LOGIN_URL

    def _in_app(self) -> bool:
        provider = self.get_provider()
        login = provider.app.settings.get("login") or provider.get_settings().get("LOGIN", "qr")
        return login == "in_app"

    def get_client(self, request: HttpRequest, app) -> WeComOAuth2Client:
        provider = self.get_provider()
        agent_id = app.settings.get("agent_id") or provider.get_settings().get("AGENT_ID", "")
        return WeComOAuth2Client(
            self.request,
            app.client_id,
            app.secret,
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            agent_id=str(agent_id),
            in_app=self._in_app(),
        )

    def get_access_token_data(self, request: HttpRequest, app, client, pkce_code_verifier=None):
        code = get_request_param(self.request, "code")
        if not code:
            raise OAuth2Error("WeCom sent no code")
        data = api.identity(app.client_id, app.secret, code)
        self.did_fetch_access_token = True
        return data

    def parse_token(self, data: dict) -> SocialToken:
        # There is no user token: the corp token is the app's and is never stored with a user.
        return SocialToken(token="")

    def complete_login(self, request: HttpRequest, app, token: SocialToken, **kwargs: Any):
        return self.get_provider().sociallogin_from_response(request, kwargs["response"])


oauth2_login = OAuth2LoginView.adapter_view(WeComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WeComOAuth2Adapter)
