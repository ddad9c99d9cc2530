"""Fixtures of the WeChat push tests: an account, its push URLs, queued tasks recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from connectors import tasks
from tests.factories import ConnectorAccountFactory


@pytest.fixture
def account(org):
    return ConnectorAccountFactory(organization=org)


@pytest.fixture
def events_url(account):
    return reverse("connectors_wechat:push-events", args=[account.push_key])


@pytest.fixture
def queued(monkeypatch):
    """Every push_task / sync_task message sent, as (task name, args, kwargs)."""
    sent: list[tuple[str, tuple, dict]] = []
    for task in (tasks.push_task, tasks.sync_task):
        monkeypatch.setattr(
            task,
            "delay",
            lambda *a, _name=task.name, **kw: sent.append((_name, a, kw)),
        )
    return sent


def post_push(client, url, query, body):
    from urllib.parse import urlencode

    return client.post(f"{url}?{urlencode(query)}", data=body, content_type="text/xml")
