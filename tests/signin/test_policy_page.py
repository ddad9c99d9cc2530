"""An organization's managers choose its sign-in policy; nobody else sees the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organization

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_manager_requires_two_factor_of_every_member(org, manager):
    client = _client(manager)
    url = reverse("signin:policy", args=[org.pk])
    assert url in client.get(reverse("accounts:profile")).content.decode()
    assert client.get(url).status_code == 200

    response = client.post(url, {"require_two_factor": "on", "password_sign_in": "on"})
    assert response["Location"] == url
    org.refresh_from_db()
    assert org.require_two_factor is True
    assert org.password_sign_in is True
    # The manager is a member too: the next page is the authenticator setup.
    assert client.get("/")["Location"].startswith("/accounts/2fa/totp/activate/")


def test_passwords_stay_on_until_a_single_sign_on_provider_is_chosen(org, manager):
    client = _client(manager)
    url = reverse("signin:policy", args=[org.pk])
    response = client.post(url, {"password_sign_in": ""})
    assert response.status_code == 200
    assert "single sign-on provider" in response.content.decode()
    org.refresh_from_db()
    assert org.password_sign_in is True

    Organization.objects.filter(pk=org.pk).update(sso_providers=["dingtalk"])
    assert client.post(url, {})["Location"] == url
    org.refresh_from_db()
    assert org.password_sign_in is False
    assert org.require_two_factor is False


@pytest.mark.parametrize("who", ["editor", "viewer", "other_manager"])
def test_others_get_a_404_and_change_nothing(request, org, who):
    user = request.getfixturevalue(who)
    client = _client(user)
    url = reverse("signin:policy", args=[org.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"require_two_factor": "on"}).status_code == 404
    org.refresh_from_db()
    assert org.require_two_factor is False
    assert org.password_sign_in is True
