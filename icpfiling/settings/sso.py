"""Single sign-on (django-allauth's socialaccount): how provider identities are handled."""

from .environment import env

# Provider calls go through the egress guard; new identities never sign up by themselves.
SOCIALACCOUNT_ADAPTER = "signin.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False

SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {
    # The library's providers with translated names and only the profile fields we keep
    # (signin/providers/library.py); read once, when the provider registry loads.
    "dingtalk": {"provider_class": "signin.providers.library.DingTalkProvider"},
    "feishu": {"provider_class": "signin.providers.library.FeishuProvider"},
}

# WeCom (企业微信, signin.providers.wecom): offered only when the corp ID, agent ID and secret
# are all set.
_WECOM_CORP_ID = env.str("SSO_WECOM_CORP_ID", default="")
_WECOM_AGENT_ID = env.str("SSO_WECOM_AGENT_ID", default="")
_WECOM_SECRET = env.str("SSO_WECOM_SECRET", default="")

SOCIALACCOUNT_PROVIDERS["wecom"] = {
    # "qr": WeCom's QR-code sign-in page (default); "in_app": the OAuth page of WeCom's own browser.
    "LOGIN": env.str("SSO_WECOM_LOGIN", default="qr"),
    "APPS": (
        [
            {
                "client_id": _WECOM_CORP_ID,  # the corp ID (企业ID)
                "secret": _WECOM_SECRET,  # the self-built app's Secret
                "settings": {"agent_id": _WECOM_AGENT_ID},  # the app's AgentId
            }
        ]
        if _WECOM_CORP_ID and _WECOM_AGENT_ID and _WECOM_SECRET
        else []
    ),
}
