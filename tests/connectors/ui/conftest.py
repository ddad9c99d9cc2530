"""Accounts of the connector pages' tests: a WeChat one (made-up credentials of the right
shape) and a scripted one (tests/connectors/conftest.py) in each tenant."""

from __future__ import annotations

import json

import pytest

from connectors.models import ConnectorAccount
from tests.factories.connectors import (
    TENCENT_CREDENTIALS,
    WECHAT_CREDENTIALS,
    ConnectorAccountFactory,
)

SCRIPTED_SECRET = "scripted-secret-value-42"


@pytest.fixture
def wechat_account(org) -> ConnectorAccount:
    return ConnectorAccountFactory(organization=org, name="公众平台")


@pytest.fixture
def scripted_account(org, scripted) -> ConnectorAccount:
    return ConnectorAccountFactory(
        organization=org,
        kind="scripted",
        name="Scripted",
        credentials=json.dumps({"key": SCRIPTED_SECRET}),
    )


@pytest.fixture
def other_account(other_org) -> ConnectorAccount:
    return ConnectorAccountFactory(organization=other_org, name="别人的平台")


def secrets_in(text: str, *extra: str) -> list[str]:
    """Which credential values (the factories' and `extra`) appear in `text`."""
    values = [*WECHAT_CREDENTIALS.values(), *TENCENT_CREDENTIALS.values(), SCRIPTED_SECRET, *extra]
    return [v for v in values if v and v in text]
