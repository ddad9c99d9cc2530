"""The push endpoint: the message URL, and no secret anywhere a push leaves a trace."""

from __future__ import annotations

import datetime
import logging
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors import registry
from connectors.models import ConnectorToken, PushEvent, PushOutcome

from .builders import TICKET, message_xml, signed_push, ticket_xml
from .conftest import post_push

pytestmark = pytest.mark.django_db


def test_message_url_records_the_mini_program_appid(
    client, account, queued, django_capture_on_commit_callbacks
):
    url = reverse("connectors_wechat:push-messages", args=[account.push_key, "wx00000000000000aa"])
    xml = message_xml(
        {
            "ToUserName": "gh_0123",
            "MsgType": "event",
            "Event": "notify_apply_icpfiling_result",
            "beian_status": 6,
        }
    )
    query, body = signed_push(account, xml)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_push(client, url, query, body).content == b"success"
    event = PushEvent.objects.get(account=account)
    assert event.appid == "wx00000000000000aa"
    assert event.info_type == "notify_apply_icpfiling_result"
    assert event.payload["beian_status"] == "6"


def test_no_secret_in_rows_logs_or_answers(
    client, account, events_url, queued, django_capture_on_commit_callbacks, caplog
):
    code = "queryauthcode@@@AuthorizationCode-secret"
    xml = message_xml(
        {
            "AppId": account.credential_values()["component_appid"],
            "InfoType": "authorized",
            "AuthorizerAppid": "wx00000000000000bb",
            "AuthorizationCode": code,
            "AuthorizationCodeExpiredTime": int(time.time()) + 3600,
            "PreAuthCode": "preauthcode@@@secret",
        }
    )
    caplog.set_level(logging.DEBUG)
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        query, body = signed_push(account, xml)
        answers.append(post_push(client, events_url, query, body))
        answers.append(post_push(client, events_url, query, body))  # replay
        forged = {**query, "msg_signature": "f" * 40}
        answers.append(post_push(client, events_url, forged, body))
        query, body = signed_push(account, ticket_xml(account), timestamp=1)
        answers.append(post_push(client, events_url, query, body))
    assert [a.status_code for a in answers] == [200, 403, 403, 403]
    values = account.credential_values()
    credentials = [values[f.name] for f in registry.get("wechat").credential_fields if f.secret]
    assert len(credentials) == 3
    secrets = [*credentials, code, TICKET, "preauthcode@@@secret"]
    rows = str(list(PushEvent.objects.values()))
    logs = caplog.text
    assert "refused" in logs
    for secret in secrets:
        assert secret not in rows
        assert secret not in logs
        for answer in answers:
            assert secret.encode() not in answer.content
    event = PushEvent.objects.get(outcome=PushOutcome.ACCEPTED)
    assert event.appid == "wx00000000000000bb"
    assert event.payload["AuthorizerAppid"] == "wx00000000000000bb"


def test_secrets_of_pushes_never_processed_expire(
    client, account, events_url, queued, django_capture_on_commit_callbacks
):
    past = timezone.now() - datetime.timedelta(minutes=1)
    ConnectorToken.objects.create(account=account, name="push:1", value="old", expires_at=past)
    kept = ConnectorToken.objects.create(
        account=account, name="component_access_token", value="tok", expires_at=past
    )
    query, body = signed_push(account, ticket_xml(account))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_push(client, events_url, query, body).status_code == 200
    event = PushEvent.objects.get(account=account)
    names = set(ConnectorToken.objects.filter(account=account).values_list("name", flat=True))
    assert names == {kept.name, f"push:{event.pk}"}
