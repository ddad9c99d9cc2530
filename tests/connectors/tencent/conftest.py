"""The Tencent Cloud fake, started per test, and the settings that point the connector at it."""

from __future__ import annotations

import pytest

from .fake import FakeServer, FakeTencent


@pytest.fixture
def tencent_fake(settings):
    with FakeServer(FakeTencent()) as fake:
        settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
        settings.CONNECTOR_TENCENT_API_BASE = fake.base_url
        yield fake
