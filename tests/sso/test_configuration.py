"""Providers come from the environment and are offered only when configured; an organization's
`sso_providers` accepts only the provider ids this installation knows, and superusers set them
in the admin."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization, validate_sso_providers
from icpfiling.settings import sso

pytestmark = pytest.mark.django_db


@pytest.fixture
def env_sso(monkeypatch):
    """Reload settings/sso.py under the given environment; restore it afterwards."""

    def load(**variables: str):
        for name in [n for n in dir(sso) if n.startswith("SSO_")]:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(sso)

    yield load
    monkeypatch.undo()
    importlib.reload(sso)


def test_no_provider_is_offered_until_configured(env_sso):
    providers = env_sso().SOCIALACCOUNT_PROVIDERS
    assert not any(entry.get("APPS") for entry in providers.values())
    # DingTalk and Feishu keep only their provider classes (translated names, trimmed profiles)
    assert set(providers) == {"dingtalk", "feishu"}


def test_each_provider_is_configured_from_its_variables(env_sso):
    module = env_sso(
        SSO_OIDC_SERVER_URL="https://sso.agency.example",
        SSO_OIDC_CLIENT_ID="icp",
        SSO_OIDC_SECRET="s",
        SSO_OIDC_PROVIDER_ID="agency",
        SSO_OIDC_NAME="Agency SSO",
        SSO_DINGTALK_CLIENT_ID="ding",
        SSO_DINGTALK_SECRET="ds",
        SSO_FEISHU_APP_ID="cli_1",
        SSO_FEISHU_SECRET="fs",
        SSO_WECOM_CORP_ID="ww1",
        SSO_WECOM_AGENT_ID="1000002",
        SSO_WECOM_SECRET="ws",
    )
    providers = module.SOCIALACCOUNT_PROVIDERS
    [oidc] = providers["openid_connect"]["APPS"]
    assert (oidc["provider_id"], oidc["name"], oidc["client_id"]) == ("agency", "Agency SSO", "icp")
    assert oidc["settings"] == {"server_url": "https://sso.agency.example"}
    assert providers["dingtalk"]["APPS"] == [{"client_id": "ding", "secret": "ds"}]
    assert providers["feishu"]["APPS"] == [{"client_id": "cli_1", "secret": "fs"}]
    assert providers["wecom"]["APPS"] == [
        {"client_id": "ww1", "secret": "ws", "settings": {"agent_id": "1000002"}}
    ]
    assert module.SSO_PROVIDER_IDS == ["wecom", "dingtalk", "feishu", "agency"]


def test_wecom_needs_all_three_values(env_sso):
    module = env_sso(SSO_WECOM_CORP_ID="ww1", SSO_WECOM_SECRET="ws")
    assert "wecom" not in module.SOCIALACCOUNT_PROVIDERS


@pytest.mark.parametrize(
    "value",
    [["google"], ["wecom", "wecom"], "wecom", [1]],
    ids=["unknown", "twice", "not_a_list", "not_a_string"],
)
def test_unknown_provider_ids_are_refused(value, org):
    with pytest.raises(ValidationError):
        validate_sso_providers(value)
    org.sso_providers = value
    with pytest.raises(ValidationError):
        org.full_clean()


def test_known_provider_ids_are_accepted(org):
    org.sso_providers = ["wecom", "dingtalk", "feishu", "oidc"]
    org.full_clean()


def test_a_superuser_sets_the_providers_in_the_admin(org, superuser, client):
    client.force_login(superuser)  # the fixture's superuser has a second factor
    form = client.get(f"/admin/accounts/organization/{org.pk}/change/")
    assert 'name="sso_providers" value="dingtalk"' in form.content.decode()

    resp = client.post(
        f"/admin/accounts/organization/{org.pk}/change/",
        {
            "name": org.name,
            "slug": org.slug,
            "kind": org.kind,
            "acknowledgement_roles": org.acknowledgement_roles,
            "personal_webhook_roles": org.personal_webhook_roles,
            "sso_providers": ["dingtalk", "oidc"],
        },
    )

    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert Organization.objects.get(pk=org.pk).sso_providers == ["dingtalk", "oidc"]


def test_a_manager_cannot_set_an_unknown_provider_through_the_service(org, manager):
    from accounts import services

    with pytest.raises(ValidationError):
        services.organization_update(user=manager, organization=org, sso_providers=["google"])
    assert Organization.objects.get(pk=org.pk).sso_providers == []


def test_the_sign_in_forms_may_redirect_to_the_configured_providers_only(env_sso):
    assert env_sso().SSO_FORM_ACTION_ORIGINS == []
    module = env_sso(
        SSO_OIDC_SERVER_URL="https://sso.agency.example/realms/icp",
        SSO_OIDC_CLIENT_ID="icp",
        SSO_WECOM_CORP_ID="ww1",
        SSO_WECOM_AGENT_ID="1000002",
        SSO_WECOM_SECRET="ws",
    )
    assert module.SSO_FORM_ACTION_ORIGINS == [
        "https://login.work.weixin.qq.com",
        "https://open.weixin.qq.com",
        "https://sso.agency.example",
    ]
