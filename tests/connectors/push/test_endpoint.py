"""The push endpoint: only a signed, fresh, decryptable push for this account is accepted."""

from __future__ import annotations

import time
import uuid

import pytest
from django.urls import reverse

from connectors.models import ConnectorToken, PushEvent, PushOutcome
from connectors.wechat import crypto
from connectors.wechat.receive import MAX_BODY
from tests.factories import ConnectorAccountFactory

from .builders import TICKET, signed_push, ticket_xml
from .conftest import post_push

pytestmark = pytest.mark.django_db


def _snapshot(account):
    return (
        list(PushEvent.objects.filter(account=account).values_list("outcome", flat=True)),
        list(ConnectorToken.objects.filter(account=account).values_list("name", flat=True)),
    )


def test_accepted_push_answers_success_records_it_and_queues_on_commit(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    query, body = signed_push(account, ticket_xml(account))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_push(client, events_url, query, body)
    assert response.status_code == 200
    assert response.content == b"success"
    assert response["Content-Type"].startswith("text/plain")
    event = PushEvent.objects.get(account=account)
    assert event.outcome == PushOutcome.ACCEPTED
    assert event.info_type == "component_verify_ticket"
    assert event.msg_signature == query["msg_signature"]
    assert event.timestamp == int(query["timestamp"])
    assert event.remote_addr == "127.0.0.1"
    assert len(callbacks) == 1
    assert queued == [("connectors.push", (event.pk,), {})]
    # the ticket is handed over encrypted, never in the event's payload
    assert "ComponentVerifyTicket" not in event.payload
    assert TICKET not in str(PushEvent.objects.filter(pk=event.pk).values().get())
    token = ConnectorToken.objects.get(account=account, name=f"push:{event.pk}")
    assert TICKET in token.value
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM connectors_connectortoken WHERE id = %s", [token.pk])
        assert TICKET not in cursor.fetchone()[0]


def test_the_same_push_again_is_a_refused_replay(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    query, body = signed_push(account, ticket_xml(account))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_push(client, events_url, query, body).status_code == 200
    queued.clear()
    tokens_before = ConnectorToken.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_push(client, events_url, query, body)
    assert response.status_code == 403
    assert response.content == b""
    assert list(
        PushEvent.objects.filter(account=account).order_by("pk").values_list("outcome", flat=True)
    ) == [PushOutcome.ACCEPTED, PushOutcome.REPLAYED]
    assert callbacks == []
    assert queued == []
    assert ConnectorToken.objects.count() == tokens_before


def _refused(client, url, account, query, body, outcome, status, queued, capture):
    before = _snapshot(account)
    with capture(execute=True) as callbacks:
        response = post_push(client, url, query, body)
    assert response.status_code == status
    assert b"success" not in response.content
    after = _snapshot(account)
    assert after[0] == [*before[0], outcome]
    assert after[1] == before[1]  # no secret handed over
    assert callbacks == []
    assert queued == []
    event = PushEvent.objects.filter(account=account).latest("pk")
    assert event.payload == {}
    assert event.processed_at is None
    return event


def test_forged_signature_is_refused_and_recorded(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    query, body = signed_push(account, ticket_xml(account))
    query["msg_signature"] = "0" * 40
    event = _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.FORGED,
        403,
        queued,
        django_capture_on_commit_callbacks,
    )
    assert event.remote_addr == "127.0.0.1"
    assert event.msg_signature == "0" * 40


def test_a_push_signed_with_another_token_is_forged(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    other = ConnectorAccountFactory(organization=account.organization)
    other.set_credential_values({**account.credential_values(), "token": "anotherToken1"})
    query, body = signed_push(other, ticket_xml(account))
    _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.FORGED,
        403,
        queued,
        django_capture_on_commit_callbacks,
    )


@pytest.mark.parametrize("offset", [-3600, 3600])
def test_stale_timestamp_is_refused(
    client, account, events_url, queued, django_capture_on_commit_callbacks, settings, offset
):
    settings.CONNECTOR_PUSH_MAX_AGE = 300
    query, body = signed_push(account, ticket_xml(account), timestamp=int(time.time()) + offset)
    event = _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.STALE,
        403,
        queued,
        django_capture_on_commit_callbacks,
    )
    assert event.timestamp == int(query["timestamp"])


def test_a_push_for_another_appid_is_refused(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    query, body = signed_push(account, ticket_xml(account), appid="wxffffffffffffffff")
    _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.UNDECRYPTABLE,
        403,
        queued,
        django_capture_on_commit_callbacks,
    )


def test_an_undecryptable_push_is_refused(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    values = account.credential_values()
    encrypted = "QUJDREVGR0hJSktMTU5PUA=="  # one block that is not this key's
    ts, nonce = str(int(time.time())), "123"
    query = {
        "timestamp": ts,
        "nonce": nonce,
        "msg_signature": crypto.signature(values["token"], ts, nonce, encrypted),
    }
    body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode()
    _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.UNDECRYPTABLE,
        403,
        queued,
        django_capture_on_commit_callbacks,
    )


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><Encrypt>abc</Encrypt>",  # not well-formed
        b"<xml><ToUserName>x</ToUserName></xml>",  # no Encrypt
        b"",
        b"\xff\xfe garbage",
    ],
)
def test_malformed_body_is_a_400(
    client, account, events_url, queued, django_capture_on_commit_callbacks, body
):
    query, _ = signed_push(account, ticket_xml(account))
    _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.MALFORMED,
        400,
        queued,
        django_capture_on_commit_callbacks,
    )


