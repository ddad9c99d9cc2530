"""The webhook endpoint admin writes through the notifications services."""

from __future__ import annotations

import pytest

from notifications.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/notifications/webhookendpoint/add/"


def _form(org, **extra):
    return {
        "organization": org.pk,
        "name": "合规群",
        "kind": "json",
        "url": "json://example.com/hook",
        "language": "zh-hans",
        **extra,
    }


def test_admin_add_keeps_an_endpoint_switched_off(client, superuser, org):
    # given
    client.force_login(superuser)

    # when: the "is active" box is left unticked
    resp = client.post(ADD_URL, _form(org))

    # then
    assert resp.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.name, endpoint.is_active) == ("合规群", False)


def test_admin_add_of_an_active_endpoint(client, superuser, org):
    client.force_login(superuser)

    resp = client.post(ADD_URL, _form(org, is_active="on"))

    assert resp.status_code == 302
    assert WebhookEndpoint.objects.get().is_active is True
