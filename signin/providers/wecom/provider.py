"""The WeCom provider: one SocialApp per corp (client_id = corp ID, secret = the app's secret,
settings {"agent_id": …}); an identity is a member of that corp, uid "<corpid>:<userid>"."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from django.utils.translation import gettext_lazy as _

from .views import WeComOAuth2Adapter


class WeComAccount(ProviderAccount):
    def to_str(self) -> str:
        data = self.account.extra_data
        return str(data.get("name") or data.get("userid") or super().to_str())


class WeComProvider(OAuth2Provider):
    id = "wecom"
    name = _("WeCom")
    account_class = WeComAccount
    oauth2_adapter_class = WeComOAuth2Adapter

    def extract_uid(self, data: dict) -> str:
        # A userid is unique only inside its corp.
        return f"{data['corpid']}:{data['userid']}"

    def extract_common_fields(self, data: dict) -> dict:
        email = data.get("biz_mail") or data.get("email") or ""
        fields = {"username": data.get("userid"), "name": data.get("name") or ""}
        if email:
            fields["email"] = email
        return fields


provider_classes = [WeComProvider]