@pytest.mark.parametrize("missing", ["timestamp", "nonce", "msg_signature"])
def test_missing_query_parameter_is_a_400(
    client, account, events_url, queued, django_capture_on_commit_callbacks, missing
):
    query, body = signed_push(account, ticket_xml(account))
    del query[missing]
    _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.MALFORMED,
        400,
        queued,
        django_capture_on_commit_callbacks,
    )


def test_an_entity_declaration_is_refused_without_expansion(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "EXPANDED">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    query, body = signed_push(account, ticket_xml(account))
    _refused(
        client,
        events_url,
        account,
        query,
        lol + body,
        PushOutcome.MALFORMED,
        400,
        queued,
        django_capture_on_commit_callbacks,
    )
    # inside the encrypted message too (a correctly signed push)
    inner = lol + b"<xml><InfoType>component_verify_ticket</InfoType>"
    inner += b"<ComponentVerifyTicket>&b;</ComponentVerifyTicket></xml>"
    query, body = signed_push(account, inner)
    event = _refused(
        client,
        events_url,
        account,
        query,
        body,
        PushOutcome.MALFORMED,
        400,
        queued,
        django_capture_on_commit_callbacks,
    )
    assert "EXPANDED" not in str(PushEvent.objects.filter(pk=event.pk).values().get())


def test_a_body_over_the_cap_is_refused(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    query, body = signed_push(account, ticket_xml(account))
    padded = body.replace(b"</xml>", b"<Pad>" + b"a" * MAX_BODY + b"</Pad></xml>")
    _refused(
        client,
        events_url,
        account,
        query,
        padded,
        PushOutcome.MALFORMED,
        400,
        queued,
        django_capture_on_commit_callbacks,
    )


def test_unknown_disabled_or_other_kind_push_key_is_a_bare_404(client, account, queued):
    query, body = signed_push(account, ticket_xml(account))
    disabled = ConnectorAccountFactory(organization=account.organization, enabled=False)
    tencent = ConnectorAccountFactory(organization=account.organization, kind="tencent")
    for key in (uuid.uuid4(), disabled.push_key, tencent.push_key):
        url = reverse("connectors_wechat:push-events", args=[key])
        response = post_push(client, url, query, body)
        assert response.status_code == 404
        assert str(account.push_key) not in response.content.decode()
    assert not PushEvent.objects.exists()
    assert queued == []


def test_only_post(client, events_url):
    assert client.get(events_url).status_code == 405
    assert not PushEvent.objects.exists()
