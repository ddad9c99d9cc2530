"""The vendors' configuration: WeCom from the environment (offered only when complete), and the
library's DingTalk / Feishu providers swapped for ours through `provider_class`."""

from __future__ import annotations

import importlib

import pytest
from allauth.socialaccount.providers import registry

import icpfiling.settings.sso as sso_settings
from signin.providers.library import DingTalkProvider, FeishuProvider
from signin.providers.wecom.provider import WeComProvider

WECOM_ENV = {
    "SSO_WECOM_CORP_ID": "ww0123456789abcdef",
    "SSO_WECOM_AGENT_ID": "1000002",
    "SSO_WECOM_SECRET": "s3cret",
}


@pytest.fixture
def reload_sso(monkeypatch):
    def reload(env: dict[str, str]):
        for name in WECOM_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(sso_settings).SOCIALACCOUNT_PROVIDERS

    yield reload
    monkeypatch.undo()
    importlib.reload(sso_settings)


def test_wecom_is_configured_from_the_environment(reload_sso):
    wecom = reload_sso(WECOM_ENV)["wecom"]

    assert wecom["APPS"] == [
        {
            "client_id": "ww0123456789abcdef",
            "secret": "s3cret",
            "settings": {"agent_id": "1000002"},
        }
    ]
    assert wecom["LOGIN"] == "qr"


@pytest.mark.parametrize("missing", sorted(WECOM_ENV))
def test_wecom_is_not_offered_half_configured(reload_sso, missing):
    env = {k: v for k, v in WECOM_ENV.items() if k != missing}

    assert reload_sso(env).get("wecom", {}).get("APPS", []) == []


def test_the_registry_holds_our_providers():
    assert registry.get_class("wecom") is WeComProvider
    assert registry.get_class("dingtalk") is DingTalkProvider
    assert registry.get_class("feishu") is FeishuProvider
