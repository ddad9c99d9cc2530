"""Fixtures of the WeChat connector's tests: the local fake WeChat API and an account whose
ticket the fake accepts."""

from __future__ import annotations

import pytest

from connectors.wechat.client import WeChatClient

from .fake import FakeWeChat, start_fake


@pytest.fixture
def wechat_fake(settings):
    """A fake WeChat API on 127.0.0.1; the settings point the connector at it."""
    fake = start_fake()
    settings.CONNECTOR_WECHAT_API_BASE = fake.base_url
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    yield fake
    fake.stop()


def seed_ticket(account, fake: FakeWeChat) -> None:
    """What the push endpoint does when WeChat pushes the ticket."""
    WeChatClient(account).store_ticket(fake.ticket)


@pytest.fixture
def wechat_account(db, wechat_fake):
    from tests.factories.connectors import ConnectorAccountFactory

    account = ConnectorAccountFactory()
    seed_ticket(account, wechat_fake)
    return account
