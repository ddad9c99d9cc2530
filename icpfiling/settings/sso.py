"""Single sign-on (django-allauth's socialaccount): which providers are offered, from the
environment, and how their identities are handled. A provider is offered only when configured."""

from __future__ import annotations

from typing import Any

from .environment import env

# Provider calls go through the egress guard; new identities never sign up by themselves and
# are never matched to an account by e-mail: an identity is linked by its owner or through an
# invitation (signin.sso.adapter).
SOCIALACCOUNT_ADAPTER = "signin.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = False
# The provider's access tokens are not needed after sign-in: not kept.
SOCIALACCOUNT_STORE_TOKENS = False
# Starting a sign-in changes state: POST only (the buttons are forms).
SOCIALACCOUNT_LOGIN_ON_GET = False

# A generic OpenID Connect provider (e.g. an agency's Keycloak, Authing, Azure AD).
SSO_OIDC_SERVER_URL = env.str("SSO_OIDC_SERVER_URL", default="")
SSO_OIDC_CLIENT_ID = env.str("SSO_OIDC_CLIENT_ID", default="")
SSO_OIDC_SECRET = env.str("SSO_OIDC_SECRET", default="")
SSO_OIDC_PROVIDER_ID = env.str("SSO_OIDC_PROVIDER_ID", default="oidc")
SSO_OIDC_NAME = env.str("SSO_OIDC_NAME", default="OpenID Connect")
# DingTalk (钉钉) and Feishu (飞书): allauth's own providers.
SSO_DINGTALK_CLIENT_ID = env.str("SSO_DINGTALK_CLIENT_ID", default="")
SSO_DINGTALK_SECRET = env.str("SSO_DINGTALK_SECRET", default="")
SSO_FEISHU_APP_ID = env.str("SSO_FEISHU_APP_ID", default="")
SSO_FEISHU_SECRET = env.str("SSO_FEISHU_SECRET", default="")
# WeCom (企业微信): our provider (signin.providers.wecom): corp ID, the sign-in app's AgentId
# and Secret (all three, or WeCom is not offered).
SSO_WECOM_CORP_ID = env.str("SSO_WECOM_CORP_ID", default="")
SSO_WECOM_AGENT_ID = env.str("SSO_WECOM_AGENT_ID", default="")
SSO_WECOM_SECRET = env.str("SSO_WECOM_SECRET", default="")
# "qr": WeCom's QR-code sign-in page; "in_app": the OAuth page of WeCom's own browser.
SSO_WECOM_LOGIN = env.str("SSO_WECOM_LOGIN", default="qr")

# Provider ids an organization may list in `sso_providers` (accounts.models validates them).
SSO_VENDOR_PROVIDER_IDS = ["wecom", "dingtalk", "feishu"]
SSO_PROVIDER_IDS = [*SSO_VENDOR_PROVIDER_IDS, SSO_OIDC_PROVIDER_ID]
# A superuser belongs to no organization: no provider signs one in unless listed here.
SSO_SUPERUSER_PROVIDERS: list[str] = env.list("SSO_SUPERUSER_PROVIDERS", default=[])

# Invitations (signin.Invitation): how long a link stays good.
SIGNIN_INVITATION_DAYS = env.int("SIGNIN_INVITATION_DAYS", default=7)


def _app(client_id: str, secret: str, **extra: Any) -> dict[str, Any]:
    return {"client_id": client_id, "secret": secret, **extra}


def _providers() -> dict[str, dict[str, Any]]:
    """SOCIALACCOUNT_PROVIDERS with an app for each provider configured in the environment."""
    providers: dict[str, dict[str, Any]] = {
        # The library's providers with translated names and only the profile fields we keep
        # (signin/providers/library.py); read once, when the provider registry loads.
        "dingtalk": {"provider_class": "signin.providers.library.DingTalkProvider"},
        "feishu": {"provider_class": "signin.providers.library.FeishuProvider"},
    }
    if SSO_OIDC_SERVER_URL and SSO_OIDC_CLIENT_ID:
        oidc = _app(
            SSO_OIDC_CLIENT_ID,
            SSO_OIDC_SECRET,
            provider_id=SSO_OIDC_PROVIDER_ID,
            name=SSO_OIDC_NAME,
            settings={"server_url": SSO_OIDC_SERVER_URL},
        )
        providers["openid_connect"] = {"APPS": [oidc]}
    if SSO_DINGTALK_CLIENT_ID:
        providers["dingtalk"]["APPS"] = [_app(SSO_DINGTALK_CLIENT_ID, SSO_DINGTALK_SECRET)]
    if SSO_FEISHU_APP_ID:
        providers["feishu"]["APPS"] = [_app(SSO_FEISHU_APP_ID, SSO_FEISHU_SECRET)]
    if SSO_WECOM_CORP_ID and SSO_WECOM_AGENT_ID and SSO_WECOM_SECRET:
        wecom = _app(SSO_WECOM_CORP_ID, SSO_WECOM_SECRET, settings={"agent_id": SSO_WECOM_AGENT_ID})
        providers["wecom"] = {"LOGIN": SSO_WECOM_LOGIN, "APPS": [wecom]}
    return providers


SOCIALACCOUNT_PROVIDERS = _providers()


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


# Where the sign-in buttons' forms redirect to (the providers' authorize pages): the Content
# Security Policy's form-action must allow them, as browsers apply it to redirects (csp.py).
SSO_AUTHORIZE_ORIGINS = {
    "openid_connect": [_origin(SSO_OIDC_SERVER_URL)] if SSO_OIDC_SERVER_URL else [],
    "dingtalk": ["https://login.dingtalk.com"],
    "feishu": ["https://open.feishu.cn"],
    "wecom": ["https://login.work.weixin.qq.com", "https://open.weixin.qq.com"],
}
SSO_FORM_ACTION_ORIGINS = sorted(
    {
        origin
        for provider, entry in SOCIALACCOUNT_PROVIDERS.items()
        if entry.get("APPS")
        for origin in SSO_AUTHORIZE_ORIGINS.get(provider, [])
    }
)
