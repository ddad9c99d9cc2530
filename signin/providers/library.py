"""django-allauth's own DingTalk and Feishu providers, as configured through the library's
`provider_class` setting: translated names, and only the profile fields an account needs are
kept in `SocialAccount.extra_data` (no mobile number, no e-mail, no avatar: PIPL minimisation)."""

from __future__ import annotations

from allauth.socialaccount.providers.dingtalk import provider as dingtalk
from allauth.socialaccount.providers.feishu import provider as feishu
from django.utils.translation import gettext_lazy as _


def _only(data: dict, keys: tuple[str, ...]) -> dict:
    return {k: data[k] for k in keys if data.get(k) not in (None, "")}


class DingTalkProvider(dingtalk.DingTalkProvider):
    name = _("DingTalk")
    package = "allauth.socialaccount.providers.dingtalk"  # its views and URLs

    def extract_extra_data(self, data: dict) -> dict:
        return _only(data, ("openId", "unionId", "nick"))


class FeishuProvider(feishu.FeishuProvider):
    name = _("Feishu")
    package = "allauth.socialaccount.providers.feishu"

    def extract_extra_data(self, data: dict) -> dict:
        # tenant_key: which company the person signed in from.
        return _only(data, ("open_id", "union_id", "user_id", "tenant_key", "name", "en_name"))
