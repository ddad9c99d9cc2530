"""Single sign-on tests: a fake OpenID Connect provider on https://idp.example.com (a TLS
server on a loopback address the test picks), configured as the provider "oidc"; the access
events recorded; a sign-in driven with the Django test client as a browser would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.sso_fakes import FakeOIDC, Identity, vendor_server

PROVIDER_ID = "oidc"
CLIENT_ID = "icpfiling-test"


@pytest.fixture
def idp(tmp_path, hosts_file, settings):
    """The fake provider, configured as SSO_OIDC_* would configure it."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Agency IdP",
                    "client_id": CLIENT_ID,
                    "secret": "s3cret",
                    "settings": {"server_url": "https://idp.example.com"},
                }
            ]
        }
    }
    with vendor_server("idp.example.com", tmp_path, hosts_file, settings) as server:
        yield FakeOIDC(server, client_id=CLIENT_ID)


@dataclass
class Event:
    action: str
    actor: Any
    organization: Any
    target: Any
    detail: dict


@pytest.fixture
def events(monkeypatch) -> list[Event]:
    """The access events recorded (audit.services.record_event), in order."""
    from audit import services

    seen: list[Event] = []
    real = services.record_event

    def record(action, **kwargs):
        seen.append(
            Event(
                str(action),
                kwargs.get("actor"),
                kwargs.get("organization"),
                kwargs.get("target"),
                kwargs.get("detail") or {},
            )
        )
        return real(action, **kwargs)

    monkeypatch.setattr(services, "record_event", record)
    return seen


def login_url(provider_id: str = PROVIDER_ID) -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": provider_id})


def callback_url(provider_id: str = PROVIDER_ID) -> str:
    return reverse("openid_connect_callback", kwargs={"provider_id": provider_id})


def finish_at_provider(client: Client, idp: FakeOIDC, start: Any) -> Any:
    """`start` redirects to the provider: sign in there as `idp.identity` and come back."""
    assert start.status_code == 302, start
    location = start["Location"]
    assert location.startswith("https://idp.example.com/authorize?"), location
    return client.get(callback_url(), idp.callback_query(location))


def sign_in_with_idp(client: Client, idp: FakeOIDC, identity: Identity) -> Any:
    """Press the provider's button on the sign-in page and sign in at the provider."""
    idp.identity = identity
    return finish_at_provider(client, idp, client.post(login_url()))


def session_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None
