"""A NUL in what the sender controls is a malformed push (400), never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from connectors.models import PushEvent, PushOutcome

from .builders import signed_push, ticket_xml
from .conftest import post_push

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["nonce", "msg_signature"])
def test_a_nul_in_the_query_is_malformed(client, account, events_url, queued, field):
    query, body = signed_push(account, ticket_xml(account))
    query[field] = query[field][:4] + "\x00" + query[field][4:]
    response = post_push(client, events_url, query, body)
    assert response.status_code == 400
    event = PushEvent.objects.get()
    assert event.outcome == PushOutcome.MALFORMED
    assert "\x00" not in event.nonce + event.msg_signature
    assert queued == []


def test_a_nul_in_the_urls_appid_is_malformed(client, account, queued):
    url = reverse("connectors_wechat:push-messages", args=[account.push_key, "wx\x00ab"])
    query, body = signed_push(account, ticket_xml(account))
    response = post_push(client, url, query, body)
    assert response.status_code == 400
    assert PushEvent.objects.get().appid == "wxab"
    assert queued == []
